"""The GitHub issue form for a new case, generated from ``schema.FIELDS`` and the vocabularies.

A volunteer fills in the form on GitHub; ``kb uit-issue`` turns the issue body back into a
case file. Both sides use ``form_elements``, so a label in the form always maps back to a field
and every dropdown option maps back to a vocabulary id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kb_tools.model import Registry
from kb_tools.schema import ACTIVE_VALUES, FIELDS, SECTIONS, Field

FORM_DIR = Path(".github") / "ISSUE_TEMPLATE"
FORM_FILE = "nieuwe-casus.yml"
CONFIG_FILE = "config.yml"
ISSUE_LABEL = "casus"
CONSENT_ID = "toestemming"

#: Fields the volunteer never fills in: kb uit-issue sets them.
AUTOMATIC = {
    "id": "het volgende vrije nummer van het netwerk",
    "gepubliceerd": "de datum van vandaag",
    "bijgewerkt": "blijft leeg bij een nieuwe casus.",
}

#: How to write the structured fields in a text box, one line per item.
FORMATS = {
    "cijfers": "Eén kengetal per regel: soort; waarde; jaar; toelichting (mag weg).\n"
    "De soort komt uit de lijst met kengetallen, bijvoorbeeld: Vrijwilligers; 40; 2024; "
    "actief in de wijk",
    "bronnen": "Eén bron per regel: titel; https://adres. Of een document uit de kennisbank: "
    "document-id; hoofdstuk.\nBijvoorbeeld: Jaarverslag 2024; https://www.voorbeeld.nl/jaarverslag",
    "gerelateerd": "Nummers van verwante casussen, met komma's ertussen. Bijvoorbeeld: "
    "ams-0001, utr-0101",
    "contact": "Alleen met toestemming. Eén gegeven per regel, bijvoorbeeld:\n"
    "organisatie: Zorgcoöperatie Voorbeeld\nwebsite: https://www.voorbeeld.nl\n"
    "Een naam, e-mail of telefoon mag alleen met: toestemming: JJJJ-MM-DD",
    "controle": "Alleen voor beheerders van het netwerk. Bijvoorbeeld:\n"
    "door: @zorgzame-kennisbank/redactie-amsterdam\ndatum: 2026-11-23",
}
INPUTS = ("titel", "initiatief", "plaats", "gerelateerd")
SECTION_HELP = {
    "Situatie": "De plek, de mensen en het probleem.",
    "Aanpak": "Wat deed het initiatief?",
    "Wat werkte": "Wat ging goed?",
    "Wat werkte niet": "Wat ging minder goed? Weet u het niet, schrijf dat dan op.",
    "Resultaat": "Wat is er bereikt?",
    "Tips": "Lessen voor anderen, en wanneer iets werkt.",
}
CONSENT_LABEL = "Ik heb de tekst in eigen woorden geschreven"
CONSENT_OPTION = (
    "De casus noemt geen privépersonen, of alleen met hun toestemming. "
    "De tekst komt niet letterlijk uit een ander document."
)


@dataclass(frozen=True)
class Element:
    """One question of the form: ``key`` is a field name or ``sectie:<kop>`` for the story."""

    key: str
    kind: str  # input, textarea, dropdown, checkboxes
    label: str
    description: str
    required: bool = False
    multiple: bool = False
    options: tuple[tuple[str, str], ...] = ()  # (label, id)

    @property
    def id(self) -> str:
        return self.key.replace("sectie:", "").lower().replace(" ", "-")


Options = tuple[tuple[str, str], ...]


def _no_options(field: Field, registry: Registry) -> Options:
    return ()


def _network_options(field: Field, registry: Registry) -> Options:
    return tuple((n.name, n.id) for n in registry.networks.values())


def _active_options(field: Field, registry: Registry) -> Options:
    return tuple((v.capitalize(), v) for v in ACTIVE_VALUES)


def _vocabulary_options(field: Field, registry: Registry) -> Options:
    vocab = registry.vocabularies.get(field.vocabulary or "")
    return tuple((t.label, t.id) for t in vocab.terms) if vocab else ()


@dataclass(frozen=True)
class FormKind:
    """How the form asks for one kind of field: a dropdown when ``options`` gives any
    (several choices when ``multiple``), else a text box."""

    options: Callable[[Field, Registry], Options] = _no_options
    multiple: bool = False


#: One entry per kind in ``schema.KINDS``; tests/test_kinds.py keeps the two in step.
FORM_KINDS: dict[str, FormKind] = {
    "text": FormKind(),
    "id": FormKind(),
    "answer_id": FormKind(),
    "network": FormKind(_network_options),
    "term": FormKind(_vocabulary_options),
    "terms": FormKind(_vocabulary_options, multiple=True),
    "date": FormKind(),
    "active": FormKind(_active_options),
    "case_ids": FormKind(),
    "figures": FormKind(),
    "sources": FormKind(),
    "contact": FormKind(),
    "review": FormKind(),
}


def form_elements(registry: Registry) -> list[Element]:
    """Every question of the form, in the order of the case format."""
    elements = []
    for field in FIELDS:
        if field.name in AUTOMATIC:
            continue
        form_kind = FORM_KINDS[field.kind]
        options = form_kind.options(field, registry)
        description = field.description
        if field.name in FORMATS:
            description += "\n" + FORMATS[field.name]
        if form_kind.multiple:
            description += " U mag meer dan één keuze maken."
        if field.name == "cijfers" and "kengetallen" in registry.vocabularies:
            soorten = registry.vocabularies["kengetallen"].terms
            description += "\nSoorten: " + ", ".join(t.label for t in soorten) + "."
        if field.name == "bronnen" and registry.sources:
            description += "\nDocumenten in de kennisbank: " + ", ".join(registry.sources) + "."
        if options:
            kind = "dropdown"
        elif field.name in INPUTS:
            kind = "input"
        else:
            kind = "textarea"
        elements.append(
            Element(
                field.name,
                kind,
                field.name.capitalize(),
                description,
                field.required,
                form_kind.multiple,
                options,
            )
        )
    for title, required in SECTIONS:
        elements.append(
            Element(f"sectie:{title}", "textarea", title, SECTION_HELP.get(title, ""), required)
        )
    elements.append(
        Element(CONSENT_ID, "checkboxes", CONSENT_LABEL, "", True, options=((CONSENT_OPTION, ""),))
    )
    return elements


INTRO = """\
Met dit formulier stelt u een nieuwe casus voor. U hoeft Git niet te kennen.
Velden met een sterretje (*) zijn verplicht. Weet u iets niet? Laat het veld leeg of kies \
'Onbekend'. Verzin niets.

Na het versturen maakt de kennisbank er een casusbestand van en controleert het. Klopt er iets \
niet, dan ziet u hieronder een reactie met wat u moet aanpassen. Een beheerder van uw netwerk \
kijkt de casus na voordat hij op de website komt.

Dit vult de kennisbank zelf in:
{automatic}

Uitleg over alle velden staat in de kennisbank, in content/handleiding/casusformaat.md."""


def form(registry: Registry) -> dict[str, Any]:
    """The issue form as a GitHub issue-forms document."""
    automatic = "\n".join(f"- {name}: {what}" for name, what in AUTOMATIC.items())
    body: list[dict[str, Any]] = [
        {"type": "markdown", "attributes": {"value": INTRO.format(automatic=automatic)}}
    ]
    for element in form_elements(registry):
        attributes: dict[str, Any] = {"label": element.label}
        if element.description:
            attributes["description"] = element.description
        if element.kind == "dropdown":
            attributes["multiple"] = element.multiple
            attributes["options"] = [label for label, _ in element.options]
        elif element.kind == "checkboxes":
            attributes["options"] = [
                {"label": label, "required": True} for label, _ in element.options
            ]
        item: dict[str, Any] = {"type": element.kind, "id": element.id, "attributes": attributes}
        if element.required and element.kind != "checkboxes":
            item["validations"] = {"required": True}
        body.append(item)
    return {
        "name": "Nieuwe casus",
        "description": "Stel een nieuwe casus voor, zonder Git. De kennisbank maakt er een "
        "bestand van.",
        "title": "Nieuwe casus: ",
        "labels": [ISSUE_LABEL],
        "body": body,
    }


#: Blank issues stay allowed: questions and bug reports about the site are not cases, and
#: volunteers should never be stuck on a form that does not fit. No contact links: the
#: repository's public address is not fixed yet.
CONFIG = {"blank_issues_enabled": True}

HEADER = (
    "# Gemaakt door 'kb formulieren' uit kb_tools/schema.py en content/vocabulaires/.\n"
    "# Niet met de hand aanpassen: voer 'kb formulieren' opnieuw uit.\n"
)


class _Dumper(yaml.SafeDumper):
    """Multi-line texts as readable '|' blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(data: dict[str, Any]) -> str:
    return HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def generate(registry: Registry) -> dict[str, str]:
    """File name → text of every generated file in ``.github/ISSUE_TEMPLATE``."""
    return {FORM_FILE: dump(form(registry)), CONFIG_FILE: dump(CONFIG)}
