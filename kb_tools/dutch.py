"""Dutch text analysis shared by similarity and search: tokens, stop words, stems, synonyms.

Lower case without diacritics ("coöperatie" = "cooperatie"), Dutch Snowball stems
(whoosh's), a few extra plural rules Snowball leaves alone ("coöperaties"), and the
vocabulary synonyms mapped onto one token per term ("vpb" and "vennootschapsbelasting"
both become the law's token), so cases that say the same thing in other words match.
Compound parts come from ``kb_tools.compounds`` (``Compounds`` is re-exported here).
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.lang import stemmer_for_language, stopwords_for_language

from kb_tools.compounds import Compounds as Compounds  # re-exported: the search indexes use it
from kb_tools.facets import BY_SPECIFICITY, FACETS_BY_NAME
from kb_tools.model import Registry
from kb_tools.textscan import fold

_WORD = re.compile(r"[a-z0-9]+")
_RAW_WORD = re.compile(r"[^\W_]+")
_STEM = stemmer_for_language("nl")
STOP_WORDS = frozenset(stopwords_for_language("nl")) | frozenset(
    "wel ook nog meer veel dit deze die dat zij hun haar zijn was werd worden wordt "
    "kan kunnen moet moeten zou zouden heeft hebben had door naar over voor bij tot "
    "uit met een het de en of als dan maar niet geen wat wie hoe waar welke elke "
    "casus casussen initiatief initiatieven bron bronnen daarover daarom daarbij daarna "
    "neemt nemen liet laten hoeft hoeven wilde willen echt vertelde vertellen vier tien "
    "twee drie vijf zes zeven acht negen kleine klein grote groot achter andere ander "
    "eigen eerste nieuwe goed gaat gaan komt komen maakt maken zegt zeggen staat staan "
    "krijgt krijgen geeft geven heel vaak soms steeds weer alleen zelf samen".split()
)
MAX_PHRASE = 4
#: Words of a question that say nothing about its subject ("mag iemand met een uitkering
#: vrijwilligerswerk doen?"): beside the stop words, they never count against a case in
#: either search engine. Folded, like ``words``.
QUERY_FILLER = frozenset(
    "mag mogen iemand iets we wij onze ons jij jullie zit zitten doe doet waarom wanneer "
    "mogelijk graag beste manier precies eigenlijk nou hierover ergens hoeveel welk "
    "allemaal even vraag weten iedereen terecht".split()
)


def query_words(text: str) -> list[str]:
    """The folded words of a query that count: no stop words, no question filler."""
    return [w for w in words(text) if w not in QUERY_FILLER]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Dutch plus plural rules it skips (-ies, -ers after a stem of 4+ letters)."""
    if word.endswith("ies") and len(word) > 5:
        word = word[:-1]
    return _STEM(word)


def words(text: str) -> list[str]:
    """Folded words, stop words and one-letter words left out."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS]


@lru_cache(maxsize=200_000)
def analyse_word(raw: str) -> str | None:
    """The stem of one lower-case word, or None for a stop word or a one-letter word."""
    folded = fold(raw)
    if len(folded) < 2 or folded in STOP_WORDS or not folded.isalnum():
        return None
    return stem(folded)


class Analyzer:
    """Text to stems, with vocabulary synonyms and labels replaced by one token per term."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.forms: dict[str, str] = {}  # stem -> first written form, to show to readers
        self.phrases: dict[tuple[str, ...], str] = {}
        self.starts: set[str] = set()
        self.single: dict[str, str] = {}
        self.longest = 1
        self.labels: dict[str, str] = {}
        if registry is None:
            return
        # When two terms claim the same words, the more specific vocabulary wins; the
        # vocabularies that are not facets (units, roles) come last.
        order = {f.name: i for i, f in enumerate(BY_SPECIFICITY)}
        vocabularies = sorted(
            registry.vocabularies.values(), key=lambda v: order.get(v.field or "", len(order))
        )
        for vocab in vocabularies:
            if vocab.field is None:
                continue
            facet = FACETS_BY_NAME.get(vocab.field)
            for term in vocab.terms:
                if facet is not None and not facet.stated([term.id]):
                    continue
                token = f"{vocab.field}:{term.id}"
                self.labels[token] = term.label
                for phrase in (term.label, term.id.replace("-", " "), *term.synonyms):
                    stems = tuple(stem(w) for w in words(phrase))
                    if stems and len(stems) <= MAX_PHRASE:
                        self.phrases.setdefault(stems, token)
        self.longest = max((len(p) for p in self.phrases), default=1)
        self.starts = {p[0] for p in self.phrases if len(p) > 1}
        self.single = {p[0]: token for p, token in self.phrases.items() if len(p) == 1}

    def tokens(self, text: str) -> list[str]:
        """Stems of the text; a run of stems that names a vocabulary term becomes its token."""
        stems = []
        forms = self.forms
        for raw in _RAW_WORD.findall(text.lower()):
            stemmed = analyse_word(raw)
            if stemmed is None:
                continue
            stems.append(stemmed)
            if stemmed not in forms:
                forms[stemmed] = raw
        if not self.phrases:
            return stems
        out: list[str] = []
        i = 0
        count = len(stems)
        phrases, starts, single = self.phrases, self.starts, self.single
        while i < count:
            current = stems[i]
            if current in starts:  # only stems that begin a multi-word phrase look ahead
                for size in range(min(self.longest, count - i), 1, -1):
                    token = phrases.get(tuple(stems[i : i + size]))
                    if token is not None:
                        out.append(token)
                        i += size
                        break
                else:
                    out.append(single.get(current, current))
                    i += 1
            else:
                out.append(single.get(current, current))
                i += 1
        return out


def synonym_map(registry: Registry) -> dict[str, str]:
    """Synonym -> label for the search page, which rewrites a query before it asks the
    index ("vpb" -> "Vennootschapsbelasting"). Synonyms stay out of the index: 70
    words per case cost Pagefind 0.5 GB at 10,000 cases. Keys are folded words joined
    by one space ("wmo-loket" -> "wmo loket"). A synonym of terms in two vocabularies
    goes to the most specific one (``facets.BY_SPECIFICITY``): "vpb" means the law, not the
    bottleneck "belastingen"."""
    found: dict[str, str] = {}
    for facet in BY_SPECIFICITY:
        vocab = registry.vocabularies.get(facet.name)
        for term in vocab.terms if vocab else ():
            if not facet.stated([term.id]):
                continue
            label = _RAW_WORD.findall(fold(term.label))
            for synonym in (*term.synonyms, term.extra.get("afkorting") or ""):
                words = _RAW_WORD.findall(fold(str(synonym)))
                if words and not set(words) <= set(label):
                    # ("wmo" for "Wmo 2015" is left out: the index has that word)
                    found.setdefault(" ".join(words), term.label)
    return dict(sorted(found.items()))
