"""Similar cases from candidates (pairs that share a rare term): the same lists as comparing
all pairs where every term is rare, exact scores where it is not; ``Similarity.update``
after a save equals a full recompute."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from kb_tools.bench.synthetic import generate
from kb_tools.enrich import build_corpus
from kb_tools.enrich.candidates import Candidates
from kb_tools.enrich.similarity import FACET_SHARE, OTHER_NETWORK_BONUS, TEXT_SHARE, Similarity
from kb_tools.validate import check_content

from .conftest import CONTENT

K = 8


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small") / "content"
    generate(folder, 240, source=CONTENT)
    result = check_content(folder)
    return result.registry, list(result.cases)


def brute_force(similarity: Similarity, k: int) -> dict[str, list[tuple[str, float]]]:
    """Every case scored against every other case, the k best kept (ties by id)."""
    out = {}
    for i, case in enumerate(similarity.cases):
        score = similarity.scores(i, i + 1)[0]
        rounded = np.round(score, 6)
        order = sorted(np.flatnonzero(rounded > 0).tolist(), key=lambda j: (-rounded[j], j))
        out[case.id] = [(similarity.cases[j].id, float(score[j])) for j in order[:k]]
    return out


def test_where_every_term_is_rare_the_lists_are_those_of_all_pairs(small) -> None:
    registry, cases = small
    similarity = Similarity(build_corpus(registry, cases))
    assert not similarity.candidates.common.shape[1]  # 240 cases: no term above the cap
    expected = brute_force(similarity, K)
    top = similarity.top(K)
    assert set(top) == set(expected)
    for case_id, matches in top.items():
        assert [m.case_id for m in matches] == [c for c, _ in expected[case_id]], case_id
        for m, (_, score) in zip(matches, expected[case_id], strict=True):
            assert m.score == pytest.approx(score, abs=1e-4)


def test_with_a_low_cap_candidates_get_their_exact_scores(small) -> None:
    """With a cap of 15 cases most terms are common: only pairs sharing a rare term are
    scored, each with its all-pairs score; a list is never shorter than the all-pairs one,
    and where the all-pairs best all share a rare term with the case, it is the same."""
    registry, cases = small
    similarity = Similarity(build_corpus(registry, cases))
    views = [(sparse.csr_matrix(similarity.facets), FACET_SHARE), (similarity.text, TEXT_SHARE)]
    candidates = Candidates(views, similarity.network, OTHER_NETWORK_BONUS, cap=15)
    assert candidates.common.shape[1] and candidates.rare.shape[1]
    similarity.candidates = candidates
    expected = brute_force(similarity, K)
    top = similarity.top(K)
    same = 0
    for case_id, matches in top.items():
        i = similarity.index[case_id]
        all_pairs = similarity.scores(i, i + 1)[0]
        assert len(matches) == len(expected[case_id])
        for m in matches:
            assert m.score == pytest.approx(all_pairs[similarity.index[m.case_id]], abs=1e-4)
        partners = candidates.partners([i])
        if all(similarity.index[c] in partners for c, _ in expected[case_id]):
            assert [m.case_id for m in matches] == [c for c, _ in expected[case_id]]
            same += 1
    assert same  # the claim is tested on some rows at least


def _shown(top):
    return {c: [(m.case_id, m.reasons) for m in ms] for c, ms in top.items()}


def test_update_after_a_save_equals_a_full_recompute(small) -> None:
    registry, cases = small
    similarity = Similarity(build_corpus(registry, cases))
    top = similarity.top(K)
    edited = list(cases)
    a, b, c = edited[3], edited[50], edited[120]
    edited[3] = dataclasses.replace(a, title=c.title, summary=c.summary)
    meta = {**b.meta, "thema": c.meta.get("thema"), "knelpunten": c.meta.get("knelpunten")}
    edited[50] = dataclasses.replace(b, meta=meta)
    for changed in ({a.id}, {a.id, b.id}):
        corpus = build_corpus(
            registry, [x if x.id in changed else y for x, y in zip(edited, cases, strict=True)]
        )
        live = Similarity(build_corpus(registry, cases))
        new, moved = live.update(top, corpus, changed, set(), K)
        full = Similarity(corpus).top(K)
        assert _shown(new) == _shown(full)
        before, after = _shown(top), _shown(full)
        assert moved == {x for x in after if before[x] != after[x]}


def test_a_removed_case_leaves_every_list(small) -> None:
    registry, cases = small
    similarity = Similarity(build_corpus(registry, cases))
    top = similarity.top(K)
    gone = max(top, key=lambda x: sum(x in [m.case_id for m in ms] for ms in top.values()))
    assert any(gone in [m.case_id for m in ms] for ms in top.values())
    corpus = build_corpus(registry, [x for x in cases if x.id != gone])
    new, moved = similarity.update(top, corpus, set(), {gone}, K)
    assert gone not in new
    assert not [c for c, ms in new.items() if gone in [m.case_id for m in ms]]
    assert {c for c, ms in top.items() if gone in [m.case_id for m in ms]} <= moved
    assert _shown(new) == _shown(Similarity(corpus).top(K))
    again, moved = similarity.update(new, corpus, set(), set(), K)  # nothing saved
    assert again == new and not moved
    back, moved = similarity.update(new, build_corpus(registry, cases), {gone}, set(), K)
    assert _shown(back) == _shown(top) and gone in moved  # added again: as before


def test_one_case_gets_the_list_of_all_cases(small) -> None:
    """``kb vergelijkbaar`` (``similar``) and the case pages (``top``) agree."""
    registry, cases = small
    similarity = Similarity(build_corpus(registry, cases))
    top = similarity.top(K)
    for case_id in list(top)[::20]:
        assert similarity.similar(case_id, K) == top[case_id]


def test_large_corpus_lists_are_full(tmp_path: Path) -> None:
    """Past the cap (1,200 cases: the commonest terms are common), every case still gets
    k matches."""
    generate(tmp_path / "c", 1200, source=CONTENT)
    result = check_content(tmp_path / "c")
    similarity = Similarity(build_corpus(result.registry, result.cases))
    assert similarity.candidates.common.shape[1]
    top = similarity.top(K)
    assert len(top) == 1200 and all(len(m) == K for m in top.values())
