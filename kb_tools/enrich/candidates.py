"""The k most similar cases of some cases, without scoring all pairs (``similarity``).

Candidates come from an inverted index of rare terms: two cases are scored only when they
share a facet term or a text word that at most ``RARE_CAP`` cases have. The pairs sharing a
rare term come out of one sparse product of the rare columns (a term in d cases makes d^2
pairs, so with the cap fixed the work per case is bounded and the whole grows linearly);
that product is also the rare terms' part of each pair's score. The common terms' part is
added for those pairs only, so every candidate gets exactly the score of the all-pairs
comparison. A case with fewer than k candidates is compared with every case (a corpus with
so few rare terms is small, or unlike any real one), so it never gets a shorter list.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

#: A term in at most this many cases is rare: it makes candidates. Measured on the
#: synthetic corpora (``kb_tools.bench.synthetic``, whose 94 facet terms and few dozen
#: text words are each in hundreds of cases at 10,000): with 400 or 500 every true top-5
#: neighbour shares a rare term (recall 1.0), with 300 only a quarter does. A real corpus
#: has many more rare terms (names, specific problems), so 500 leaves a margin.
RARE_CAP = 500
#: Rows scored together: their candidate pairs are one sparse product.
BLOCK = 512
#: Score steps per row for finding each row's k-th best score without sorting its pairs.
BINS = 1024


class Candidates:
    """Candidate pairs and their exact scores over one set of case vectors.

    ``views`` are (matrix, share) pairs, rows normalised (the facet and text views); a
    pair's score is the sum over views of share times the dot product of its rows, times
    ``bonus`` when the two cases are of different networks (``network``)."""

    def __init__(
        self,
        views: list[tuple[sparse.csr_matrix, float]],
        network: np.ndarray,
        bonus: float,
        cap: int = RARE_CAP,
    ) -> None:
        whole = sparse.hstack([sparse.csr_matrix(m) * np.sqrt(s) for m, s in views])
        whole = sparse.csr_matrix(whole, dtype=np.float64)
        whole.eliminate_zeros()
        df = np.bincount(whole.indices, minlength=whole.shape[1])
        rare = df <= cap
        self.rare = sparse.csr_matrix(whole[:, np.flatnonzero(rare)])
        self.rare_t = sparse.csr_matrix(self.rare.T)
        # Common terms are few (at most nonzeros / cap of them): a small dense matrix.
        self.common = whole[:, np.flatnonzero(~rare)].toarray().astype(np.float32)
        self.network = network
        self.bonus = bonus
        self.n = whole.shape[0]

    def partners(self, rows: list[int]) -> set[int]:
        """The cases that share a rare term with any of ``rows``."""
        if not rows:
            return set()
        product = self.rare[rows] @ self.rare_t
        return set(np.unique(product.indices).tolist())

    def pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row position in ``rows``, other case, exact score) of every candidate pair."""
        product = sparse.csr_matrix(self.rare[rows] @ self.rare_t)
        at = np.repeat(np.arange(len(rows)), np.diff(product.indptr))
        other, score = product.indices, product.data
        mine = rows[at]
        keep = other != mine  # never itself
        at, other, score, mine = at[keep], other[keep], score[keep], mine[keep]
        if self.common.shape[1] and len(other):
            # The common part of the candidate pairs: the block's rows times the candidates'
            # rows (plain BLAS over the few common columns), read at the pairs.
            near = np.zeros(self.n, dtype=bool)
            near[other] = True
            position = np.cumsum(near) - 1
            dense = self.common[rows] @ self.common[near].T
            score += dense[at, position[other]]
        score[self.network[mine] != self.network[other]] *= self.bonus
        return at, other, score

    def best(self, rows: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Per row, its k best candidates with a positive score as (case, score), best
        first, ties (at six decimals) by case order. A row with fewer than k candidates
        is left empty: the caller scores it against all cases."""
        out: list[list[tuple[int, float]]] = []
        for start in range(0, len(rows), BLOCK):
            block = rows[start : start + BLOCK]
            at, other, score = self.pairs(block)
            rounded = np.round(score, 6)
            keep = (rounded > 0) & _at_least_kth(at, rounded, len(block), k)
            at, other, score, rounded = at[keep], other[keep], score[keep], rounded[keep]
            order = np.lexsort((other, -rounded, at))
            at, other, score = at[order], other[order], score[order]
            first = np.searchsorted(at, np.arange(len(block) + 1))
            for r in range(len(block)):
                lo, hi = first[r], first[r + 1]
                if hi - lo < k:
                    out.append([])
                else:
                    out.append(
                        list(
                            zip(
                                other[lo : lo + k].tolist(),
                                score[lo : lo + k].tolist(),
                                strict=True,
                            )
                        )
                    )
        return out


def _at_least_kth(at: np.ndarray, rounded: np.ndarray, rows: int, k: int) -> np.ndarray:
    """Which pairs may be among their row's k best: those whose score step (of ``BINS``) is
    at least that of the row's k-th best. Linear (a histogram per row), so that only a few
    pairs per row are sorted; equal scores share a step, so ties are all kept."""
    if not len(at):
        return np.zeros(0, dtype=bool)
    top = max(float(rounded.max()), 1e-9)
    step = np.clip((rounded / top * (BINS - 1)).astype(np.int64), 0, BINS - 1)
    hist = np.bincount(at * BINS + step, minlength=rows * BINS).reshape(rows, BINS)
    above = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1]  # pairs at this step or higher
    enough = above >= k
    kth = np.where(enough.any(axis=1), BINS - 1 - np.argmax(enough[:, ::-1], axis=1), 0)
    return step >= kth[at]
