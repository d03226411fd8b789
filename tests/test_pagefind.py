"""The documents and words behind the site's Pagefind index (kb_tools/sitesearch.py).
The search page itself is tested in a browser in test_search_browser.py."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb_tools.dutch import Compounds, synonym_map
from kb_tools.index import pagefind as sitesearch
from kb_tools.index.plaintext import plain_text
from kb_tools.load.registry import load_registry

from .conftest import CONTENT


@pytest.fixture(scope="module")
def registry():
    return load_registry(CONTENT)[0]


def index_site(tmp_path: Path, registry, records: list[dict], **options) -> Path:
    """A site folder with only an index page and the Pagefind index of ``records``, made
    by the child's own ``write_index`` (``options``: body_pages, part_pages)."""
    import json

    work = tmp_path / "work"
    work.mkdir()
    payload = {"parts": Compounds(registry).parts, "records": records, **options}
    (work / "invoer.json").write_text(json.dumps(payload), encoding="utf-8")
    site = tmp_path / "site"
    sitesearch.write_index(work, site / "pagefind")
    (site / "index.html").write_text("<!DOCTYPE html><title>t</title>", encoding="utf-8")
    return site


def in_browser(site: Path, browser, script: str):
    """What ``script`` (an async function) returns on a page of ``site``, served locally."""
    from kb_tools.bench.static import serve

    with serve(site) as served:
        page = browser.new_page()
        try:
            page.goto(served.url)
            return page.evaluate(script)
        finally:
            page.close()


def record(**changes) -> dict:
    base = {
        "url": "casussen/test/een/",
        "title": "Een zorgcoöperatie in het dorp",
        "summary": "Bewoners regelen vervoersdiensten.",
        "text": "## Situatie\n\nDe [buurtcoöperatie](../x/) helpt **ouderen**.\n\n- een lijst",
        "labels": ["Vennootschapsbelasting", "Wonen en welzijn", "Dorp"],
        "filters": {"thema": ["vervoer"], "netwerk": ["test"]},
        "meta": {"plaats": "Lierop", "netwerk": "Test", "id": "ams-0001"},
        "date": "2025-01-01",
    }
    return {**base, **changes}


def test_search_words_add_what_the_text_lacks(registry):
    words = sitesearch.search_words(record(), Compounds(registry)).split()
    assert "coöperatie" in words  # a part at the end, spelled as in the text
    assert "vennootschapsbelasting" in words  # a term label the text does not use
    # Not: parts at the start (Pagefind matches word starts itself), stop words, and
    # words the text has ("dorp" is in the title).
    assert not {"zorg", "zorgcoop", "en", "dorp"} & set(words)
    assert "wonen" in words
    assert len(words) == len(set(words))


def test_synonyms_go_to_the_most_specific_vocabulary(registry):
    synonyms = synonym_map(registry)
    assert synonyms["vpb"] == "Vennootschapsbelasting"  # the law, not the bottleneck
    assert synonyms["keukentafelgesprek"] == "Wmo 2015"
    assert "wmo" not in synonyms  # a word of the label itself: the index has it
    assert all(key == " ".join(key.split()) and key == key.lower() for key in synonyms)
    assert "wmo loket" in synonyms  # "wmo-loket", as the page splits words


def test_plain_text_drops_markdown():
    paragraphs = plain_text(record()["text"])
    assert paragraphs == ["Situatie", "De buurtcoöperatie helpt ouderen.", "een lijst"]


def test_documents_leave_out_the_fixed_section_headings(registry):
    html = sitesearch.document(record(), Compounds(registry))
    assert "<p>Situatie</p>" not in html and "helpt ouderen" in html


def test_documents_escape_hostile_content(registry):
    hostile = record(
        title='<script>alert("x")</script>',
        summary="<img src=x onerror=alert(1)>",
        filters={"thema": ['"><b>']},
        meta={"plaats": "<i>Lierop</i>"},
    )
    html = sitesearch.document(hostile, Compounds(registry))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and 'data-pagefind-filter="thema">&quot;&gt;&lt;b&gt;' in html


def test_write_index_makes_a_pagefind_index_without_the_unused_interfaces(tmp_path, registry):
    out = index_site(tmp_path, registry, [record()]) / "pagefind"
    assert (out / "pagefind.js").is_file() and (out / "pagefind-entry.json").is_file()
    assert list((out / "fragment").iterdir()) and list((out / "filter").iterdir())
    assert not list(out.glob("pagefind-*ui.*")) and not (out / "pagefind-highlight.js").exists()


def test_a_failing_index_job_says_so_in_dutch(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    with open(work / "fouten.txt", "wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; sys.stderr.write('kapot'); sys.exit(1)"],
            stderr=errors,
        )
    job = sitesearch.SiteIndexJob(process, work, time.perf_counter())
    with pytest.raises(sitesearch.SiteIndexError, match="De zoekindex is niet gemaakt. kapot"):
        job.finish()
    assert not work.exists()


def test_the_child_reports_a_missing_input_as_an_error(tmp_path: Path, capsys):
    assert sitesearch.main([str(tmp_path / "weg"), str(tmp_path / "uit")]) == 1
    assert "Schrijven lukte niet" in capsys.readouterr().err


def common_word_records(n: int = 8) -> list[dict]:
    """``n`` records with "gemeente" in every body, once or (record 0) four times; record
    5 has it in its title, record 6 in its summary, and record 7 only in a term label."""
    out = []
    for i in range(n):
        times = 4 if i == 0 else 1
        out.append(
            record(
                url=f"casussen/test/c{i}/",
                title="Overleg met de gemeente" if i == 5 else f"Casus nummer {i}",
                summary="Steun van de gemeente." if i == 6 else "Bewoners regelen vervoer.",
                text="## Situatie\n\n" + "De gemeente helpt. " * times + f"Woord{i} staat hier.",
                labels=["Gemeentelijk beleid"] if i == 7 else [],
                meta={"id": f"ams-{i:04d}"},
            )
        )
    return out


def test_pruning_keeps_a_common_word_in_its_densest_bodies_only(registry):
    records = common_word_records()
    pruned = sitesearch.prune(records, Compounds(registry), keep=2)
    key = sitesearch._key("gemeente")
    kept = [i for i, p in enumerate(pruned) if key not in p]
    assert len(kept) == 2 and 0 in kept  # the densest body keeps it
    assert all(key not in p for p in sitesearch.prune(records, Compounds(registry), keep=8))
    assert 5 not in kept
    html = sitesearch.document(records[5], Compounds(registry), pruned[5])
    # The title and summary keep the word; the body's copy is marked (not found by typing).
    assert "<h1>Overleg met de gemeente</h1>" in html
    assert f"{sitesearch.MARK}gemeente " in html and " Woord5 " in html  # rare: never pruned
    summary = sitesearch.document(records[6], Compounds(registry), pruned[6])
    assert "<p>Steun van de gemeente.</p>" in summary and 6 not in kept


def test_the_word_list_has_indexed_words_as_spelled_by_first_letter(registry):
    shards = sitesearch.word_list(common_word_records(), Compounds(registry))
    assert shards["g"]["gemeente"] == 8
    assert "Overleg" in shards["o"] and "overleg" not in shards["o"]  # the usual spelling
    # A hidden part of "zorgcoöperatie" (the text lacks it on its own).
    assert "coöperatie" in sitesearch.word_list([record()], Compounds(registry))["c"]
    words = {w.lower() for shard in shards.values() for w in shard}
    assert not words & {"de", "het", "staat", "woord0"}  # stop words, short and non-letters
    assert all(len(w) >= 4 for w in words)


def test_pruning_never_loses_a_case_with_the_word_in_title_summary_or_label(
    tmp_path, registry, browser
):
    import json

    site = index_site(tmp_path, registry, common_word_records(), body_pages=2)
    assert json.loads((site / "pagefind" / "woorden" / "g.json").read_text())["gemeente"] == 8
    found = in_browser(
        site,
        browser,
        """async () => {
          const pf = await import('/pagefind/pagefind.js');
          await pf.options({baseUrl: '/'});
          const found = {};
          for (const q of ['gemeente', 'gemeentelijk', 'woord3']) {
            const r = await pf.search(q);
            found[q] = (await Promise.all(r.results.map((x) => x.data())))
              .map((d) => d.meta.id).sort();
          }
          return found;
        }""",
    )
    # Two densest bodies (0 and one more) + title (5), summary (6) and label (7).
    assert {"ams-0000", "ams-0005", "ams-0006", "ams-0007"} <= set(found["gemeente"])
    assert len(found["gemeente"]) == 5, found
    assert found["gemeentelijk"] == ["ams-0007"]
    assert found["woord3"] == ["ams-0003"]


def test_a_large_index_comes_in_parts_that_the_search_page_merges(tmp_path, registry, browser):
    import json

    site = index_site(tmp_path, registry, common_word_records(), part_pages=3)
    out = site / "pagefind"
    assert json.loads((out / "delen.json").read_text()) == ["deel-1/", "deel-2/"]
    assert not list(out.glob("deel-*/*.js")) and not list(out.glob("deel-*/pagefind-*ui*"))
    found = in_browser(
        site,
        browser,
        """async () => {
          const pf = await import('/pagefind/pagefind.js');
          await pf.options({baseUrl: '/'});
          await pf.init();
          for (const part of ['deel-1/', 'deel-2/']) {
            await pf.mergeIndex('/pagefind/' + part, {baseUrl: '/'});
          }
          const r = await pf.search('vervoer');
          return (await Promise.all(r.results.map((x) => x.data()))).map((d) => d.meta.id);
        }""",
    )
    # Every case but the one whose summary is about the municipality, from all three parts.
    assert sorted(found) == [f"ams-{i:04d}" for i in range(8) if i != 6]
