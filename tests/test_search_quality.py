"""Search finds what the helpdesk would answer (issue 16): the evaluation set
kb_tools/bench/zoekvragen.yml is sound data, and both kb zoek and the search page (headless
Chromium, the starter site built once in conftest) put a right case or answer in the top
five for at least 90 % of its questions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from kb_tools.bench import benchmark, quality
from kb_tools.validate import check_content

from .conftest import CONTENT, ROOT

FLOOR = 0.9


@pytest.fixture(scope="module")
def evaluation() -> quality.EvaluationSet:
    return quality.load_set()


@pytest.fixture(scope="module")
def starter_ids() -> set[str]:
    result = check_content(CONTENT)
    return {item.id for item in [*result.cases, *result.answers]}


def failures(result: dict) -> str:
    return "\n".join(
        f"  {f['vraag']!r} ({f['vorm']}): goed {f['goed']}, top 5 {f['top']}"
        for f in result["failed"]
    )


# -- the set is data ----------------------------------------------------------------------


def test_the_set_ships_in_the_package_and_is_large_enough(evaluation) -> None:
    assert len(evaluation.queries) >= 60
    texts = [q.text for q in evaluation.queries]
    assert len(set(texts)) == len(texts), "a question is in the set twice"
    assert all(q.text.strip() for q in evaluation.queries)


def test_every_query_has_an_accepted_id_that_exists(evaluation, starter_ids) -> None:
    for query in evaluation.queries:
        assert query.accepted, f"{query.text!r} accepts no case or answer"
        unknown = set(query.accepted) - starter_ids
        assert not unknown, f"{query.text!r} accepts {sorted(unknown)}: no such case or answer"
        assert len(set(query.accepted)) == len(query.accepted), query.text


def test_every_helpdesk_topic_is_asked_in_several_ways(evaluation) -> None:
    topics = Counter(q.topic for q in evaluation.queries)
    assert set(topics) <= set(evaluation.topics), "a query has a topic not under onderwerpen"
    for topic in quality.HELPDESK_TOPICS:
        assert topic in evaluation.topics, topic
        assert topics[topic] >= 3, f"only {topics[topic]} queries about {topic}"
    forms = Counter(q.form for q in evaluation.queries)
    assert set(forms) <= set(quality.FORMS)
    # Residents type whole questions, abbreviations, typos and compound parts.
    for form in ("vraag", "afkorting", "typfout", "samenstelling", "parafrase"):
        assert forms[form] >= 3, f"only {forms[form]} queries of the form {form}"


# -- scoring ------------------------------------------------------------------------------


def test_recall_counts_the_top_five_and_mrr_the_first_right_rank() -> None:
    queries = [
        quality.Query("a", "pgb", "woorden", ("x",)),
        quality.Query("b", "pgb", "woorden", ("y", "z")),
        quality.Query("c", "pgb", "woorden", ("w",)),
        quality.Query("d", "pgb", "woorden", ("v",)),
    ]
    rankings = {
        "a": ["x", "q"],  # rank 1
        "b": ["q", "q2", "z", "y"],  # rank 3: the first right one counts
        "c": ["1", "2", "3", "4", "5", "6", "w"],  # rank 7: in the MRR, not in the top five
        # "d": nothing at all
    }
    result = quality.score(rankings, queries)
    assert result["queries"] == 4
    assert result["recall_at_5"] == 0.5
    assert result["mrr"] == round((1 + 1 / 3 + 1 / 7) / 4, 3)
    assert [f["vraag"] for f in result["failed"]] == ["c", "d"]
    assert result["failed"][0]["rang"] == 7 and result["failed"][1]["rang"] is None
    assert result["failed"][0]["top"] == ["1", "2", "3", "4", "5"]
    assert quality.score({}, [])["recall_at_5"] == 0


def test_a_result_link_becomes_the_id_it_shows() -> None:
    by_path = {"casussen/lsa/vrijwilligers-met-uitkering/": "lsa-0201"}
    assert quality.result_id("http://h/x/", "http://h/c/ams-0001/", by_path) == "ams-0001"
    assert quality.result_id("http://h/a/hd-0002/", None, by_path) == "hd-0002"
    page = "http://127.0.0.1:1/casussen/lsa/vrijwilligers-met-uitkering/"
    assert quality.result_id(page, None, by_path) == "lsa-0201"
    assert quality.result_id("http://h/begrippen/", None, by_path) == "begrippen/"


# -- the floor ----------------------------------------------------------------------------


def test_kb_zoek_puts_a_right_answer_in_the_top_five(evaluation, tmp_path: Path) -> None:
    rankings = quality.zoek_rankings(CONTENT, tmp_path / "cache", evaluation.queries)
    result = quality.score(rankings, evaluation.queries)
    assert result["recall_at_5"] >= FLOOR, (
        f"kb zoek: recall@5 {result['recall_at_5']}, MRR {result['mrr']}; missed:\n"
        + failures(result)
    )


def test_the_search_page_puts_a_right_answer_in_the_top_five(
    evaluation, browser: Browser, base_url: str
) -> None:
    rankings = quality.page_rankings(
        base_url, evaluation.queries, quality.page_ids(CONTENT), browser
    )
    assert set(rankings) == {q.text for q in evaluation.queries}
    # Every result the page lists is a case or an answer the harness recognises.
    assert all("/" not in rid for ids in rankings.values() for rid in ids)
    result = quality.score(rankings, evaluation.queries)
    assert result["recall_at_5"] >= FLOOR, (
        f"search page: recall@5 {result['recall_at_5']}, MRR {result['mrr']}; missed:\n"
        + failures(result)
    )


# -- kb meten -----------------------------------------------------------------------------


def test_without_chromium_kb_bench_says_so_and_still_measures_kb_zoek(monkeypatch) -> None:
    monkeypatch.setenv("KB_CHROMIUM", str(ROOT / "geen-chromium"))
    said: list[str] = []
    report = quality.measure(ROOT, said.append)
    assert report["queries"] == len(quality.load_set().queries)
    assert 0 <= report["zoek"]["recall_at_5"] <= 1 and 0 <= report["zoek"]["mrr"] <= 1
    assert "Chromium ontbreekt" in report["page"]["fout"]
    assert "apt-get install chromium" in report["page"]["fout"]
    table = benchmark.table({"machine": benchmark.machine(), "runs": [], "quality": report})
    assert "### Zoekkwaliteit" in table
    assert "| kb zoek | " in table and "Chromium ontbreekt" in table
    assert said and all(line.startswith("[kwaliteit]") for line in said)


def test_a_chromium_that_does_not_start_is_reported_not_raised(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("KB_CHROMIUM", str(ROOT / "README.md"))  # there, but no browser
    report = quality.measure(ROOT, lambda line: None, site=tmp_path)
    assert "Chromium werkte niet" in report["page"]["fout"]
    assert report["zoek"]["queries"] == report["queries"]
