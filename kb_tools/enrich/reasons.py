"""Why two similar cases are alike, in words a resident understands (``similarity``).

Shared facet terms are named by their labels ("zelfde thema: Werk en meedoen"); words of the
two texts only as both cases write them ("beide noemen: Overvecht"), never as a stem: a
vocabulary term by its label, a plain word when it is a name or a compound. The kinds of
trait come in the order of what they add to the pair's score.
"""

from __future__ import annotations

import re

from scipy import sparse

from kb_tools.dutch import Analyzer, Compounds, analyse_word, fold
from kb_tools.facets import FACETS
from kb_tools.model import Case, Registry

#: At most this many kinds of trait, this many names per kind; a word of the texts is shown
#: only when it is this long and one of the two texts uses it twice or more (words a text
#: repeats are its topic; "sinds" or "helpt" said once are not).
MAX_REASONS = 3
NAMES_PER_REASON = 2
MIN_REASON_WORD = 5
TEXT_REASON = "beide noemen"
REASON_OF = {f.name: f.reason for f in FACETS if f.weight and f.reason}


def row_of(matrix: sparse.csr_matrix, i: int) -> dict[int, float]:
    """Row i of a sparse matrix as {column: value}."""
    lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
    return dict(zip(matrix.indices[lo:hi].tolist(), matrix.data[lo:hi].tolist(), strict=True))


def _written(word: str, text: str) -> int:
    """The start of ``word`` as a whole word in the lower-case ``text``, or -1."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            return start
        start = text.find(word, start + 1)
    return -1


def _as_name(word: str, text: str) -> bool:
    """Whether ``text`` writes the capitalised ``word`` inside a sentence: a name."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        k = start - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        whole = (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        )
        if whole and k >= 0 and (text[k].isalnum() or text[k] in ",("):
            return True
        start = text.find(word, start + 1)
    return False


_BEFORE = re.compile(r"\b([A-Z][^\W\d_]+) $")
_AFTER = re.compile(r" ([A-Z][^\W\d_]+)\b")


def _beside(name: str, text: str, limit: int = 3) -> tuple[str, ...]:
    """The name with the capitalised word written just before or after it, at its first
    few places in ``text``; a stop word before it starts the sentence ("In Vinkeveen")."""
    found: list[str] = []
    start = text.find(name)
    while start >= 0 and limit:
        end = start + len(name)
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            limit -= 1
            before = _BEFORE.search(text, max(0, start - 40), start)
            after = _AFTER.match(text, end)
            if before and analyse_word(before[1]):
                found.append(f"{before[1]} {name}")
            if after and analyse_word(after[1]):
                found.append(f"{name} {after[1]}")
        start = text.find(name, start + 1)
    return tuple(found)


def _readable(form: str) -> bool:
    """A written word that says something on its own: long enough, letters only, and not
    an inflected adjective ("formele", "vrijwillige"), which needs its noun to mean
    anything; Snowball gives such a word the stem of its form without the final e."""
    if len(form) < MIN_REASON_WORD or not form.isalpha():
        return False
    return not (form.endswith("e") and analyse_word(form[:-1]) == analyse_word(form))


class Reasons:
    """The reasons of pairs of cases, from the views they were compared by: ``facets`` and
    ``text`` are (normalised matrix, column names, share of the score); ``occurs`` says how
    often each case uses each word of its text view; the Analyzer and Compounds are those of
    the comparison (labels and written forms of tokens; parts of compounds)."""

    def __init__(
        self,
        cases: list[Case],
        registry: Registry,
        analyzer: Analyzer,
        compounds: Compounds,
        facets: tuple[sparse.csr_matrix, list[str], float],
        text: tuple[sparse.csr_matrix, list[str], float],
        occurs: sparse.csr_matrix,
    ) -> None:
        self.cases = cases
        self.analyzer = analyzer
        self.compounds = compounds
        facet_matrix, facet_names, self.facet_share = facets
        text_matrix, self.text_names, self.text_share = text
        labels = {(v.field, t.id): t.label for v in registry.vocabularies.values() for t in v.terms}
        split = [name.split(":", 1) for name in facet_names]
        self.facet_label = [labels.get((facet, term), term) for facet, term in split]
        self.facet_reason = [REASON_OF.get(facet) for facet, _ in split]
        facet_of = {name: j for j, name in enumerate(facet_names)}
        self.facet_of = {w: facet_of.get(name) for w, name in enumerate(self.text_names)}
        self._shown: dict[int, tuple[str, bool] | None] = {}
        # Per case, worked out when first asked (``Similarity.update`` asks for a few): its
        # facet row, the words of its text view that a reason may name, and those it repeats.
        self._matrices = (facet_matrix, text_matrix, occurs)
        self._rows: dict[int, tuple[dict[int, float], dict[int, float], set[int]]] = {}
        self._texts: dict[int, tuple[str, str]] = {}
        self._found: dict[tuple[int, int], tuple[int, bool]] = {}
        self._pairs: dict[tuple[int, int], tuple[str, ...]] = {}
        self._wholes: dict[tuple[str, int], tuple[str, ...]] = {}

    def of(self, i: int, j: int) -> tuple[str, ...]:
        """Why cases i and j are alike; the same both ways, so worked out once."""
        key = (i, j) if i < j else (j, i)
        found = self._pairs.get(key)
        if found is None:
            found = self._pairs[key] = self._pair_reasons(*key)
        return found

    def _pair_reasons(self, i: int, j: int) -> tuple[str, ...]:
        share: dict[str, float] = {}  # kind of trait -> what it adds to the score
        names: dict[str, list[tuple[float, str]]] = {}
        (mine, mine_text, again), (theirs, theirs_text, again_too) = self._row(i), self._row(j)
        shared = mine.keys() & theirs.keys()
        for f in shared:
            kind = self.facet_reason[f]
            if kind:
                part = self.facet_share * mine[f] * theirs[f]
                share[kind] = share.get(kind, 0.0) + part
                names.setdefault(kind, []).append((part, self.facet_label[f]))
        mine, theirs = mine_text, theirs_text
        # Not a term both list (a reason already), nor a word each names once in passing.
        found = [
            (mine[w] * theirs[w], w)
            for w in mine.keys() & theirs.keys()
            if (w in again or w in again_too) and self.facet_of[w] not in shared
        ]
        found.sort(reverse=True)
        for part, w in found:
            shown = self._show(w, i, j)
            if shown:
                share[TEXT_REASON] = share.get(TEXT_REASON, 0.0) + self.text_share * part
                names.setdefault(TEXT_REASON, []).append((self.text_share * part, shown))
                if len(names[TEXT_REASON]) == NAMES_PER_REASON:
                    break
        out = []
        for kind in sorted(share, key=lambda k: (-share[k], k))[:MAX_REASONS]:
            items = names[kind]
            if len(items) > 1:
                items.sort(key=lambda x: (-x[0], x[1]))
                labels = list(dict.fromkeys(name for _, name in items))[:NAMES_PER_REASON]
            else:
                labels = [items[0][1]]
            out.append(f"{kind}: {', '.join(labels)}")
        return tuple(out)

    def _row(self, i: int) -> tuple[dict[int, float], dict[int, float], set[int]]:
        found = self._rows.get(i)
        if found is None:
            facets, text, occurs = self._matrices
            words = {w: v for w, v in row_of(text, i).items() if self._shown_as(w)}
            again = {w for w, c in row_of(occurs, i).items() if c >= 2}
            found = self._rows[i] = (row_of(facets, i), words, again)
        return found

    def _shown_as(self, w: int) -> tuple[str, bool] | None:
        """How text word ``w`` may be named in a reason: (label, True) for a term of a
        facet with reasons, (written form, False) for a word that reads on its own."""
        if w not in self._shown:
            token = self.text_names[w]
            label = self.analyzer.labels.get(token)
            form = self.analyzer.forms.get(token)
            if label is not None:
                shown = (label, True) if token.split(":", 1)[0] in REASON_OF else None
            else:
                shown = (form, False) if form and _readable(form) else None
            self._shown[w] = shown
        return self._shown[w]

    def _show(self, w: int, i: int, j: int) -> str | None:
        """Text word ``w`` in a reason for cases i and j, only as both texts write it: a
        term by its label ("Right to Challenge"); a plain word when it is a name
        ("Overvecht") or a compound ("hulpvraag"), which say what a text is about, unlike
        "brengt" or "terecht"; otherwise nothing."""
        text, is_label = self._shown[w]  # type: ignore[misc]  # rows hold shown words
        where = [self._where(w, text, k) for k in (i, j)]
        if min(p for p, _ in where) < 0:
            return None
        if is_label:
            return text
        if any(name for _, name in where):
            return self._whole_name(text[:1].upper() + text[1:], i, j)
        return text if self.compounds.split(fold(text)) else None

    def _whole_name(self, name: str, i: int, j: int) -> str:
        """A name with the capitalised word before or after it when both texts write them
        together: "Lierop Leeft", not "Lierop" and "Leeft"."""
        key = (name, i)
        if key not in self._wholes:
            self._wholes[key] = _beside(name, self._text(i))
        theirs = self._text(j)
        for whole in self._wholes[key]:
            if whole in theirs and _written(whole.lower(), self._text(j, lower=True)) >= 0:
                return whole
        return name

    def _where(self, w: int, text: str, i: int) -> tuple[int, bool]:
        """Where case i writes ``text`` (-1: nowhere), and whether it writes it as a name."""
        key = (w, i)
        if key not in self._found:
            lower = text.lower()
            start = _written(lower, self._text(i, lower=True))
            name = start >= 0 and _as_name(lower[:1].upper() + lower[1:], self._text(i))
            self._found[key] = (start, name)
        return self._found[key]

    def _text(self, i: int, lower: bool = False) -> str:
        if i not in self._texts:
            case = self.cases[i]
            text = f"{case.title}\n{case.summary}\n{case.body}"
            self._texts[i] = (text, text.lower())
        return self._texts[i][lower]
