"""Index, helpdesk words: how ``kb zoek`` turns a text into index terms and a question into
concepts, with the analysis of ``dutch`` (folding, stems, vocabulary synonyms, compound
parts). Each distinct word is analysed once per run: at 10,000 cases most words repeat.

A synonym adds its term's token beside the words as written, it never replaces them: a
case that says "vrijwilligers" is found on "vrijwilligers" first. Only whole synonyms
count: "zonder geld" is no synonym of every "geld" once "zonder" is dropped as a stop word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain

from kb_tools.dutch import Analyzer, Compounds, analyse_word, fold, query_words, stem, words
from kb_tools.model import Registry

_RAW_WORD = re.compile(r"[^\W_]+")
_FOLDED_WORD = re.compile(r"[a-z0-9]+")
_ALTERNATIVES = re.compile(r"\s+(?:of|en)\s+|[/,]", re.IGNORECASE)
MIN_COMPOUND = 8  # shorter words are not split into parts
#: A typed word of this many letters may be one edit off; from the second, two edits.
TYPO_EDITS = ((8, 2), (5, 1))


def typo_edits(word: str) -> int:
    """How many edits from a typed (folded) word its correction may be."""
    return next((edits for length, edits in TYPO_EDITS if len(word) >= length), 0)


def whole_phrases(registry: Registry, analyzer: Analyzer) -> dict[tuple[str, ...], str]:
    """The analyzer's phrase -> token table without what is no synonym of a term but a
    broader word: a synonym reduced to one word by the stop words ("zonder geld" and
    "geen geld" become "geld", which would make every case about money one of the term
    "Alleen vrijwillige inzet"), and a synonym that is a word of the label itself
    ("gemeente" for "Samenwerking met de gemeente"). Those words are searched as
    written; a case with the term has its label and synonyms among its words anyway."""
    broad: set[tuple[str, ...]] = set()
    kept: set[tuple[str, ...]] = set()
    for vocab in registry.vocabularies.values():
        for term in vocab.terms if vocab.field else ():
            # "Dorpsondersteuner of wijkcoach" names two alternatives: each is a synonym.
            alternatives = [words(a) for a in _ALTERNATIVES.split(term.label)]
            label = {stem(w) for a in alternatives if len(a) > 1 for w in a}
            kept.update((stem(a[0]),) for a in alternatives if len(a) == 1)
            names = (term.label, term.id.replace("-", " "))
            for phrase in (*names, *term.synonyms):
                stems = tuple(stem(w) for w in words(phrase))
                lost = len(stems) < len(_FOLDED_WORD.findall(fold(str(phrase))))
                if len(stems) == 1 and (lost or (phrase not in names and stems[0] in label)):
                    broad.add(stems)
                else:
                    kept.add(stems)
    return {p: token for p, token in analyzer.phrases.items() if p in kept or p not in broad}


@dataclass
class Concept:
    """One thing a question asks for: a word (its stem, and a synonym's token) or a
    phrase of a vocabulary term (its token; ``phrase``: its stems, to mark them); a case
    has it when it has any of ``terms``."""

    word: str  # as typed, folded
    terms: list[str]
    phrase: tuple[str, ...] = ()
    corrected: list[str] = field(default_factory=list)  # written forms searched as well


class Words:
    """Text to index terms, memoised per written word; keeps the written form of each
    stem, so a correction is shown as the texts write it ("Austerlitz")."""

    def __init__(self, registry: Registry, analyzer: Analyzer, compounds: Compounds) -> None:
        self.compounds = compounds
        self.phrases = whole_phrases(registry, analyzer)
        self.single = {p[0]: t for p, t in self.phrases.items() if len(p) == 1}
        self.starts = {p[0] for p in self.phrases if len(p) > 1}
        self._pairs = {p[:2] for p in self.phrases if len(p) > 1}  # most starts go no further
        self.longest = max((len(p) for p in self.phrases), default=1)
        # written word -> (stem or None, index terms it gives: stem, synonym token, parts)
        self._memo: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self.forms: dict[str, dict[str, str]] = {}  # stem -> lower form -> written form
        self._new_forms: list[tuple[str, str]] = []  # (stem, written form) since take_forms

    def _learn(self, raw: str) -> tuple[str | None, tuple[str, ...]]:
        lower = raw.lower()
        stemmed = analyse_word(lower)
        if stemmed is None:
            entry: tuple[str | None, tuple[str, ...]] = (None, ())
        else:
            out = [stemmed]
            token = self.single.get(stemmed)
            if token is not None:
                out.append(token)
            folded = fold(lower)
            if len(folded) >= MIN_COMPOUND:
                for part in self.compounds.split(folded):
                    part_stem = analyse_word(part)
                    if part_stem and part_stem not in out:
                        out.append(part_stem)
            entry = (stemmed, tuple(out))
            seen = self.forms.setdefault(stemmed, {})
            if lower not in seen or raw == lower:  # lower case wins: "vrijwilligers"
                seen[lower] = raw
                self._new_forms.append((stemmed, raw))
        self._memo[raw] = entry
        return entry

    def terms(self, text: str) -> list[str]:
        """The index terms of a text, one per occurrence (so they can be counted)."""
        memo = self._memo
        entries = [memo[w] if w in memo else self._learn(w) for w in _RAW_WORD.findall(text)]
        out = list(chain.from_iterable(e[1] for e in entries))
        if self.starts:
            stems = [e[0] for e in entries if e[0] is not None]
            out.extend(self._phrase_tokens(stems))
        return out

    def _phrase_tokens(self, stems: list[str]) -> Iterable[str]:
        starts, pairs, phrases, count = self.starts, self._pairs, self.phrases, len(stems)
        for i in [i for i, s in enumerate(stems[:-1]) if s in starts]:
            if (stems[i], stems[i + 1]) not in pairs:
                continue
            for size in range(min(self.longest, count - i), 1, -1):
                token = phrases.get(tuple(stems[i : i + size]))
                if token is not None:
                    yield token
                    break

    def word_terms(self, word: str) -> tuple[str, ...]:
        """The index terms of one written word: its stem, a synonym's token, the stems of
        its compound parts ("zorgcoöperatie": zorgcooperatie, zorg, cooperatie)."""
        entry = self._memo.get(word) or self._learn(word)
        return entry[1]

    def concepts(self, query: str, most: int) -> list[Concept]:
        """What a question asks for: its content words (no stop words, no question filler
        such as "mag" or "iemand"), a phrase of a vocabulary term as one concept."""
        typed = query_words(query)
        stems = [stem(w) for w in typed]
        found: list[Concept] = []
        i = 0
        while i < len(stems) and len(found) < most:
            concept = None
            if stems[i] in self.starts:
                for size in range(min(self.longest, len(stems) - i), 1, -1):
                    token = self.phrases.get(tuple(stems[i : i + size]))
                    if token is not None:
                        concept = Concept(
                            " ".join(typed[i : i + size]), [token], tuple(stems[i : i + size])
                        )
                        i += size
                        break
            if concept is None:
                token = self.single.get(stems[i])
                concept = Concept(typed[i], [stems[i], *([token] if token else [])])
                i += 1
            if all(c.terms != concept.terms for c in found):
                found.append(concept)
        return found

    def split_unknown(self, concepts: list[Concept], known: Callable[[str], bool]) -> bool:
        """Replace each word of the question that no case has by its compound parts, each
        its own concept ("fondsvoorwaarden": fonds, voorwaarden), so a case that writes
        "voorwaarden van fondsen" has it. Only the outer parts: "zorgverzekeraarsoverleg"
        gives zorgverzekeraar and overleg. Returns whether a word was split."""
        split = False
        for i in range(len(concepts) - 1, -1, -1):
            concept = concepts[i]
            if concept.phrase or len(concept.word) < MIN_COMPOUND:
                continue
            if any(known(t) for t in concept.terms):
                continue
            parts = self.compounds.split(concept.word)
            outer = [p for p in parts if not any(p != q and p in q for q in parts)]
            stems = [analyse_word(p) for p in outer]
            if len(outer) < 2 or not all(stems):
                continue
            concepts[i : i + 1] = [Concept(p, [s]) for p, s in zip(outer, stems, strict=True)]
            split = True
        return split

    def marks(self, concepts: list[Concept]) -> set[str]:
        """The stems a snippet marks: the words of the question and their corrections."""
        marked = set()
        for concept in concepts:
            marked.update(concept.phrase or concept.terms[:1])
            marked.update(t for t in concept.terms if ":" not in t)
        return marked

    def take_forms(self) -> list[tuple[str, str]]:
        """The written forms learned since the last call (a child process sends them)."""
        taken, self._new_forms = self._new_forms, []
        return taken

    def add_forms(self, forms: list[tuple[str, str]]) -> None:
        for stemmed, raw in forms:
            seen = self.forms.setdefault(stemmed, {})
            lower = raw.lower()
            if lower not in seen or raw == lower:
                seen[lower] = raw

    def export_forms(self) -> dict[str, list[str]]:
        return {s: sorted(forms.values()) for s, forms in self.forms.items()}

    def import_forms(self, stored: dict[str, list[str]]) -> None:
        for stemmed, forms in stored.items():
            seen = self.forms.setdefault(stemmed, {})
            for form in forms:
                if isinstance(form, str):
                    seen.setdefault(form.lower(), form)
