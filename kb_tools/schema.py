"""The case format: one table of fields that the validator, the JSON Schema and the
documentation all derive from. Change a field here, nowhere else; the fields of the
facets come from ``facets.FACETS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kb_tools.facets import ANSWER_FACETS, FACETS, UNKNOWN, Facet
from kb_tools.model import Registry

#: Ids are ASCII: a Unicode digit such as '０' looks like '0' but is another id. Patterns
#: end in \Z, not $, which would also accept a newline at the end.
ID_PATTERN = re.compile(r"([a-z]{2,5})-([0-9]{4})\Z", re.ASCII)
ID_JSON_PATTERN = "^[a-z]{2,5}-[0-9]{4}$"
#: Helpdesk answers: hd-0001. The prefix is no network's (netwerken.yml refuses it).
ANSWER_PREFIX = "hd"
ANSWER_ID_PATTERN = re.compile(r"hd-([0-9]{4})\Z", re.ASCII)
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", re.ASCII)
DATE_JSON_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

TITLE_MAX = 120
SUMMARY_MAX = 400
TEXT_MAX = 200


@dataclass(frozen=True)
class Field:
    """One frontmatter field. ``kind`` is a key of ``KINDS``."""

    name: str
    kind: str
    description: str
    required: bool = False
    vocabulary: str | None = None
    max_length: int | None = None


def _facet_field(facet: Facet, answer: bool = False) -> Field:
    kind = "terms" if facet.many else "term"
    text = facet.answers if answer else facet.description
    return Field(facet.name, kind, text, facet.required, vocabulary=facet.name)


FIELDS: tuple[Field, ...] = (
    Field("id", "id", "Nummer van de casus: voorvoegsel van het netwerk en vier cijfers.", True),
    Field("titel", "text", "Titel van de casus.", True, max_length=TITLE_MAX),
    Field(
        "samenvatting", "text", "Korte samenvatting, gewone tekst.", True, max_length=SUMMARY_MAX
    ),
    Field("netwerk", "network", "Het netwerk dat de casus publiceert.", True),
    Field("initiatief", "text", "Naam van het initiatief.", max_length=TEXT_MAX),
    Field("plaats", "text", "Dorp, wijk of stad.", True, max_length=TEXT_MAX),
    Field("actief", "active", "Bestaat het initiatief nog: ja, nee of onbekend."),
    *(_facet_field(f) for f in FACETS),
    Field("cijfers", "figures", "Kengetallen: soort, waarde, jaar en toelichting."),
    Field("gepubliceerd", "date", "Datum van publicatie (JJJJ-MM-DD).", True),
    Field("bijgewerkt", "date", "Datum van de laatste wijziging (JJJJ-MM-DD)."),
    Field("bronnen", "sources", "Bronnen van de feiten: document en deel, of titel en url."),
    Field("gerelateerd", "case_ids", "Nummers van verwante casussen."),
    Field("contact", "contact", "Contactgegevens, alleen met toestemming."),
    Field("controle", "review", "Wie in het netwerk de casus nakeek, en wanneer."),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}

QUESTION_MAX = 600

#: The answer format (content/antwoorden/): the same kinds of field, fewer of them.
ANSWER_FIELDS: tuple[Field, ...] = (
    Field("id", "answer_id", "Nummer van het antwoord: hd- en vier cijfers.", True),
    Field("titel", "text", "De vraag in het kort.", True, max_length=TITLE_MAX),
    Field(
        "vraag",
        "text",
        "De vraag zoals het initiatief die stelde, zonder namen.",
        True,
        max_length=QUESTION_MAX,
    ),
    Field(
        "samenvatting",
        "text",
        "Het antwoord in het kort, gewone tekst.",
        True,
        max_length=SUMMARY_MAX,
    ),
    Field("datum", "date", "Datum van het antwoord (JJJJ-MM-DD).", True),
    Field("bijgewerkt", "date", "Datum van de laatste wijziging (JJJJ-MM-DD)."),
    Field(
        "beantwoord_door",
        "term",
        "Wie antwoordde: een rol, nooit een naam.",
        True,
        vocabulary="rol",
    ),
    *(_facet_field(f, answer=True) for f in ANSWER_FACETS),
    Field("bronnen", "sources", "Bronnen van het antwoord: document en deel, of titel en url."),
)

#: Sub-fields of the structured fields; unknown keys inside them are findings too.
FIGURE_KEYS = ("soort", "waarde", "jaar", "toelichting")
SOURCE_KEYS = ("document", "deel", "titel", "url")
CONTACT_KEYS = ("organisatie", "website", "naam", "email", "telefoon", "toestemming")
PERSONAL_CONTACT_KEYS = ("naam", "email", "telefoon")
REVIEW_KEYS = ("door", "datum")
ACTIVE_VALUES = ("ja", "nee", UNKNOWN)

#: Body sections, in order. Required ones are errors when missing, the rest warnings.
SECTIONS: tuple[tuple[str, bool], ...] = (
    ("Situatie", True),
    ("Aanpak", True),
    ("Wat werkte", False),
    ("Wat werkte niet", False),
    ("Resultaat", True),
    ("Tips", False),
)


#: Body sections of an answer.
ANSWER_SECTIONS: tuple[tuple[str, bool], ...] = (
    ("Antwoord", True),
    ("Wat de casussen laten zien", False),
    ("Meer weten", False),
)


# -- kinds of field -------------------------------------------------------------------------
#
# A kind is declared here once, with its JSON-Schema fragment. The validator
# (validate/values.py, KIND_CHECKS) and the issue form (tooling/forms.py, FORM_KINDS) each
# keep one handler per kind in their own module; tests/test_kinds.py fails when one is missing.

ANSWER_ID_JSON_PATTERN = "^hd-[0-9]{4}$"
_DATE_JSON = {"type": "string", "format": "date", "pattern": DATE_JSON_PATTERN}
_CASE_ID_JSON = {"type": "string", "pattern": ID_JSON_PATTERN}
_URL_JSON = {"type": "string", "pattern": "^(https?://|mailto:)"}

#: A JSON-Schema fragment of one field; the registry fills in the enums.
Fragment = Callable[[Field, Registry], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    """One kind of field: what its values are, and its JSON-Schema fragment."""

    name: str
    description: str
    json_schema: Fragment


def _fixed(fragment: dict[str, Any]) -> Fragment:
    """A fragment that depends on neither the field nor the registry."""
    return lambda field, registry: dict(fragment)


def _enum(registry: Registry, vocab: str | None) -> dict[str, Any]:
    vocabulary = registry.vocabularies.get(vocab or "")
    schema: dict[str, Any] = {"type": "string"}
    if vocabulary:
        schema["enum"] = list(vocabulary.ids())
    return schema


def _text_json(field: Field, registry: Registry) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": "string", "minLength": 1}
    if field.max_length:
        prop["maxLength"] = field.max_length
    return prop


def _terms_json(field: Field, registry: Registry) -> dict[str, Any]:
    return {
        "type": "array",
        "items": _enum(registry, field.vocabulary),
        "uniqueItems": True,
        "minItems": 1 if field.required else 0,
    }


def _figures_json(field: Field, registry: Registry) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["soort", "waarde", "jaar"],
            "properties": {
                "soort": _enum(registry, "kengetallen"),
                "waarde": {"type": "number", "minimum": 0},
                "jaar": {"type": "integer", "minimum": 1900},
                "toelichting": {"type": "string", "maxLength": TEXT_MAX},
            },
        },
    }


def _sources_json(field: Field, registry: Registry) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "document": {"type": "string", "enum": sorted(registry.sources)},
                "deel": {"type": "string"},
                "titel": {"type": "string"},
                "url": _URL_JSON,
            },
            "anyOf": [{"required": ["document"]}, {"required": ["titel"]}],
        },
    }


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("text", "One line of plain text, at most max_length characters.", _text_json),
        Kind("id", "A case id: network prefix and four digits.", _fixed(_CASE_ID_JSON)),
        Kind(
            "answer_id",
            "A helpdesk answer id: hd- and four digits.",
            _fixed({"type": "string", "pattern": ANSWER_ID_JSON_PATTERN}),
        ),
        Kind(
            "network",
            "The id of a network in netwerken.yml.",
            lambda field, registry: {"type": "string", "enum": sorted(registry.networks)},
        ),
        Kind(
            "term",
            "One id from the field's vocabulary.",
            lambda field, registry: _enum(registry, field.vocabulary),
        ),
        Kind("terms", "A list of ids from the field's vocabulary.", _terms_json),
        Kind("date", "A date: YYYY-MM-DD, not in the future.", _fixed(_DATE_JSON)),
        Kind(
            "active",
            "ja, nee or onbekend (YAML true and false too).",
            _fixed({"enum": [*ACTIVE_VALUES, True, False]}),
        ),
        Kind(
            "case_ids",
            "A list of case ids.",
            _fixed({"type": "array", "items": _CASE_ID_JSON, "uniqueItems": True}),
        ),
        Kind("figures", "A list of key figures: FIGURE_KEYS.", _figures_json),
        Kind("sources", "A list of sources: SOURCE_KEYS.", _sources_json),
        Kind(
            "contact",
            "Contact details: CONTACT_KEYS; personal ones only with a date of consent.",
            _fixed(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "organisatie": {"type": "string"},
                        "website": _URL_JSON,
                        "naam": {"type": "string"},
                        "email": {"type": "string", "format": "email"},
                        "telefoon": {"type": "string"},
                        "toestemming": _DATE_JSON,
                    },
                }
            ),
        ),
        Kind(
            "review",
            "Who of the network reviewed the case, and when: REVIEW_KEYS.",
            _fixed(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["door", "datum"],
                    "properties": {"door": {"type": "string"}, "datum": _DATE_JSON},
                }
            ),
        ),
    )
}


def json_schema(registry: Registry) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the frontmatter, with the vocabularies as enums."""
    properties: dict[str, Any] = {}
    for field in FIELDS:
        prop = KINDS[field.kind].json_schema(field, registry)
        prop["description"] = field.description
        properties[field.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "casus.schema.json",
        "title": "Casus in de kennisbank voor zorgzame gemeenschappen",
        "description": "De kop (frontmatter) van een casusbestand. Zie content/handleiding/casusformaat.md.",
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in FIELDS if f.required],
        "properties": properties,
    }
