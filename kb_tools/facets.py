"""The facets: the vocabularies that cases are described, browsed, searched and compared
by, declared once. Every list of vocabularies in the code derives from ``FACETS``; adding a
vocabulary is one row here plus its file ``content/vocabulaires/<name>.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The term id that means "not stated" in a vocabulary that has one (``Facet.unknown``):
#: it is a valid value, but never a shared trait, a search word or a page worth a link.
UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Facet:
    """One vocabulary that cases are described, browsed, searched and compared by: its
    frontmatter field and ``content/vocabulaires/<name>.yml`` have this name. Every list
    of vocabularies in the code is derived from ``FACETS``; adding a vocabulary is one row
    there plus its YAML file."""

    name: str
    heading: str  # above the terms on a case card: "Thema"
    title: str  # the overview page: "Per thema"
    question: str  # under that title: "Waar gaan de initiatieven over?"
    description: str  # of the case field (JSON Schema, issue form, docs)
    many: bool = True  # a list of terms (``terms``) or one term (``term``)
    required: bool = False
    answers: str = ""  # helpdesk answers carry it too: the description of their field
    weight: float = 0.0  # similarity weight; 0: not a reason two cases are alike
    reason: str = ""  # why two cases are alike, as the site says it: "zelfde wet"
    search_filter: bool = False  # a filter on the search page and in kb zoek
    unknown: bool = False  # has the term UNKNOWN ("onbekend")
    on_card: bool = True  # shown among the terms of a case (province is shown as place)
    keyword: bool = False  # a schema.org keyword of the case page
    alias: str = ""  # a shorter option name in kb zoek: --wet for --wetgeving
    #: Rank when two vocabularies claim the same word or synonym: the lower, the more
    #: specific, and the one that wins ("Wmo" is a law before it is a theme).
    specificity: int = 50

    def stated(self, terms: list[str] | tuple[str, ...]) -> list[str]:
        """The terms without "not stated"."""
        return [t for t in terms if t != UNKNOWN] if self.unknown else list(terms)


# Why each facet weighs what it does. Readers come with a wall they hit; cases that hit the
# same wall (law, money, obstacle) teach the most. Themes and the kind of initiative say what
# people do, which is broader and shared by many. Place says nothing about the lesson:
# learning across regions is the point, so province has no weight.
#: The facets, in the order the site shows them.
FACETS: tuple[Facet, ...] = (
    Facet(
        "thema",
        "Thema",
        "Per thema",
        "Waar gaan de initiatieven over?",
        "Waar het initiatief over gaat.",
        required=True,
        answers="Waar de vraag over gaat.",
        weight=1.2,  # same activity: relevant, but themes are broad and common
        reason="zelfde thema",
        search_filter=True,
        keyword=True,
        specificity=6,
    ),
    Facet(
        "knelpunten",
        "Knelpunten",
        "Per knelpunt",
        "Welke problemen kwamen initiatieven tegen?",
        "Problemen die het initiatief tegenkwam.",
        answers="Problemen waar de vraag over gaat.",
        weight=3.0,  # same obstacle: exactly what a stuck initiative looks for
        reason="zelfde knelpunt",
        keyword=True,
        specificity=3,
    ),
    Facet(
        "financiering",
        "Financiering",
        "Per financiering",
        "Waar komt het geld vandaan?",
        "Waar het geld vandaan komt.",
        required=True,
        weight=2.5,  # same money route: pgb, Right to Challenge, insurer, funds
        reason="zelfde financiering",
        search_filter=True,
        unknown=True,
        keyword=True,
        specificity=2,
    ),
    Facet(
        "wetgeving",
        "Wetten en regels",
        "Per wet of regel",
        "Welke wetten en regels speelden een rol?",
        "Wetten en regels die een rol spelen.",
        answers="Wetten en regels in het antwoord.",
        weight=3.0,  # same law: the same rules, the same official source to read
        reason="zelfde wet",
        search_filter=True,
        alias="wet",
        keyword=True,
        specificity=1,
    ),
    Facet(
        "rechtsvorm",
        "Rechtsvorm",
        "Per rechtsvorm",
        "Hoe zijn de initiatieven georganiseerd?",
        "Rechtsvorm van het initiatief.",
        many=False,
        required=True,
        weight=1.5,  # same legal form: same tax and governance questions
        reason="zelfde rechtsvorm",
        search_filter=True,
        unknown=True,
        specificity=4,
    ),
    Facet(
        "type",
        "Soort initiatief",
        "Per soort initiatief",
        "Wat voor initiatief is het?",
        "Soort initiatief.",
        many=False,
        weight=1.0,  # same kind of initiative (zorgcoöperatie, stadsdorp, ...)
        reason="zelfde soort initiatief",
        unknown=True,
        specificity=5,
    ),
    Facet(
        "provincie",
        "Provincie",
        "Per provincie",
        "Waar in Nederland?",
        "Provincie, of landelijk.",
        many=False,
        required=True,
        search_filter=True,
        on_card=False,
        specificity=7,
    ),
    Facet(
        "fase",
        "Fase",
        "Per fase",
        "Hoe ver is het initiatief?",
        "Hoe ver het initiatief is.",
        many=False,
        weight=0.5,  # same phase: a start-up learns from a start-up, a little
        unknown=True,
        specificity=8,
    ),
    Facet(
        "omgeving",
        "Omgeving",
        "Stad of dorp",
        "In de stad of op het platteland?",
        "Stad of dorp.",
        many=False,
        weight=0.5,  # city or village: context matters somewhat
        reason="zelfde omgeving",
        unknown=True,
        specificity=9,
    ),
)
FACETS_BY_NAME = {f.name: f for f in FACETS}
#: The filters of the search page and of kb zoek, in this order: (name, heading). Values
#: are term ids (network ids for "netwerk", which is no vocabulary), so a link that a
#: helpdesk sent keeps working when a label is reworded.
NETWORK_FILTER = "netwerk"
SEARCH_FILTERS: tuple[tuple[str, str], ...] = (
    *((f.name, f.heading) for f in FACETS if f.search_filter),
    (NETWORK_FILTER, "Netwerk"),
)
#: The filter "Casussen / Helpdeskantwoorden" of the search page and ``kb zoek --soort``:
#: (value, label) of each kind of item. Not a facet: every item is one of the two.
KIND_FILTER = "soort"
KINDS: tuple[tuple[str, str], ...] = (
    ("casus", "Alleen casussen"),
    ("antwoord", "Alleen helpdeskantwoorden"),
)
#: The facets helpdesk answers carry, in the site's order.
ANSWER_FACETS = tuple(f for f in FACETS if f.answers)
#: When two vocabularies claim a word, the most specific first.
BY_SPECIFICITY = tuple(sorted(FACETS, key=lambda f: f.specificity))
#: Vocabularies that are not facets but that the format needs: units of the figures
#: (``cijfers``), and the roles that answer helpdesk questions.
OTHER_VOCABULARIES = ("kengetallen", "rol")
