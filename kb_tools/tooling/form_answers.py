"""Answers of the case form, from a GitHub issue body or the terminal, as a ``Draft``: field
values and story sections, plus the problems the validator cannot see. Used by ``intake``;
the questions themselves come from ``forms``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kb_tools.model import Registry
from kb_tools.suggest import Suggester, did_you_mean
from kb_tools.tooling.forms import Element

NO_RESPONSE = "_No response_"
_WORD_CHARS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
    }
)
_CHECKED = re.compile(r"^- \[[xX]\] ", re.M)
QUOTE_LIMIT = 60  # characters of an answer that a message repeats


def quote_user(text: str, limit: int = QUOTE_LIMIT) -> str:
    """What the user typed, for a message that may be posted as a Markdown comment: one
    line (control characters, newlines, bidi and zero-width characters out), at most
    ``limit`` characters with '…', as an inline code span with no backticks inside. In a
    code span GitHub makes no mention, image, link or HTML active."""
    plain = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in str(text)
        if unicodedata.category(ch) != "Cf"
    )
    plain = " ".join(plain.replace("`", "'").split())
    if not plain:
        return "(leeg)"
    if len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    return f"`{plain}`"


def clean_text(text: str) -> str:
    """Text pasted from Word or a browser: straight quotes, plain spaces, no invisible
    characters, Unix line endings, no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_WORD_CHARS)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


@dataclass
class Draft:
    """Answers mapped to the case format: field values, story sections, and problems that
    the validator cannot see (a missing answer, a choice that is not in the list)."""

    values: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (element key, message)


def _number(text: str) -> int | float | str:
    """'€ 147.500' -> 147500, '2,5' -> 2.5; anything else stays text for the validator."""
    raw = text.replace("€", "").replace(" ", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
    try:
        return int(raw)
    except ValueError:
        try:
            return float(raw)
        except ValueError:
            return text


def _lines(raw: str) -> list[str]:
    return [line.strip().lstrip("-* ").strip() for line in raw.split("\n") if line.strip()]


def parse_structured(key: str, raw: str, registry: Registry, draft: Draft) -> Any:
    """The text-box format of cijfers, bronnen, gerelateerd, contact and controle."""
    if key == "gerelateerd":
        return [part.lower() for part in re.split(r"[,;\s]+", raw) if part]
    if key in ("contact", "controle"):
        result: dict[str, str] = {}
        for number, line in enumerate(_lines(raw), 1):
            name, colon, value = line.partition(":")
            if not colon or not value.strip():
                draft.problems.append(
                    (key, f"Regel {number} ({quote_user(line)}) heeft niet de vorm 'naam: waarde'.")
                )
            else:
                result[name.strip().lower()] = value.strip()
        return result
    if key == "cijfers":
        vocab = registry.vocabularies.get("kengetallen")
        names = Suggester({t.label: t.id for t in vocab.terms} | {t: t for t in vocab.ids()})
        figures = []
        for number, line in enumerate(_lines(raw), 1):
            parts = [p.strip() for p in line.split(";")]
            if len(parts) < 3:
                draft.problems.append(
                    (
                        key,
                        f"Regel {number} ({quote_user(line)}) heeft niet de vorm soort; waarde; jaar.",
                    )
                )
                continue
            figure: dict[str, Any] = {
                "soort": names.exact(parts[0]) or parts[0],
                "waarde": _number(parts[1]),
                "jaar": _number(parts[2]),
            }
            if len(parts) > 3 and parts[3]:
                figure["toelichting"] = "; ".join(parts[3:])
            figures.append(figure)
        return figures
    if key == "bronnen":
        sources = []
        for line in _lines(raw):
            parts = [p.strip() for p in line.split(";") if p.strip()]
            if len(parts) > 1 and parts[1].lower().startswith("http"):
                sources.append({"titel": parts[0], "url": parts[1]})
            elif parts[0] in registry.sources:
                sources.append({"document": parts[0], **({"deel": parts[1]} if parts[1:] else {})})
            elif parts[0].lower().startswith("http"):
                sources.append({"titel": parts[0], "url": parts[0]})
            else:
                sources.append({"titel": "; ".join(parts)})
        return sources
    if key == "samenvatting":
        return " ".join(raw.split())
    return raw


def choose(element: Element, raw: str, draft: Draft) -> Any:
    """Dropdown labels (or ids) back to ids; unknown choices become problems."""
    lookup = {label: value for label, value in element.options}
    exact = Suggester(lookup | {v: v for v in lookup.values()})
    choices = [c.strip() for c in raw.split(", ")] if element.multiple else [raw.strip()]
    ids = []
    for choice in choices:
        value = lookup.get(choice) or exact.exact(choice)
        if value:
            ids.append(value)
            continue
        hint = did_you_mean(Suggester({label: label for label in lookup}).close(choice))
        draft.problems.append(
            (element.key, f"{quote_user(choice)} is geen keuze bij deze vraag. {hint}".strip())
        )
    if element.multiple:
        return ids
    return ids[0] if ids else None


def answer(element: Element, raw: str, registry: Registry, draft: Draft) -> None:
    """Store one answer (already cleaned; empty means not answered) in the draft."""
    if not raw:
        if element.required:
            what = "Vink dit aan." if element.kind == "checkboxes" else "Vul dit in."
            draft.problems.append((element.key, f"Dit is verplicht. {what}"))
        return
    if element.kind == "checkboxes":
        if element.required and not _CHECKED.search(raw):
            draft.problems.append((element.key, "Dit is verplicht. Vink dit aan."))
    elif element.kind == "dropdown":
        value = choose(element, raw, draft)
        if value:
            draft.values[element.key] = value
    elif element.key.startswith("sectie:"):
        draft.sections[element.label] = raw
    else:
        draft.values[element.key] = parse_structured(element.key, raw, registry, draft)


def split_issue(text: str, labels: set[str]) -> dict[str, str]:
    """An issue-form body: '### <label>' headings, each followed by its answer."""
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in clean_text(text).split("\n"):
        heading = line[4:].strip() if line.startswith("### ") else None
        if heading in labels:
            current = answers.setdefault(heading, [])
        elif current is not None:
            current.append(line)
    result = {}
    for label, lines in answers.items():
        value = "\n".join(lines).strip()
        result[label] = "" if value == NO_RESPONSE else value
    return result
