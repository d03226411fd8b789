"""Frontmatter rules for one case: required fields, types, vocabularies, dates, ids.

Every rule adds a finding and goes on, so an editor sees all problems of a file at once.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from kb_tools.load.files import CASES_DIR, is_answer
from kb_tools.model import ERROR, WARNING, Answer, Case, Document, Finding, Registry
from kb_tools.schema import (
    ACTIVE_VALUES,
    ANSWER_FIELDS,
    ANSWER_ID_PATTERN,
    CONTACT_KEYS,
    DATE_PATTERN,
    FIELDS,
    FIGURE_KEYS,
    ID_PATTERN,
    PERSONAL_CONTACT_KEYS,
    REVIEW_KEYS,
    SOURCE_KEYS,
    TEXT_MAX,
    Field,
)
from kb_tools.suggest import Suggester, did_you_mean
from kb_tools.textscan import describe_invisible, html_tags, invisible, personal_data, printable
from kb_tools.urls import EMAIL_ADDRESS, web_url_problem

# Linear: no start rescans another's run (each '[' stops at the next '[' or ']').
_MARKDOWN = re.compile(r"\*\*|__|\[[^\[\]]*\]\(|^#|`", re.M)
FIELD_SUGGESTERS = {
    id(table): Suggester({f.name: f.name for f in table}) for table in (FIELDS, ANSWER_FIELDS)
}
_BODY_LINK = re.compile(r"\[\[([^\[\]|\n]{1,80}?)(?:\|[^\[\]\n]{0,200})?\]\]")
VOCAB_FILE = "content/vocabulaires/{}.yml"
MAX_SUGGESTIONS = 20  # did-you-mean hints per file
#: The largest figure without a 'maximum' of its own: more than any initiative counts.
MAX_FIGURE = 1_000_000_000


def number_text(value: float) -> str:
    return f"{int(value):,}".replace(",", ".")


class CaseValidator:
    """Checks the frontmatter of cases against one registry; reuse it for a whole run."""

    def __init__(self, registry: Registry, today: date) -> None:
        self.registry = registry
        self.today = today
        self._suggesters: dict[str, Suggester] = {}
        for vocab_id, vocab in registry.vocabularies.items():
            aliases: dict[str, str] = {}
            for term in vocab.terms:
                for alias in (*term.synonyms, term.label, term.id):
                    aliases[alias] = term.id
            self._suggesters[vocab_id] = Suggester(aliases)
        self._network_suggester = Suggester(
            {
                **{n.name: n.id for n in registry.networks.values()},
                **{n: n for n in registry.networks},
            }
        )

    def validate(
        self, doc: Document, answer: bool | None = None
    ) -> tuple[Case | Answer | None, list[Finding]]:
        """A case, or a helpdesk answer (``answer``; by default: a file under
        content/antwoorden/)."""
        if answer if answer is not None else is_answer(doc.rel):
            run = _Run(self, doc, ANSWER_FIELDS)
            return run.answer(), run.findings
        run = _Run(self, doc, FIELDS)
        return run.case(), run.findings


class _Run:
    """The checks of one document; collects findings and normalised values."""

    def __init__(self, validator: CaseValidator, doc: Document, fields: tuple[Field, ...]) -> None:
        self.v = validator
        self.fields = fields
        self.by_name = {f.name: f for f in fields}
        self.doc = doc
        self.meta = doc.meta
        self.findings: list[Finding] = []
        self.values: dict[str, Any] = {}
        self.suggested = 0

    # -- helpers -------------------------------------------------------------

    def add(self, key: tuple, code: str, message: str, hint: str = "", severity: str = ERROR):
        line, column = self.doc.line_of(*key) if key else (self.doc.frontmatter_line, None)
        self.findings.append(Finding(self.doc.rel, line, column, code, severity, message, hint))

    def vocab_value(self, key: tuple, value: Any, vocab_id: str, field_label: str) -> str | None:
        vocab = self.v.registry.vocabularies.get(vocab_id)
        if not isinstance(value, str) or not value.strip():
            self.add(
                key,
                "veld-type",
                f"'{field_label}' moet een waarde uit de woordenlijst zijn, niet {_describe(value)}.",
                f"Kies een id uit {VOCAB_FILE.format(vocab_id)}.",
            )
            return None
        value = value.strip()
        if vocab is None:
            return value  # the missing vocabulary itself is reported by the registry
        if vocab.get(value):
            return value
        suggester = self.v._suggesters[vocab_id]
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
                f"'{label}' moet tekst zijn, niet {_describe(value)}.",
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
                f"'{label}' is geen datum in de vorm JJJJ-MM-DD (nu: {_describe(value)}).",
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
                f"'{label}' moet een lijst zijn, niet {_describe(value)}.",
                f"Schrijf het als [a, b] of met een streepje per regel onder '{label}:'.",
            )
            return None
        return value

    def mapping(self, key: tuple, value: Any, label: str, allowed: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.add(
                key,
                "veld-type",
                f"'{label}' moet een reeks velden zijn, niet {_describe(value)}.",
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

    # -- the rules -----------------------------------------------------------

    def check_fields(self, guide: str) -> None:
        """Unknown, missing and every present field of the table; ``guide`` lists them."""
        meta = self.meta
        for name in meta:
            if name not in self.by_name:
                options = FIELD_SUGGESTERS[id(self.fields)].close(str(name))
                hint = did_you_mean(options)
                self.add(
                    (name,),
                    "veld-onbekend",
                    f"Het veld '{name}' bestaat niet.",
                    hint or f"Zie de lijst met velden in content/handleiding/{guide}.",
                )
        for field in self.fields:
            if field.name not in meta or meta[field.name] is None:
                if field.required:
                    self.add(
                        (),
                        "veld-ontbreekt",
                        f"Het verplichte veld '{field.name}' ontbreekt.",
                        f"Voeg toe: '{field.name}: ...' ({field.description})",
                    )
                continue
            self.check_field(field, meta[field.name])

    def ask_for_sources(self, subject: str, what: str) -> None:
        if "bronnen" not in self.meta:
            self.add(
                (),
                "bronnen-ontbreken",
                f"{subject} noemt geen bronnen.",
                f"Voeg 'bronnen' toe, zodat lezers kunnen nagaan {what}.",
                WARNING,
            )

    def answer(self) -> Answer | None:
        self.check_fields("antwoordformaat.md")
        v = self.values
        if v.get("bijgewerkt") and v.get("datum") and v["bijgewerkt"] < v["datum"]:
            self.add(
                ("bijgewerkt",),
                "datum-volgorde",
                f"'bijgewerkt' ({v['bijgewerkt']}) ligt vóór 'datum' ({v['datum']}).",
                "Een antwoord kan pas worden bijgewerkt nadat het is gegeven.",
            )
        self.ask_for_sources("Het antwoord", "waar het antwoord op steunt")
        if any(f.severity == ERROR for f in self.findings):
            return None
        cited = (m.group(1).strip() for m in _BODY_LINK.finditer(self.doc.body))
        return Answer(
            id=v["id"],
            title=v["titel"],
            question=v["vraag"],
            summary=v["samenvatting"],
            path=self.doc.rel,
            meta=v,
            body=self.doc.body,
            date=v["datum"],
            updated=v.get("bijgewerkt"),
            links=tuple(dict.fromkeys(i for i in cited if i != v["id"])),
        )

    def case(self) -> Case | None:
        self.check_fields("casusformaat.md")
        self.check_identity()
        self.check_dates()
        self.ask_for_sources("De casus", "waar de feiten vandaan komen")
        if any(f.severity == ERROR for f in self.findings):
            return None
        v = self.values
        return Case(
            id=v["id"],
            title=v["titel"],
            summary=v["samenvatting"],
            network=v["netwerk"],
            path=self.doc.rel,
            meta=v,
            body=self.doc.body,
            published=v["gepubliceerd"],
            updated=v.get("bijgewerkt"),
            links=tuple(v.get("gerelateerd", ())),
        )

    def check_field(self, field: Field, value: Any) -> None:
        key = (field.name,)
        name = field.name
        if field.kind == "text":
            text = self.text(key, value, name, field.max_length)
            for kind, _, found in personal_data(text or ""):
                self.add(
                    key,
                    "persoonsgegevens",
                    f"'{name}' bevat een {kind} ({found[:3]}…).",
                    "Zet geen persoonsgegevens in de kop. Noem de organisatie of een rol.",
                )
            if text is not None:
                if name == "samenvatting" and _MARKDOWN.search(text):
                    self.add(
                        key,
                        "samenvatting-opmaak",
                        "De samenvatting bevat opmaak (vet, links of kopjes).",
                        "Schrijf de samenvatting als gewone tekst; opmaak hoort in het verhaal.",
                        WARNING,
                    )
                self.values[name] = text
        elif field.kind == "id":
            if not isinstance(value, str) or not ID_PATTERN.match(value.strip()):
                self.add(
                    key,
                    "id-ongeldig",
                    f"De id {_describe(value)} heeft niet de goede vorm.",
                    "Schrijf het voorvoegsel van uw netwerk, een streepje en vier cijfers, "
                    "bijvoorbeeld ams-0007.",
                )
            else:
                self.values[name] = value.strip()
        elif field.kind == "answer_id":
            if not isinstance(value, str) or not ANSWER_ID_PATTERN.match(value.strip()):
                self.add(
                    key,
                    "id-ongeldig",
                    f"De id {_describe(value)} heeft niet de goede vorm.",
                    "Een antwoord heeft hd-, een streepje en vier cijfers, bijvoorbeeld hd-0007.",
                )
            else:
                self.values[name] = value.strip()
        elif field.kind == "network":
            if isinstance(value, str) and value.strip() in self.v.registry.networks:
                self.values[name] = value.strip()
            else:
                hint = did_you_mean(self.v._network_suggester.close(str(value)))
                self.add(
                    key,
                    "netwerk-onbekend",
                    f"Het netwerk {_describe(value)} staat niet in het register.",
                    (hint + " " if hint else "") + "Alle netwerken staan in content/netwerken.yml.",
                )
        elif field.kind == "term":
            term = self.vocab_value(key, value, field.vocabulary or "", name)
            if term:
                self.values[name] = term
        elif field.kind == "terms":
            self.check_terms(field, value)
        elif field.kind == "date":
            parsed = self.date_value(key, value, name)
            if parsed:
                self.values[name] = parsed
        elif field.kind == "active":
            self.check_active(value)
        elif field.kind == "case_ids":
            self.check_case_ids(value)
        elif field.kind == "figures":
            self.check_figures(value)
        elif field.kind == "sources":
            self.check_sources(value)
        elif field.kind == "contact":
            self.check_contact(value)
        elif field.kind == "review":
            self.check_review(value)

    def check_terms(self, field: Field, value: Any) -> None:
        name = field.name
        items = self.as_list((name,), value, name)
        if items is None:
            return
        if field.required and not items:
            self.add(
                (name,),
                "veld-leeg",
                f"'{name}' moet minstens één waarde hebben.",
                f"Kies een of meer ids uit {VOCAB_FILE.format(field.vocabulary)}.",
            )
            return
        result: list[str] = []
        for index, item in enumerate(items):
            key = (name, index) if isinstance(value, list) else (name,)
            term = self.vocab_value(key, item, field.vocabulary or "", name)
            if term is None:
                continue
            if term in result:
                self.add(
                    key,
                    "waarde-dubbel",
                    f"'{term}' staat twee keer in '{name}'.",
                    "Laat de tweede weg.",
                    WARNING,
                )
                continue
            result.append(term)
        if "onbekend" in result and len(result) > 1:
            self.add(
                (name,),
                "onbekend-met-waarde",
                f"'{name}' heeft 'onbekend' én andere waarden.",
                "Haal 'onbekend' weg als u de waarde wel weet.",
                WARNING,
            )
        self.values[name] = result

    def check_active(self, value: Any) -> None:
        if isinstance(value, bool):
            self.values["actief"] = "ja" if value else "nee"
        elif isinstance(value, str) and value.strip().lower() in ACTIVE_VALUES:
            self.values["actief"] = value.strip().lower()
        else:
            self.add(
                ("actief",),
                "waarde-onbekend",
                f"'actief' moet ja, nee of onbekend zijn, niet {_describe(value)}.",
                "Schrijf 'actief: ja', 'actief: nee' of 'actief: onbekend'.",
            )

    def check_case_ids(self, value: Any) -> None:
        items = self.as_list(("gerelateerd",), value, "gerelateerd")
        if items is None:
            return
        result: list[str] = []
        for index, item in enumerate(items):
            key = ("gerelateerd", index)
            if not isinstance(item, str) or not ID_PATTERN.match(item.strip()):
                self.add(
                    key,
                    "id-ongeldig",
                    f"{_describe(item)} is geen casusnummer.",
                    "Een casusnummer ziet eruit als ams-0007.",
                )
                continue
            if item.strip() not in result:
                result.append(item.strip())
        self.values["gerelateerd"] = result

    def check_figures(self, value: Any) -> None:
        items = self.as_list(("cijfers",), value, "cijfers")
        if items is None:
            return
        result = []
        for index, item in enumerate(items):
            key = ("cijfers", index)
            entry = self.mapping(key, item, "cijfers", FIGURE_KEYS)
            if entry is None:
                continue
            ok = True
            for required in ("soort", "waarde", "jaar"):
                if required not in entry:
                    ok = False
                    self.add(
                        key,
                        "veld-ontbreekt",
                        f"Kengetal {index + 1} mist '{required}'.",
                        "Elk kengetal heeft soort, waarde en jaar.",
                    )
            kind = self.vocab_value((*key, "soort"), entry.get("soort"), "kengetallen", "soort")
            amount = entry.get("waarde")
            if isinstance(amount, bool) or not isinstance(amount, int | float):
                if "waarde" in entry:
                    self.add(
                        (*key, "waarde"),
                        "veld-type",
                        f"De waarde van kengetal {index + 1} is geen getal ({_describe(amount)}).",
                        "Schrijf alleen cijfers, zonder punt, spatie of euroteken: 147500.",
                    )
                ok = False
            elif not self.plausible(key, index, kind, amount):
                ok = False
            year = entry.get("jaar")
            if (
                isinstance(year, bool)
                or not isinstance(year, int)
                or not (1900 <= year <= self.v.today.year)
            ):
                if "jaar" in entry:
                    self.add(
                        (*key, "jaar"),
                        "veld-type",
                        f"Het jaar van kengetal {index + 1} is ongeldig ({_describe(year)}).",
                        f"Schrijf een jaartal van vier cijfers, niet later dan {self.v.today.year}.",
                    )
                ok = False
            note = None
            if "toelichting" in entry:
                note = self.text(
                    (*key, "toelichting"), entry["toelichting"], "toelichting", TEXT_MAX
                )
            if ok and kind:
                result.append({"soort": kind, "waarde": amount, "jaar": year, "toelichting": note})
        self.values["cijfers"] = result

    def plausible(self, key: tuple, index: int, kind: str | None, amount: float) -> bool:
        """A figure is a finite number between 0 and the most its kind can be (the term's
        'maximum' in kengetallen.yml, else MAX_FIGURE): no .inf, .nan or 1e400."""
        term = self.v.registry.vocabularies.get("kengetallen")
        term = term.get(kind) if term and kind else None
        highest = term.extra.get("maximum") if term else None
        highest = highest if isinstance(highest, int | float) else MAX_FIGURE
        if math.isfinite(amount) and 0 <= amount <= highest:
            return True
        shown = "geen eindig getal" if not math.isfinite(amount) else _describe(amount)
        self.add(
            (*key, "waarde"),
            "waarde-onmogelijk",
            f"De waarde van kengetal {index + 1} kan niet kloppen ({shown}).",
            f"Schrijf een getal van 0 tot en met {number_text(highest)}, alleen cijfers.",
        )
        return False

    def check_sources(self, value: Any) -> None:
        items = self.as_list(("bronnen",), value, "bronnen")
        if items is None:
            return
        result = []
        for index, item in enumerate(items):
            key = ("bronnen", index)
            entry = self.mapping(key, item, "bronnen", SOURCE_KEYS)
            if entry is None:
                continue
            source: dict[str, Any] = {}
            if "document" in entry:
                doc_id = entry["document"]
                if isinstance(doc_id, str) and doc_id in self.v.registry.sources:
                    source["document"] = doc_id
                else:
                    options = Suggester({s: s for s in self.v.registry.sources}).close(str(doc_id))
                    hint = did_you_mean(options)
                    self.add(
                        (*key, "document"),
                        "bron-onbekend",
                        f"Het document {_describe(doc_id)} staat niet in content/bronnen.yml.",
                        (hint + " " if hint else "")
                        + "Voeg het document eerst toe aan bronnen.yml.",
                    )
            elif "titel" not in entry:
                self.add(
                    key,
                    "veld-ontbreekt",
                    f"Bron {index + 1} heeft geen 'document' en geen 'titel'.",
                    "Noem een document uit content/bronnen.yml, of een titel met een url.",
                )
            for sub in ("deel", "titel"):
                if sub in entry:
                    text = self.text((*key, sub), entry[sub], sub, TEXT_MAX)
                    if text:
                        source[sub] = text
            if "url" in entry:
                url = self.url((*key, "url"), entry["url"], allow_mailto=False)
                if url:
                    source["url"] = url
            result.append(source)
        self.values["bronnen"] = result

    def url(self, key: tuple, value: Any, allow_mailto: bool) -> str | None:
        problem = web_url_problem(value, allow_mailto)
        if problem:
            shown = _describe(value) if not isinstance(value, str) else f"'{printable(value, 80)}'"
            self.add(
                key,
                "link-onveilig",
                f"De link {shown} kan niet: {problem}",
                "Gebruik alleen gewone webadressen die met https:// beginnen.",
            )
            return None
        return value.strip()

    def check_contact(self, value: Any) -> None:
        entry = self.mapping(("contact",), value, "contact", CONTACT_KEYS)
        if entry is None:
            return
        contact: dict[str, Any] = {}
        consent = None
        if "toestemming" in entry:
            consent = self.date_value(
                ("contact", "toestemming"), entry["toestemming"], "toestemming"
            )
            contact["toestemming"] = consent
        personal = [k for k in PERSONAL_CONTACT_KEYS if entry.get(k)]
        if personal and consent is None:
            self.add(
                ("contact",),
                "contact-toestemming",
                f"Het contact noemt {', '.join(personal)} zonder datum van toestemming.",
                "Vraag de persoon om toestemming en zet de datum bij 'toestemming', "
                "of haal de persoonsgegevens weg.",
            )
        for sub in ("organisatie", "naam", "telefoon"):
            if sub in entry:
                text = self.text(("contact", sub), entry[sub], sub, TEXT_MAX)
                if text:
                    contact[sub] = text
        if "email" in entry:
            email = entry["email"]
            if not isinstance(email, str) or not EMAIL_ADDRESS.fullmatch(email.strip()):
                self.add(
                    ("contact", "email"),
                    "veld-type",
                    f"{_describe(email)} is geen geldig e-mailadres.",
                    "Schrijf het als naam@voorbeeld.nl.",
                )
            else:
                contact["email"] = email.strip()
        if "website" in entry:
            url = self.url(("contact", "website"), entry["website"], allow_mailto=False)
            if url:
                contact["website"] = url
        self.values["contact"] = contact

    def check_review(self, value: Any) -> None:
        entry = self.mapping(("controle",), value, "controle", REVIEW_KEYS)
        if entry is None:
            return
        review: dict[str, Any] = {}
        for required in REVIEW_KEYS:
            if required not in entry:
                self.add(
                    ("controle",),
                    "veld-ontbreekt",
                    f"'controle' mist '{required}'.",
                    "Noem wie de casus nakeek ('door') en wanneer ('datum').",
                )
        if "datum" in entry:
            review["datum"] = self.date_value(("controle", "datum"), entry["datum"], "datum")
        if "door" in entry:
            reviewer = entry["door"]
            network = self.v.registry.networks.get(str(self.meta.get("netwerk", "")))
            if not isinstance(reviewer, str) or not reviewer.strip():
                self.add(("controle", "door"), "veld-type", "'door' moet een naam zijn.", "")
            elif network and reviewer.strip() not in network.maintainers:
                self.add(
                    ("controle", "door"),
                    "controle-door",
                    f"'{reviewer}' is geen beheerder van netwerk {network.name}.",
                    f"Beheerders zijn: {', '.join(network.maintainers)}. "
                    "Staat u er niet bij? Vraag het netwerk u toe te voegen in content/netwerken.yml.",
                )
            else:
                review["door"] = reviewer.strip()
        self.values["controle"] = review

    def check_identity(self) -> None:
        """The id prefix belongs to the network, and the file sits in that network's folder."""
        network_id = self.values.get("netwerk")
        network = self.v.registry.networks.get(network_id or "")
        case_id = self.values.get("id")
        if network and case_id:
            prefix = ID_PATTERN.match(case_id).group(1)  # type: ignore[union-attr]
            if prefix != network.prefix:
                owner = next(
                    (n.name for n in self.v.registry.networks.values() if n.prefix == prefix), None
                )
                owned = f" Dat voorvoegsel is van {owner}." if owner else ""
                self.add(
                    ("id",),
                    "id-voorvoegsel",
                    f"De id {case_id} begint niet met '{network.prefix}', het voorvoegsel van "
                    f"{network.name}.{owned}",
                    f"Gebruik een nummer dat begint met {network.prefix}-.",
                )
        parts = PurePosixPath(self.doc.rel).parts
        if CASES_DIR in parts:
            rest = parts[parts.index(CASES_DIR) + 1 :]
            folder = rest[0] if len(rest) == 2 else None
            if folder is None:
                self.add(
                    (),
                    "map-onjuist",
                    "De casus staat niet direct in de map van een netwerk.",
                    f"Zet het bestand in content/{CASES_DIR}/<netwerk>/.",
                )
            elif network_id and folder != network_id:
                self.add(
                    ("netwerk",),
                    "netwerk-map",
                    f"De casus staat in de map '{folder}', maar 'netwerk' is '{network_id}'.",
                    f"Verplaats het bestand naar content/{CASES_DIR}/{network_id}/ "
                    f"of zet 'netwerk: {folder}'.",
                )

    def check_dates(self) -> None:
        published = self.values.get("gepubliceerd")
        updated = self.values.get("bijgewerkt")
        if published and updated and updated < published:
            self.add(
                ("bijgewerkt",),
                "datum-volgorde",
                f"'bijgewerkt' ({updated}) ligt vóór 'gepubliceerd' ({published}).",
                "Een casus kan pas worden bijgewerkt na de publicatie.",
            )
        if self.values.get("fase") == "gestopt" and self.values.get("actief") == "ja":
            self.add(
                ("actief",),
                "actief-gestopt",
                "De fase is 'gestopt', maar 'actief' is 'ja'.",
                "Zet 'actief: nee' of kies een andere fase.",
                WARNING,
            )


def _describe(value: Any) -> str:
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
