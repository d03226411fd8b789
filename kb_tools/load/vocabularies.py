"""Load, vocabularies: one ``content/vocabulaires/*.yml`` file into a ``Vocabulary``, its
terms and their extra fields checked; a facet's vocabulary must fit its row in ``facets.FACETS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb_tools.facets import FACETS, FACETS_BY_NAME, UNKNOWN
from kb_tools.load.checker import Checker
from kb_tools.load.documents import load_yaml_file
from kb_tools.load.files import finding
from kb_tools.model import Finding, Term, Vocabulary
from kb_tools.textscan import printable

#: Extra fields a term may have, by kind: url (official text), text, a number, or a choice.
TERM_EXTRA: dict[str, Any] = {
    "url": "url",
    "officiele_titel": "text",
    "afkorting": "text",
    "hoofdthema": "text",
    "eenheid": ("aantal", "euro"),
    "maximum": "number",
}

#: Vocabularies the case format depends on; a missing one is an error.
REQUIRED_VOCABULARIES = (*(f.name for f in FACETS), "kengetallen")


def load_vocabulary(path: Path, rel: str) -> tuple[Vocabulary | None, list[Finding]]:
    data, lines, problems = load_yaml_file(path, rel)
    if problems:
        return None, problems
    check = Checker(rel, lines)
    if not isinstance(data, dict):
        check.error((), "register-opbouw", "De woordenlijst is leeg of onleesbaar.", "")
        return None, check.findings
    check.unknown_keys(data, (), ["naam", "veld", "beschrijving", "termen"])
    terms: list[Term] = []
    seen: dict[str, bool] = {}
    for index, item in check.items(data, "termen"):
        key = ("termen", index)
        term_id = check.text(item, key, "id")
        if not term_id or not check.unique_id(seen, term_id, (*key, "id"), "term"):
            continue
        extra = _term_extra(check, item, key)
        terms.append(
            Term(
                id=term_id,
                label=check.text(item, key, "label"),
                description=check.text(item, key, "beschrijving"),
                synonyms=check.text_list(item, key, "synoniemen"),
                extra=extra,
            )
        )
    field_name = data.get("veld")
    vocab = Vocabulary(
        id=path.stem,
        name=check.text(data, (), "naam"),
        field=field_name if isinstance(field_name, str) else None,
        description=check.text(data, (), "beschrijving"),
        terms=tuple(terms),
        path=rel,
    )
    return vocab, check.findings


def _term_extra(check: Checker, item: dict, key: tuple) -> dict[str, Any]:
    """The extra fields of a term, each checked by its kind (TERM_EXTRA)."""
    check.unknown_keys(item, key, ["id", "label", "beschrijving", "synoniemen", *TERM_EXTRA])
    extra: dict[str, Any] = {}
    for name, kind in TERM_EXTRA.items():
        if name not in item or item[name] is None:
            continue
        value = item[name]
        if kind == "url":
            url = check.url(item, key, name)
            if url:
                extra[name] = url
        elif kind == "text":
            text = check.text(item, key, name, required=False)
            if text:
                extra[name] = text
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                check.error(
                    (*key, name),
                    "register-veld-type",
                    f"'{name}' moet een heel getal groter dan 0 zijn.",
                    "Schrijf alleen cijfers, bijvoorbeeld 100000.",
                )
            else:
                extra[name] = value
        elif value in kind:
            extra[name] = value
        else:
            check.error(
                (*key, name),
                "register-veld-type",
                f"'{name}' moet een van deze zijn: {', '.join(kind)}.",
                "",
            )
    return extra


def facet_findings(vocab: Vocabulary) -> list[Finding]:
    """A facet's vocabulary has "onbekend" exactly when the facet declares it, and names
    the facet as its field; otherwise pages and search would treat its terms wrongly."""
    facet = FACETS_BY_NAME.get(vocab.id)
    if facet is None:
        return []
    problems = []
    if vocab.field != facet.name:
        problems.append(
            (
                f"Deze woordenlijst hoort bij het veld '{facet.name}', niet bij "
                f"'{printable(str(vocab.field), 40)}'.",
                f"Schrijf bovenaan: veld: {facet.name}",
            )
        )
    if facet.unknown != (vocab.get(UNKNOWN) is not None):
        problems.append(
            (
                f"De woordenlijst '{facet.name}' moet de term '{UNKNOWN}' hebben."
                if facet.unknown
                else f"De woordenlijst '{facet.name}' kent geen term '{UNKNOWN}'.",
                f"Voeg de term '{UNKNOWN}' toe (niet vermeld)."
                if facet.unknown
                else f"Haal de term '{UNKNOWN}' weg; laat het veld in een casus dan leeg.",
            )
        )
    return [finding(vocab.path, None, "woordenlijst-facet", m, h) for m, h in problems]
