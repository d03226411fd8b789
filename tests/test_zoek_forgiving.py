"""`kb zoek` forgives what people type: question words and filler, typos (searched as the
nearest indexed words, and said so), synonyms that add a term without replacing the words,
and snippets that mark only words of the question."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb_tools.cli import main
from kb_tools.dutch import STOP_WORDS, fold
from kb_tools.index.helpdesk import SearchIndex
from kb_tools.index.helpdesk_words import typo_edits

from .conftest import CONTENT, ids


def marked(snippet: str) -> list[str]:
    return re.findall(r"\*\*([^*]+)\*\*", snippet)


def test_question_words_and_filler_do_not_count_against_a_case(index) -> None:
    question = ids(index.search("mag iemand met een uitkering vrijwilligerswerk doen", limit=3))
    plain = ids(index.search("uitkering vrijwilligerswerk", limit=3))
    assert question == plain
    assert {"hd-0003", "utr-0105"} <= set(question)


def test_a_matching_content_word_never_finds_nothing(index) -> None:
    # Five words no case has and one that three cases have: not "Niets gevonden".
    hits = index.search("xqzwv yplkt qwrtz vbnmq zxcvb zelfbeheer")
    assert hits and all("zelfbeheer" in h.snippet.lower() for h in hits)


@pytest.mark.parametrize(
    ("query", "expected", "also"),
    [
        ("vrijwiligers met uitkering", "lsa-0201", "vrijwilligers"),
        ("zorgcooperatie austerliz", "utr-0201", "Austerlitz"),
    ],
)
def test_a_typo_is_searched_as_the_nearest_indexed_word(index, query, expected, also) -> None:
    hits = index.search(query, limit=3)
    assert expected in ids(hits)
    assert hits.also == [also]  # as the texts write it, not a stem


def test_a_correct_word_is_never_corrected(index) -> None:
    for query in ("vrijwilligers", "Austerlitz zorgcoöperatie", "Vinkenoord", "pgb svb"):
        assert index.search(query).also == []
    # A known word beside a typo stays as typed; only the typo gets company.
    assert index.search("austerliz vrijwilligers").also == ["Austerlitz"]


def test_a_compound_no_case_writes_is_searched_by_its_parts(index) -> None:
    # nlz-0202 writes "fondsen" and "voorwaarden", never "fondsvoorwaarden".
    hits = index.search("fondsvoorwaarden", limit=3)
    assert ids(hits)[:1] == ["nlz-0202"] and not hits.also
    assert {"fonds", "voorwaarden"} <= {w.lower() for w in marked(hits[0].snippet)}
    # A compound the texts do write is searched as written, not by its parts.
    written = index.search("zorgverzekeraar", limit=3)
    assert written and all("zorgverzekeraar" in h.snippet.lower() for h in written)


def test_typo_edits_follow_the_length_of_the_word() -> None:
    assert [typo_edits(w) for w in ("huis", "buurt", "wijkhuis", "austerliz")] == [0, 1, 2, 2]


def test_a_word_too_far_from_every_indexed_word_is_not_corrected(index) -> None:
    # "bezuiniging" is in no case; "begin" or "bezig" are more than two edits from it.
    assert index.search("bezuiniging").also == []
    assert index.search("bezuiniging") == []


def test_snippets_mark_only_words_of_the_question(index) -> None:
    for query in ("mag iemand met een uitkering vrijwilligerswerk doen", "vrijwilligers"):
        for hit in index.search(query):
            for word in marked(hit.snippet):
                assert fold(word.lower()) not in STOP_WORDS, (query, hit.snippet)
                assert any(part in fold(word.lower()) for part in ("uitker", "vrijwillig")), (
                    query,
                    hit.snippet,
                )


def test_a_synonym_adds_its_term_without_replacing_the_word(index) -> None:
    # "vrijwilligers" is a synonym of the financing term "Alleen vrijwillige inzet"; the
    # cases that say "vrijwilligers" come first, and "geld" (from "zonder geld") is no
    # synonym of that term: a case about money is not found on "vrijwilligers".
    hits = index.search("vrijwilligers", limit=5)
    assert all(re.search(r"vrijwillig", h.snippet, re.IGNORECASE) for h in hits)
    money = ids(index.search("geld", limit=50))
    volunteers = ids(index.search("vrijwilligers", limit=50))
    assert set(money) != set(volunteers)
    # A real synonym still finds the term's cases: "vpb" finds vennootschapsbelasting.
    assert "nlz-0201" in ids(index.search("vpb"))


def test_cli_says_what_else_it_searched(tmp_path: Path, capsys) -> None:
    cache = str(tmp_path / "c")
    assert (
        main(["zoek", "zorgcooperatie", "austerliz", "--content", str(CONTENT), "--cache", cache])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("Ook gezocht op: Austerlitz\n") and "utr-0201" in out
    assert main(["zoek", "austerliz", "--json", "--content", str(CONTENT), "--cache", cache]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ook_gezocht_op"] == ["Austerlitz"] and data["resultaten"]
    assert main(["zoek", "vpb", "--json", "--content", str(CONTENT), "--cache", cache]) == 0
    assert json.loads(capsys.readouterr().out)["ook_gezocht_op"] == []


def test_a_long_build_reports_progress(content: Path, tmp_path: Path, monkeypatch) -> None:
    from kb_tools.index import helpdesk

    monkeypatch.setattr(helpdesk, "PROGRESS_EVERY", 1)
    told = []
    SearchIndex(content, tmp_path / "c").update(
        progress=lambda done, total: told.append((done, total))
    )
    assert (
        told and told[-1][0] == told[-1][1] and [d for d, _ in told] == sorted(d for d, _ in told)
    )


def test_cli_progress_is_plain_lines_when_not_a_terminal(
    content: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    from kb_tools.index import helpdesk

    monkeypatch.setattr(helpdesk, "PROGRESS_EVERY", 1)
    assert (
        main(["zoek", "eettafel", "--content", str(content), "--cache", str(tmp_path / "c")]) == 0
    )
    err = capsys.readouterr().err
    assert "Zoekindex maken: bestanden lezen (2)\nZoekindex maken: opslaan\n" in err
    assert "\r" not in err


def test_ranking_reads_postings_and_lengths_of_every_segment(content: Path, tmp_path: Path) -> None:
    """The bulk reading in helpdesk_rank agrees with whoosh's own lookups, also after an
    incremental update (a second segment) with a deleted case."""
    from whoosh import index as whoosh_index

    from kb_tools.index import helpdesk_rank

    from .conftest import case_folder

    idx = SearchIndex(content, tmp_path / "c")
    idx.update()
    path = case_folder(content) / "ams-0901.md"
    path.write_text(path.read_text().replace("Een eettafel in de wijk", "Een soepbar in de wijk"))
    idx.update()
    ix = whoosh_index.open_dir(str(tmp_path / "c"))
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1 or searcher.reader().has_deletions()
        lengths = helpdesk_rank._lengths(searcher)
        live = [d for d in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(d)]
        assert [lengths[d] for d in live] == [searcher.doc_field_length(d, "text", 1) for d in live]
        for term in ("eettafel", "soepbar", "wijk"):
            bulk = {
                d: w
                for ids, ws in helpdesk_rank._blocks(searcher, term)
                for d, w in zip(ids, ws, strict=True)
            }
            assert bulk == dict(searcher.postings("text", term).items_as("weight")), term
    assert ids(idx.search("soepbar")) == ["ams-0901"]


def test_a_parallel_build_finds_what_a_sequential_build_finds(tmp_path: Path, monkeypatch) -> None:
    from kb_tools.index import helpdesk

    sequential = SearchIndex(CONTENT, tmp_path / "one")
    sequential.update()
    monkeypatch.setattr(helpdesk, "PARALLEL_FROM", 1)  # as for 2,000 files and more
    parallel = SearchIndex(CONTENT, tmp_path / "two")
    parallel.update()
    for query in ("vrijwilligers uitkering", "zorgcooperatie austerliz", "vpb", "pgb"):
        first, second = sequential.search(query), parallel.search(query)
        assert [(h.id, h.score, h.snippet) for h in first] == [
            (h.id, h.score, h.snippet) for h in second
        ]
        assert first.also == second.also
    assert (tmp_path / "one" / "woorden.json").read_text() == (
        tmp_path / "two" / "woorden.json"
    ).read_text()
