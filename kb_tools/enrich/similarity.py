"""Similar solutions: for every case, the five cases it can learn most from, and why.

Two sparse views of each case are compared with cosine similarity:
- its facets (law, financing, obstacles, legal form, themes, ...): each listed term weighted
  by its rarity in the corpus (IDF), so a shared rare theme counts more than a shared common
  obstacle, by how much the case's own text writes about it, and more when its title and
  summary name it;
- its text as search analyses it (``kb_tools.dutch.Analyzer``: stems, verbs in the third
  person as their infinitive, vocabulary synonyms as one token, not those the stop words cut
  down to a broader word, ``whole_phrases``) plus, at half weight, the parts of its compounds ("bijstandsuitkering":
  bijstand, uitkering), weighted by TF-IDF, the IDF tempered by how common the word is in
  Dutch at large (wordfreq), title and summary counting double.
Only pairs that share a rare term are scored (``candidates``: an inverted index of the
facet terms and words in at most ``RARE_CAP`` cases), so the pairs per case are bounded and
time and memory grow linearly with the corpus. ``Similarity.update`` gives the new lists
after a save in ``kb bekijk`` without recomputing them all.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from kb_tools.compounds import word_list
from kb_tools.dutch import Analyzer, Compounds, fold, stem, whole_phrases, words
from kb_tools.enrich.candidates import Candidates
from kb_tools.enrich.corpus import Corpus
from kb_tools.enrich.reasons import Reasons
from kb_tools.enrich.textwords import FACET_WEIGHTS, TextWords
from kb_tools.facets import FACETS, UNKNOWN
from kb_tools.model import Case, Registry

TOP = 5
WORDS_PER_CASE = 40
COMMON_SHARE = 0.05
COMMON_MIN = 20
#: A compound's parts count this much of the compound: "zorgverzekeraar" is first of all
#: about itself, and the parts ("zorg") are what many other compounds share.
PART_WEIGHT = 0.5
#: Zipf frequencies (log10 uses per billion words, wordfreq's Dutch list) between which a
#: word goes from specific to common (``specificity``).
ZIPF_RARE = 3.0
ZIPF_COMMON = 6.0
MIN_SPECIFIC = 0.1
#: Title and summary say what a case is about; each of their words counts this many times.
HEAD_WEIGHT = 2

# The facets that make two cases alike (``FACET_WEIGHTS``, in ``textwords``: ``Facet.weight``
# > 0; province has none: learning across regions is the point). A term counts by its
# rarity; the facet's declared weight only tempers that, by its square root, so that a theme
# few cases share outweighs an obstacle many share, while of two equally rare terms the law
# or the obstacle (what a stuck initiative looks for) still counts a little more.
# Facets are what editors chose deliberately; the text catches what they miss (the same
# specific problem in other words). Both count as much.
FACET_SHARE = 0.5
TEXT_SHARE = 0.5
# Learning across regions is the point: a case from another network gets a modest lift,
# small enough that a clearly better match from the same network still wins.
OTHER_NETWORK_BONUS = 1.1
#: A listed term that the title and summary name more than an average case's do (its
#: words, count / mean count, above HEAD_NAMED_MIN) is what the case is about: its weight
#: is multiplied by 1 + HEAD_TERM_BONUS.
HEAD_TERM_BONUS = 1.5
HEAD_NAMED_MIN = 1.0
UNKNOWN_TERMS = {f.name: UNKNOWN for f in FACETS if f.unknown}


@dataclass(frozen=True)
class Match:
    case_id: str
    score: float
    reasons: tuple[str, ...]

    def reason_text(self) -> str:
        return " · ".join(self.reasons)


def listed_terms(case: Case) -> Iterator[str]:
    """The facet terms a case lists, as "facet:term", once each, "not stated" left out."""
    seen = set()
    for facet in FACET_WEIGHTS:
        value = case.meta.get(facet)
        for term in value if isinstance(value, list) else [value] if value else []:
            name = f"{facet}:{term}"
            if term != UNKNOWN_TERMS.get(facet) and name not in seen:
                seen.add(name)
                yield name


def facet_terms_only(analyzer: Analyzer, registry: Registry) -> Analyzer:
    """The analyzer without the vocabularies that are no facet (units of figures, roles):
    for likeness "professionals" and "vrijwilligers" are words of the text, not the unit
    of a figure that would then be left out. Nor a synonym that the stop words reduce to a
    broader word (``whole_phrases``: "goed doel" is no ANBI in every "doel", "geen geld"
    no "Alleen vrijwillige inzet" in every "geld"). Written forms stay shared."""
    facets = {f.name for f in FACETS}
    out = copy.copy(analyzer)
    phrases = whole_phrases(registry, analyzer).items()
    out.phrases = {p: t for p, t in phrases if t.split(":", 1)[0] in facets}
    out.starts = {p[0] for p in out.phrases if len(p) > 1}
    out.single = {p[0]: t for p, t in out.phrases.items() if len(p) == 1}
    out.longest = max((len(p) for p in out.phrases), default=1)
    return out


def _counts(
    cases: list[Case], words: TextWords
) -> tuple[sparse.csr_matrix, list[str], sparse.csr_matrix]:
    """How often each case uses each token: title and summary HEAD_WEIGHT times, the parts
    of a compound as often as the compound; tokens that are no topic left out. The Python
    work is per (case, distinct token); parts and omissions are sparse products."""
    parts: list[tuple[list[int], list[np.ndarray], list[np.ndarray]]] = [
        ([0], [], []),
        ([0], [], []),
    ]
    used = {}
    for case in cases:
        for (indptr, indices, data), text in zip(
            parts, (case.body, f"{case.title}\n{case.summary}"), strict=True
        ):
            columns, counts = used[text] = words.column_counts(text)
            indices.append(columns)
            data.append(counts)
            indptr.append(indptr[-1] + len(columns))
    words.seen = used  # texts no case has any more are forgotten
    features = words.columns
    found, into = [], []
    for token, j in list(features.items()):
        for part in words.parts(token) or ():
            found.append(j)
            into.append(features.setdefault(part, len(features)))
    names = list(features)
    shape = (len(cases), len(names))
    body, head = (
        sparse.csr_matrix((_joined(d, np.float32), _joined(i, np.int64), p), shape=shape)
        for p, i, d in parts
    )
    counts = sparse.csr_matrix(body + HEAD_WEIGHT * head)
    expand = sparse.csr_matrix(
        (np.full(len(found), PART_WEIGHT, dtype=np.float32), (found, into)),
        shape=(len(names),) * 2,
    )
    topic = np.array([words.parts(name) is not None for name in names], dtype=np.float32)
    counts = sparse.csr_matrix((counts + counts @ expand) @ sparse.diags(topic))
    counts.eliminate_zeros()
    counts.sort_indices()
    return counts, names, sparse.csr_matrix(head + head @ expand)


def _joined(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)


def specificity(names: list[str], words: TextWords) -> np.ndarray:
    """Per token, how specific its word is in Dutch at large: 1 for a word rarer than
    ``ZIPF_RARE`` (or not in the list at all: names, rare compounds) and for a vocabulary
    term, falling linearly to ``MIN_SPECIFIC`` at ``ZIPF_COMMON``. With a few dozen cases
    the corpus alone cannot tell "zag" or "genoeg" from "hulpvraag"; Dutch as a whole can."""
    zipf = word_list()
    out = np.ones(len(names), dtype=np.float32)
    for j, name in enumerate(names):
        if ":" not in name:
            z = zipf.get(fold(words.form(name)), 0.0)
            out[j] = (ZIPF_COMMON - z) / (ZIPF_COMMON - ZIPF_RARE)
    return np.clip(out, MIN_SPECIFIC, 1.0)


def _text_matrix(
    counts: sparse.csr_matrix, names: list[str], specific: np.ndarray
) -> sparse.csr_matrix:
    """The TF-IDF text view, rows normalised; the IDF tempered by ``specificity``."""
    matrix = counts.copy()
    matrix.data = 1.0 + np.log(matrix.data)  # sublinear: repetition counts, but less
    df = np.bincount(matrix.indices, minlength=len(names))
    n = matrix.shape[0]
    idf = np.log((1 + n) / (1 + df)).astype(np.float32)
    idf[df <= 1] = 0.0  # a word in one case links it to nothing
    # A word in more than 5% of cases says little about any pair, and such words are what
    # makes the sparse product dense and slow; leave them to the facets.
    idf[df > max(COMMON_MIN, COMMON_SHARE * n)] = 0.0
    weighted = sparse.csr_matrix(matrix @ sparse.diags(idf * specific))
    weighted.eliminate_zeros()
    # The vocabulary terms a text names are kept whatever their weight: they are the words
    # editors agreed on.
    vocabulary = np.array([":" in name for name in names], dtype=bool)
    return _normalise(_keep_top(weighted, WORDS_PER_CASE, vocabulary))


def _keep_top(matrix: sparse.csr_matrix, k: int, always: np.ndarray) -> sparse.csr_matrix:
    """The k heaviest words per case (its vocabulary, not every word it happens to use) and
    every column marked in ``always``; of equal weights, the word first in the row."""
    matrix.sort_indices()
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((-matrix.data, rows))  # by row, heaviest first, stable
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order)) - matrix.indptr[rows[order]]
    keep = (rank < k) | always[matrix.indices]
    indptr = np.r_[0, np.cumsum(np.bincount(rows[keep], minlength=matrix.shape[0]))]
    return sparse.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), matrix.shape)


def _normalise(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def term_words(registry: Registry) -> dict[str, tuple[str, ...]]:
    """The words a text uses when it writes about a facet term: its token (its label and
    synonyms, as the Analyzer finds them) and each content word of its label ("Werk en
    meedoen": werk, meedoen), as stems."""
    out = {}
    for facet in FACET_WEIGHTS:
        vocab = registry.vocabularies.get(facet)
        for term in vocab.terms if vocab else ():
            token = f"{facet}:{term.id}"
            out[token] = tuple(dict.fromkeys((token, *(stem(w) for w in words(term.label)))))
    return out


def _facet_matrix(
    cases: list[Case],
    counts: sparse.csr_matrix,
    names: list[str],
    registry: Registry,
    head: sparse.csr_matrix,
) -> tuple[sparse.csr_matrix, list[str]]:
    """The facet view, rows normalised: each listed term weighted by its rarity and by its
    salience, 1 + log(1 + how much more than an average case the text names the term's
    words: the mean, over its words, of count / mean count in the corpus), and more when
    the title and summary name it (``HEAD_TERM_BONUS``)."""
    terms: dict[str, int] = {}
    indptr, indices = [0], []
    for case in cases:
        indices.extend(terms.setdefault(t, len(terms)) for t in listed_terms(case))
        indptr.append(len(indices))
    shape = (len(cases), len(terms))
    listed = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape)
    column = {name: j for j, name in enumerate(names)}
    mean = np.asarray(counts.sum(axis=0)).ravel() / max(len(cases), 1)
    head_mean = np.asarray(head.sum(axis=0)).ravel() / max(len(cases), 1)
    watched = term_words(registry)
    rows, cols, data, head_data = [], [], [], []
    for term, t in terms.items():
        stems = watched.get(term, (term,))
        for w in stems:
            j = column.get(w)
            if j is not None and mean[j] > 0:
                rows.append(j)
                cols.append(t)
                data.append(1.0 / (mean[j] * len(stems)))
                head_data.append(1.0 / (max(head_mean[j], 1e-9) * len(stems)))
    shape = (len(names), len(terms))
    to_terms = sparse.csr_matrix((data, (rows, cols)), shape=shape)
    salience = sparse.csr_matrix(listed.multiply(counts @ to_terms))
    salience.data = np.log1p(salience.data)
    matrix = sparse.csr_matrix(listed + salience)  # 1 + log(1 + salience)
    # A term the title or summary names more than an average one does is what the case is
    # about ("gemeente", in most summaries, does not make that knelpunt its subject).
    to_head = sparse.csr_matrix((head_data, (rows, cols)), shape=shape)
    named = sparse.csr_matrix(listed.multiply(head @ to_head))
    named.data = np.where(named.data > HEAD_NAMED_MIN, HEAD_TERM_BONUS, 0.0).astype(np.float32)
    matrix = sparse.csr_matrix(matrix.multiply(listed + named))
    df = np.bincount(listed.indices, minlength=len(terms))
    n = len(cases)
    weights = np.array(
        [
            math.sqrt(FACET_WEIGHTS[term.split(":", 1)[0]]) * math.log(n / max(d, 1))
            for term, d in zip(terms, df, strict=True)
        ],
        dtype=np.float32,
    )
    return _normalise(matrix @ sparse.diags(weights)), list(terms)


def _shown(matches: list[Match] | None) -> list[tuple[str, tuple[str, ...]]] | None:
    return None if matches is None else [(m.case_id, m.reasons) for m in matches]


class Similarity:
    """Similarity over one corpus; build once per build, then ask per case."""

    def __init__(
        self,
        corpus: Corpus,
        analyzer: Analyzer | None = None,
        compounds: Compounds | None = None,
        words: TextWords | None = None,
    ) -> None:
        self.corpus = corpus
        self.cases = sorted(corpus.cases, key=lambda c: c.id)  # stable order, stable ties
        self.index = {c.id: i for i, c in enumerate(self.cases)}
        if words is None:
            analyzer = facet_terms_only(analyzer or Analyzer(corpus.registry), corpus.registry)
            words = TextWords(analyzer, compounds or Compounds(corpus.registry))
        self.analyzer, self.words = words.analyzer, words
        counts, self.text_names, head = _counts(self.cases, self.words)
        self.text = _text_matrix(counts, self.text_names, specificity(self.text_names, self.words))
        facets, self.facet_names = _facet_matrix(
            self.cases, counts, self.text_names, corpus.registry, head
        )
        # Facet terms number ~150 at most, so the facet view is a small dense matrix and
        # its block products are plain BLAS; the text view stays sparse.
        self.facets = facets.toarray()
        networks = {n: i for i, n in enumerate(sorted({c.network for c in self.cases}))}
        self.network = np.array([networks[c.network] for c in self.cases])
        self.candidates = Candidates(
            [(facets, FACET_SHARE), (self.text, TEXT_SHARE)], self.network, OTHER_NETWORK_BONUS
        )
        self.explain = Reasons(
            self.cases,
            corpus.registry,
            self.analyzer,
            self.words.compounds,
            (facets, self.facet_names, FACET_SHARE),
            (self.text, self.text_names, TEXT_SHARE),
            sparse.csr_matrix(counts.multiply(self.text.astype(bool))),
        )

    def scores(self, start: int, stop: int) -> np.ndarray:
        """Dense scores of rows start..stop against all cases (one block, never n x n)."""
        dense = FACET_SHARE * (self.facets[start:stop] @ self.facets.T)
        dense += TEXT_SHARE * (self.text[start:stop] @ self.text.T).toarray()
        other = self.network[start:stop, None] != self.network[None, :]
        dense[other] *= OTHER_NETWORK_BONUS
        dense[np.arange(stop - start), np.arange(start, stop)] = -1.0  # never itself
        return dense

    def top(self, k: int = TOP) -> dict[str, list[Match]]:
        """The k best matches for every case, with reasons; ties broken by case id. Only
        pairs that share a rare term are scored (``candidates``)."""
        return self._top(list(range(len(self.cases))), k)

    def _top(self, rows: list[int], k: int) -> dict[str, list[Match]]:
        k = min(k, max(len(self.cases) - 1, 0))
        found = self.candidates.best(np.array(rows, dtype=np.int64), k) if k else []
        result: dict[str, list[Match]] = {}
        for i, best in zip(rows, found or [[]] * len(rows), strict=True):
            if k and not best:  # fewer than k candidates: compared with every case
                score = self.scores(i, i + 1)[0]
                rounded = np.round(score, 6)
                order = sorted(np.flatnonzero(rounded > 0).tolist(), key=lambda j: (-rounded[j], j))
                best = [(j, float(score[j])) for j in order[:k]]
            result[self.cases[i].id] = [
                Match(self.cases[j].id, round(s, 4), self.explain.of(i, j)) for j, s in best
            ]
        return result

    def similar(self, case_id: str, k: int = TOP) -> list[Match]:
        """The k best matches of one case, as ``top`` finds them."""
        return self._top([self.index[case_id]], k)[self.cases[self.index[case_id]].id]

    def update(
        self,
        previous_top: dict[str, list[Match]],
        corpus: Corpus,
        changed: set[str],
        removed: set[str],
        k: int = TOP,
    ) -> tuple[dict[str, list[Match]], set[str]]:
        """After a save in ``kb bekijk``: this similarity becomes that of ``corpus`` (the
        corpus after the save; ``changed``: the ids of the cases saved or added, ``removed``:
        those deleted); returns the new top-k lists and the ids whose list changed (ids or
        reasons: their pages must be rendered again). ``previous_top`` is this object's
        last ``top(k)`` or ``update`` result, with the same k.

        Only the texts that changed are analysed again; term weights (rarity) are those of
        the new corpus. Lists are recomputed for the changed cases, the cases whose
        previous list named a changed or removed case, and the cases that share a rare
        term with a changed or removed case, before or after the save. Any other list stays
        as it was, although the new weights (a common term's rarity moves with every case
        that gains or loses it) could move it a little. Measured per edit, of 1,000 cases
        0.2-0.6 lists (title, summary) to 2-3 (facets, removal) differ from a full
        recompute, of 10,000 cases 1-4 to 25-48, mostly near-ties; a full ``top`` after a
        series of saves puts them right. The vocabularies must be those of the previous
        build (a changed vocabulary needs a new ``Similarity``)."""
        previous = changed | removed
        # Cases that shared a rare term with what was saved or removed: that term's rarity
        # changed, so their scores may have.
        before = self.candidates.partners(
            sorted(self.index[c] for c in previous if c in self.index)
        )
        was = {self.cases[i].id for i in before}
        self.__init__(corpus, words=self.words)  # type: ignore[misc]
        rows = {i for c in changed if (i := self.index.get(c)) is not None}
        rows |= self.candidates.partners(sorted(rows))
        rows |= {i for c in was if (i := self.index.get(c)) is not None}
        rows |= {
            self.index[c]
            for c, matches in previous_top.items()
            if c in self.index and any(m.case_id in previous for m in matches)
        }
        rows |= {i for c, i in self.index.items() if c not in previous_top}
        top = {c: m for c, m in previous_top.items() if c in self.index}
        moved = set()
        for case_id, matches in self._top(sorted(rows), k).items():
            if _shown(top.get(case_id)) != _shown(matches):  # pages show no scores
                moved.add(case_id)
                top[case_id] = matches
        return top, moved

    def reasons(self, a: Case, b: Case) -> tuple[str, ...]:
        """Plain Dutch a resident understands: what the two cases share, the kind of trait
        that adds most to their likeness first ("zelfde thema: Werk en meedoen"). Terms are
        shown by their labels, words of the texts as both cases write them ("beide noemen:
        uitkering"), never as a stem."""
        return self.explain.of(self.index[a.id], self.index[b.id])
