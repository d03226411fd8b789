"""The findings of one document, and the value checks every kind of field builds on:
text, date, vocabulary term, list, mapping and link. Each check adds a finding and goes on.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kb_tools.model import ERROR, Document, Finding
from kb_tools.schema import DATE_PATTERN
from kb_tools.suggest import Suggester, did_you_mean
from kb_tools.textscan import describe_invisible, html_tags, invisible, printable
from kb_tools.urls import web_url_problem

if TYPE_CHECKING:
    from kb_tools.validate.fields import CaseValidator

VOCAB_FILE = "content/vocabulaires/{}.yml"
MAX_SUGGESTIONS = 20  # did-you-mean hints per file


class Run:
    """The checks of one document; collects findings and normalised values."""

    def __init__(self, validator: CaseValidator, doc: Document) -> None:
        self.v = validator
        self.doc = doc
        self.meta = doc.meta
        self.findings: list[Finding] = []
        self.values: dict[str, Any] = {}
        self.suggested = 0

    def add(
        self, key: tuple, code: str, message: str, hint: str = "", severity: str = ERROR
    ) -> None:
        line, column = self.doc.line_of(*key) if key else (self.doc.frontmatter_line, None)
        self.findings.append(Finding(self.doc.rel, line, column, code, severity, message, hint))

    def vocab_value(self, key: tuple, value: Any, vocab_id: str, field_label: str) -> str | None:
        vocab = self.v.registry.vocabularies.get(vocab_id)
        if not isinstance(value, str) or not value.strip():
            self.add(
                key,
                "veld-type",
                f"'{field_label}' moet een waarde uit de woordenlijst zijn, niet {describe(value)}.",
                f"Kies een id uit {VOCAB_FILE.format(vocab_id)}.",
            )
            return None
        value = value.strip()
        if vocab is None:
            return value  # the missing vocabulary itself is reported by the registry
        if vocab.get(value):
            return value
        suggester = self.v.suggesters[vocab_id]
        exact = suggester.exact(value)
        self.suggested += 1
        if exact:
            hint = f"Schrijf de id '{exact}'. '{value}' is een ander woord voor dezelfde waarde."
        else:
            # A suggestion compares with every term; a file of 2,000 wrong values gets 20.
            close = suggester.close(value) if self.suggested <= MAX_SUGGESTIONS else []
            hint = did_you_mean(close)
            hint = f"{hint} " if hint else ""
            hint += f"Alle waarden staan in {VOCAB_FILE.format(vocab_id)}."
        self.add(
            key,
            "waarde-onbekend",
            f"'{printable(value, 60)}' staat niet in de woordenlijst {vocab.name or vocab_id} "
            f"(veld '{field_label}').",
            hint,
        )
        return None

    def text(self, key: tuple, value: Any, label: str, max_length: int | None) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(
                key,
                "veld-type",
                f"'{label}' moet tekst zijn, niet {describe(value)}.",
                "Schrijf gewone tekst na de dubbele punt. Zet de tekst tussen aanhalingstekens "
                "als hij met een teken als [ of { begint.",
            )
            return None
        text = " ".join(str(value).split())
        if not text:
            self.add(key, "veld-leeg", f"'{label}' is leeg.", f"Vul '{label}' in.")
            return None
        hidden = invisible(str(value))
        if hidden:
            self.add(
                key,
                "tekst-onzichtbaar",
                f"'{label}' bevat een onzichtbaar teken ({describe_invisible(hidden.group(0))}).",
                "Typ de tekst opnieuw; plakken uit andere programma's brengt soms zulke tekens mee.",
            )
        if max_length and len(text) > max_length:
            self.add(
                key,
                "te-lang",
                f"'{label}' is {len(text)} tekens lang. Het mag hoogstens {max_length} tekens zijn.",
                f"Maak de tekst {len(text) - max_length} tekens korter.",
            )
        for tag in html_tags(text):
            self.add(
                key,
                "html-onveilig" if tag.unsafe else "html",
                f"'{label}' bevat HTML ('{tag.text[:40]}').",
                "Gebruik gewone tekst zonder < en >.",
            )
        return text

    def date_value(self, key: tuple, value: Any, label: str) -> date | None:
        if isinstance(value, date):  # a parser that keeps YAML dates; accept them as well
            parsed = value
        elif not isinstance(value, str) or not DATE_PATTERN.match(value.strip()):
            self.add(
                key,
                "datum-ongeldig",
                f"'{label}' is geen datum in de vorm JJJJ-MM-DD (nu: {describe(value)}).",
                "Schrijf bijvoorbeeld 2026-03-01 voor 1 maart 2026.",
            )
            return None
        else:
            try:
                parsed = date.fromisoformat(value.strip())
            except ValueError:
                self.add(
                    key,
                    "datum-ongeldig",
                    f"De datum {value} in '{label}' bestaat niet.",
                    "Controleer de dag en de maand (een maand heeft 28 tot 31 dagen).",
                )
                return None
        if parsed > self.v.today:
            self.add(
                key,
                "datum-toekomst",
                f"De datum {parsed.isoformat()} in '{label}' ligt in de toekomst.",
                f"Gebruik een datum tot en met vandaag ({self.v.today.isoformat()}).",
            )
        if parsed.year < 1900:
            self.add(key, "datum-ongeldig", f"Het jaar {parsed.year} in '{label}' is te vroeg.", "")
        return parsed

    def as_list(self, key: tuple, value: Any, label: str) -> list[Any] | None:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]  # "thema: eenzaamheid" clearly means a list of one
        if not isinstance(value, list):
            self.add(
                key,
                "veld-type",
                f"'{label}' moet een lijst zijn, niet {describe(value)}.",
                f"Schrijf het als [a, b] of met een streepje per regel onder '{label}:'.",
            )
            return None
        return value

    def mapping(self, key: tuple, value: Any, label: str, allowed: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.add(
                key,
                "veld-type",
                f"'{label}' moet een reeks velden zijn, niet {describe(value)}.",
                f"Zet de velden ingesprongen onder '{label}:', zoals: {', '.join(allowed)}.",
            )
            return None
        for sub in value:
            if sub not in allowed:
                hint = did_you_mean(Suggester({k: k for k in allowed}).close(str(sub)))
                self.add(
                    (*key, sub),
                    "veld-onbekend",
                    f"'{label}' kent het veld '{sub}' niet.",
                    (hint + " " if hint else "") + f"Toegestaan: {', '.join(allowed)}.",
                )
        return value

    def url(self, key: tuple, value: Any, allow_mailto: bool) -> str | None:
        problem = web_url_problem(value, allow_mailto)
        if problem:
            shown = describe(value) if not isinstance(value, str) else f"'{printable(value, 80)}'"
            self.add(
                key,
                "link-onveilig",
                f"De link {shown} kan niet: {problem}",
                "Gebruik alleen gewone webadressen die met https:// beginnen.",
            )
            return None
        return value.strip()


def describe(value: Any) -> str:
    """A value as a finding quotes it: its type for lists and mappings, else at most 60
    characters."""
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return "ja/nee (true/false)"
    if isinstance(value, dict):
        return "een reeks velden"
    if isinstance(value, list):
        return "een lijst"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def number_text(value: float) -> str:
    """A whole number with Dutch thousands dots: 1.000.000."""
    return f"{int(value):,}".replace(",", ".")
