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
from kb_tools.load.registry import load_registry

from .conftest import CONTENT


@pytest.fixture(scope="module")
def registry():
    return load_registry(CONTENT)[0]


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
    paragraphs = sitesearch.plain_text(record()["text"])
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
    import json

    work = tmp_path / "work"
    work.mkdir()
    payload = {"parts": Compounds(registry).parts, "records": [record()]}
    (work / "invoer.json").write_text(json.dumps(payload), encoding="utf-8")
    out = tmp_path / "site" / "pagefind"
    sitesearch.write_index(work, out)
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
