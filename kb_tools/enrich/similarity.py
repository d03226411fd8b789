"""Similar solutions: for every case, the five cases it can learn most from, and why.

Two sparse views of each case are compared with cosine similarity:
- its structured facets (law, financing, obstacles, legal form, themes, ...), each term
  weighted by how telling its facet is and by how rare the term is (IDF);
- its body text as Dutch stems (stop words out, synonyms folded onto vocabulary terms),
  weighted by TF-IDF.
Scores are computed block by block (sparse rows times the sparse transpose), keeping only
the top k per row, so memory stays linear: no n x n matrix is ever held.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from kb_tools.dutch import Analyzer
from kb_tools.enrich.corpus import Corpus
from kb_tools.facets import BY_SPECIFICITY, FACETS, FACETS_BY_NAME, UNKNOWN
from kb_tools.model import Case

TOP = 5
BLOCK = 512
WORDS_PER_CASE = 40
COMMON_SHARE = 0.05
COMMON_MIN = 20

# How much each facet weighs, and why, is declared with the facets (``facets.FACETS``).
FACET_WEIGHTS = {f.name: f.weight for f in FACETS if f.weight}
# Facets decide most: they are what editors chose deliberately. Text catches what the
# facets miss (the same specific problem in other words), so it adds but does not lead.
FACET_SHARE = 0.65
TEXT_SHARE = 0.35
# Learning across regions is the point: a case from another network gets a modest lift,
# small enough that a clearly better match from the same network still wins.
OTHER_NETWORK_BONUS = 1.1
# Reasons name facets from the most specific (telling) one.
REASON_LABELS = tuple((f.name, f.reason) for f in BY_SPECIFICITY if f.reason)
UNKNOWN_TERMS = {f.name: UNKNOWN for f in FACETS if f.unknown}


@dataclass(frozen=True)
class Match:
    case_id: str
    score: float
    reasons: tuple[str, ...]

    def reason_text(self) -> str:
        return " · ".join(self.reasons)


def _facet_matrix(cases: list[Case]) -> tuple[sparse.csr_matrix, list[str]]:
    features: dict[str, int] = {}
    rows, cols = [], []
    for row, case in enumerate(cases):
        for facet in FACET_WEIGHTS:
            value = case.meta.get(facet)
            for term in value if isinstance(value, list) else [value] if value else []:
                if term == UNKNOWN_TERMS.get(facet):
                    continue  # "not stated" is not a shared trait
                cols.append(features.setdefault(f"{facet}:{term}", len(features)))
                rows.append(row)
    names = list(features)
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(cases), len(names))
    )
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    n = len(cases)
    weights = np.array(
        [
            FACET_WEIGHTS[name.split(":", 1)[0]] * math.log(1 + n / max(d, 1))
            for name, d in zip(names, df, strict=True)
        ],
        dtype=np.float32,
    )
    return _normalise(matrix @ sparse.diags(weights)), names


def _text_matrix(cases: list[Case], analyzer: Analyzer) -> tuple[sparse.csr_matrix, list[str]]:
    features: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for case in cases:
        counts = Counter(analyzer.tokens(f"{case.title} {case.summary} {case.body}"))
        for token, count in counts.items():
            indices.append(features.setdefault(token, len(features)))
            data.append(1.0 + math.log(count))  # sublinear: repetition counts, but less
        indptr.append(len(indices))
    names = list(features)
    matrix = sparse.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices), np.array(indptr)),
        shape=(len(cases), len(names)),
    )
    df = np.bincount(matrix.indices, minlength=len(names))
    n = len(cases)
    idf = np.log((1 + n) / (1 + df)).astype(np.float32)
    idf[df <= 1] = 0.0  # a word in one case links it to nothing
    # A word in more than 5% of cases says little about any pair, and such words are what
    # makes the sparse product dense and slow; leave them to the facets.
    idf[df > max(COMMON_MIN, COMMON_SHARE * n)] = 0.0
    weighted = sparse.csr_matrix(matrix @ sparse.diags(idf))
    weighted.eliminate_zeros()
    return _normalise(_keep_top(weighted, WORDS_PER_CASE)), names


def _keep_top(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep the k heaviest words per case: its vocabulary, not every word it happens to use."""
    indptr, indices, data = [0], [], []
    for row in range(matrix.shape[0]):
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        values = matrix.data[lo:hi]
        keep = np.argsort(-values, kind="stable")[:k] if hi - lo > k else np.arange(hi - lo)
        indices.append(matrix.indices[lo:hi][keep])
        data.append(values[keep])
        indptr.append(indptr[-1] + len(keep))
    return sparse.csr_matrix(
        (
            np.concatenate(data) if data else np.array([], dtype=np.float32),
            np.concatenate(indices) if indices else np.array([], dtype=np.int32),
            np.array(indptr),
        ),
        shape=matrix.shape,
    )


def _normalise(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


class Similarity:
    """Similarity over one corpus; build once per build, then ask per case."""

    def __init__(self, corpus: Corpus, analyzer: Analyzer | None = None) -> None:
        self.corpus = corpus
        self.cases = sorted(corpus.cases, key=lambda c: c.id)  # stable order, stable ties
        self.index = {c.id: i for i, c in enumerate(self.cases)}
        self.analyzer = analyzer or Analyzer(corpus.registry)
        # Facet terms number ~150 at most, so the facet view is a small dense matrix and
        # its block products are plain BLAS; the text view stays sparse.
        facets, _ = _facet_matrix(self.cases)
        self.facets = facets.toarray()
        self.text, self.text_names = _text_matrix(self.cases, self.analyzer)
        networks = {n: i for i, n in enumerate(sorted({c.network for c in self.cases}))}
        self.network = np.array([networks[c.network] for c in self.cases])
        # For reasons: each case's known facet terms, and the vocabulary terms its text
        # names (shown by their labels, never as stems), with their weights.
        self.terms = [
            {f: FACETS_BY_NAME[f].stated(corpus.terms_of(c, f)) for f, _ in REASON_LABELS}
            for c in self.cases
        ]
        self.labels = {
            (f, t.id): t.label
            for f, _ in REASON_LABELS
            if f in corpus.registry.vocabularies
            for t in corpus.registry.vocabularies[f].terms
        }
        reason_facets = {f for f, _ in REASON_LABELS}
        shown = {
            j
            for j, w in enumerate(self.text_names)
            if w in self.analyzer.labels and w.split(":", 1)[0] in reason_facets
        }
        text = self.text
        self.mentions = []
        for row in range(len(self.cases)):
            lo, hi = text.indptr[row], text.indptr[row + 1]
            self.mentions.append(
                {
                    self.text_names[j]: float(v)
                    for j, v in zip(text.indices[lo:hi], text.data[lo:hi], strict=True)
                    if j in shown and v > 0
                }
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
        """The k best matches for every case, with reasons; ties broken by case id."""
        result: dict[str, list[Match]] = {}
        n = len(self.cases)
        k = min(k, max(n - 1, 0))
        for start in range(0, n, BLOCK):
            stop = min(start + BLOCK, n)
            dense = self.scores(start, stop)
            rounded = np.round(dense, 6)
            if k and n - 1 > k:
                # argpartition finds the k largest per row in linear time. Candidates tied
                # with the k-th score are all kept, then sorted by (-score, id order).
                part = np.argpartition(-rounded, k - 1, axis=1)[:, :k]
                kth = rounded[np.arange(stop - start)[:, None], part].min(axis=1)
            for row in range(stop - start):
                if not k:
                    candidates: list[int] = []
                elif n - 1 > k:
                    tied = np.flatnonzero(rounded[row] >= kth[row])
                    candidates = sorted(tied.tolist(), key=lambda j: (-rounded[row, j], j))[:k]
                else:
                    candidates = sorted(
                        (j for j in range(n) if j != start + row),
                        key=lambda j: (-rounded[row, j], j),
                    )[:k]
                case = self.cases[start + row]
                result[case.id] = [
                    Match(
                        self.cases[j].id,
                        round(float(dense[row, j]), 4),
                        self.reasons(case, self.cases[j]),
                    )
                    for j in candidates
                    if dense[row, j] > 0
                ]
        return result

    def similar(self, case_id: str, k: int = TOP) -> list[Match]:
        row = self.index[case_id]
        rounded = np.round(self.scores(row, row + 1)[0], 6)
        order = sorted(range(len(rounded)), key=lambda j: (-rounded[j], j))
        case = self.cases[row]
        return [
            Match(self.cases[j].id, round(float(rounded[j]), 4), self.reasons(case, self.cases[j]))
            for j in order[:k]
            if rounded[j] > 0
        ]

    def reasons(self, a: Case, b: Case) -> tuple[str, ...]:
        """Plain Dutch a resident understands: what the two cases share, most telling
        first, always with the term labels ("zelfde knelpunt: Geen vaste financiering").
        Words of the text are never shown on their own (a stem such as "procent" says
        nothing); a term both texts name but neither lists is shown by its label."""
        out: list[str] = []
        terms_a, terms_b = self.terms[self.index[a.id]], self.terms[self.index[b.id]]
        for facet, label in REASON_LABELS:
            mine = terms_a.get(facet)
            if not mine:
                continue
            theirs = terms_b.get(facet, ())
            shared = [t for t in mine if t in theirs]
            if shared:
                names = [self.labels.get((facet, t), t) for t in shared[:2]]
                out.append(f"{label}: {', '.join(names)}")
            if len(out) == 3:
                break
        mentioned = self.shared_mentions(a, b)
        if mentioned:
            out.append("beide noemen: " + ", ".join(mentioned))
        return tuple(out)

    def shared_mentions(self, a: Case, b: Case, limit: int = 2) -> list[str]:
        """Labels of the vocabulary terms both texts name that are not already a shared
        term of both cases, most telling first."""
        weight_a, weight_b = self.mentions[self.index[a.id]], self.mentions[self.index[b.id]]
        terms_a, terms_b = self.terms[self.index[a.id]], self.terms[self.index[b.id]]
        listed = {
            f"{facet}:{t}"
            for facet in terms_a
            for t in terms_a[facet]
            if t in terms_b.get(facet, ())
        }
        common = (weight_a.keys() & weight_b.keys()) - listed
        ranked = sorted(common, key=lambda w: (-(weight_a[w] * weight_b[w]), w))[:limit]
        return [self.analyzer.labels[w] for w in ranked]
