"""The documents and words behind the site's Pagefind index (kb_tools/index/pagefind.py,
kb_tools/index/pagefind_docs.py). The search page itself is tested in a browser in
test_search_browser.py."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from kb_tools.dutch import STOP_WORDS, Compounds, fold, synonym_map
from kb_tools.index import pagefind as sitesearch
from kb_tools.index import pagefind_docs as docs
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


def read_all(registry, records: list[dict]) -> tuple[docs.Documents, list[docs.RecordText]]:
    documents = docs.Documents(Compounds(registry))
    return documents, [documents.read(r) for r in records]


def make_document(registry, record: dict, pruned: frozenset[str] = frozenset()) -> str:
    documents, (text,) = read_all(registry, [record])
    return documents.document(record, text, pruned)


def test_search_words_add_what_the_text_lacks(registry):
    words = docs.search_words(docs.Documents(Compounds(registry)).read(record())).split()
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
    html = make_document(registry, record())
    assert "<p>Situatie</p>" not in html and "helpt ouderen" in html


def test_documents_escape_hostile_content(registry):
    hostile = record(
        title='<script>alert("x")</script>',
        summary="<img src=x onerror=alert(1)>",
        filters={"thema": ['"><b>']},
        meta={"plaats": "<i>Lierop</i>"},
    )
    html = make_document(registry, hostile)
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
    documents = docs.Documents(Compounds(registry))
    texts = [documents.read(r) for r in records]
    pruned = docs.prune(texts, keep=2)
    key = docs._key("gemeente")
    kept = [i for i, p in enumerate(pruned) if key not in p]
    assert len(kept) == 2 and 0 in kept  # the densest body keeps it
    assert all(key not in p for p in docs.prune(texts, keep=8))
    assert 5 not in kept
    html = documents.document(records[5], texts[5], pruned[5])
    # The title and summary keep the word; the body's copy is marked (not found by typing).
    assert "<h1>Overleg met de gemeente</h1>" in html
    assert f"{docs.MARK}gemeente " in html and " Woord5 " in html  # rare: never pruned
    summary = documents.document(records[6], texts[6], pruned[6])
    assert "<p>Steun van de gemeente.</p>" in summary and 6 not in kept


def test_the_word_list_has_indexed_words_as_spelled_by_first_letter(registry):
    shards = read_all(registry, common_word_records())[0].word_list()
    assert shards["g"]["gemeente"] == 8
    assert "Overleg" in shards["o"] and "overleg" not in shards["o"]  # the usual spelling
    # A hidden part of "zorgcoöperatie" (the text lacks it on its own).
    assert "coöperatie" in read_all(registry, [record()])[0].word_list()["c"]
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


# -- the shared, chunked reading against the rules word by word ---------------------------

WORD = re.compile(r"[^\W_]+")


def tricky_records() -> list[dict]:
    """Words split by marks and links, capitals, Greek and Turkish capitals (whose lower
    case depends on their neighbours or is two letters), tabs, hard spaces, no body."""
    text = (
        "## Aanpak\n\nDe gemeente mailt de **Gemeente**: e-mail, zorg/welzijn, foo_bar, a|b "
        "en `code`.\n\n1. Eerst de [buurtcoöperatie](../x/zorgverzekeringswet/).\n"
        "2. Dan vervoersdiensten\tin\u00a0Lierop.\n\n"
        "ΑΣ'Β ΟΔΟΣ ΣΑ İstanbul gemeentehuis, zorgverzekeringswet en de zorgcoöperatie."
    )
    return [
        record(),
        record(
            url="casussen/test/twee/",
            title="De GEMEENTE en het Zorgloket",
            summary="Over e-mail en 's-Hertogenbosch.",
            text=text,
            labels=["Zorgverzekeringswet", "Gemeentelijk beleid", "E-mail"],
        ),
        record(url="casussen/test/leeg/", text="## Situatie", summary="Geen tekst."),
    ]


def rule_search_words(record: dict, compounds: Compounds, pruned: frozenset[str]) -> str:
    head_words = set(WORD.findall(f"{record['title']} {record['summary']}".lower()))
    present = head_words | set(WORD.findall(record["text"].lower()))
    found = {
        word
        for label in record["labels"]
        for word in WORD.findall(label.lower())
        if len(word) > 1 and word not in STOP_WORDS
    }
    for raw in present:
        if len(raw) >= 8 and (raw in head_words or docs._key(raw) not in pruned):
            found.update(
                part
                for part in docs._parts_as_spelled(raw, compounds)
                if raw in head_words or docs._key(part) not in pruned
            )
    return " ".join(sorted(found - present))


def rule_paragraphs(record: dict) -> list[str]:
    return [p for p in plain_text(record["text"]) if p not in docs.SECTION_HEADINGS]


def rule_body_keys(record: dict, compounds: Compounds) -> Counter:
    counts: Counter = Counter()
    for raw in WORD.findall(" ".join(rule_paragraphs(record)).lower()):
        counts[docs._key(raw)] += 1
        if len(raw) >= 8:
            counts.update(docs._key(part) for part in docs._parts_as_spelled(raw, compounds))
    return counts


def rule_main(record: dict, compounds: Compounds, pruned: frozenset[str]) -> str:
    """What the page holds by the rules: each body word whose key is pruned marked."""

    def mark(m: re.Match) -> str:
        return docs.MARK + m[0] if docs._key(m[0]) in pruned else m[0]

    e = html.escape
    body = "".join(f"<p>{e(WORD.sub(mark, p))}</p>" for p in rule_paragraphs(record))
    hidden = rule_search_words(record, compounds, pruned)
    return (
        f"<main data-pagefind-body><h1>{e(record['title'])}</h1><p>{e(record['summary'])}</p>"
        f'{body}<p data-pagefind-weight="0.5">{e(hidden)}</p><div data-pagefind-ignore>'
    )


def test_reading_by_chunk_gives_what_the_rules_give_word_by_word(registry):
    compounds = Compounds(registry)
    documents, texts = read_all(registry, tricky_records())
    assert "\u01c2" not in "".join(r["text"] for r in tricky_records())
    for record_, text in zip(tricky_records(), texts, strict=True):
        assert text.body_keys == rule_body_keys(record_, compounds)
        keys = frozenset(text.body_keys)
        some = frozenset(docs._key(w) for w in ("gemeente", "mail", "verzekeringswet", "zorg"))
        for pruned in (frozenset(), some & keys, keys):
            page = documents.document(record_, text, pruned)
            assert rule_main(record_, compounds, pruned) in page
            assert docs.search_words(text, pruned) == rule_search_words(record_, compounds, pruned)
    page = documents.document(tricky_records()[1], texts[1], some)
    # "e-mail": only "mail" is pruned; a capital word is marked as its lower case is.
    assert f"e-{docs.MARK}mail" in page and f"{docs.MARK}Gemeente:" in page


def rule_word_list(records: list[dict], compounds: Compounds) -> dict[str, dict[str, int]]:
    pages: Counter = Counter()
    forms: dict[str, Counter] = {}
    for r in records:
        hidden = rule_search_words(r, compounds, frozenset())
        seen = set()
        for raw in WORD.findall(
            f"{r['title']} {r['summary']} {' '.join(r['labels'])} {r['text']} {hidden}"
        ):
            folded = fold(raw)
            if len(folded) >= 4 and folded.isalpha() and folded not in STOP_WORDS:
                forms.setdefault(folded, Counter())[raw] += 1
                seen.add(folded)
        pages.update(seen)
    shards: dict[str, dict[str, int]] = {}
    for folded in sorted(pages):
        spelled = max(forms[folded], key=lambda f: (forms[folded][f], f.islower(), f))
        letter = folded[0] if "a" <= folded[0] <= "z" else "_"
        shards.setdefault(letter, {})[spelled] = pages[folded]
    return shards


def test_the_word_list_counts_by_chunk_what_the_rules_count_word_by_word(registry):
    records = tricky_records() + common_word_records()
    shards = read_all(registry, records)[0].word_list()
    assert shards == rule_word_list(records, Compounds(registry))
    assert json_text(shards) == json_text(rule_word_list(records, Compounds(registry)))


def json_text(shards: dict) -> str:
    import json

    return json.dumps(shards, ensure_ascii=False)  # the order of the words too


def rule_prune(texts: list[docs.RecordText], keep: int) -> list[frozenset[str]]:
    holders: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        for key in text.body_keys:
            holders.setdefault(key, []).append(i)
    out: list[set[str]] = [set() for _ in texts]
    for key, found in holders.items():
        total = [sum(texts[i].body_keys.values()) for i in found]
        order = sorted(
            range(len(found)),
            key=lambda j: (-texts[found[j]].body_keys[key] / total[j], texts[found[j]].url),
        )
        for j in order[keep:]:
            out[found[j]].add(key)
    return [frozenset(o) for o in out]


def test_pruning_sorts_as_the_rule_does_ties_by_url(registry):
    # Records 1 to 4 of common_word_records tie on the share of "gemeente"; reversed, the
    # order of the records is not the order of their URLs.
    records = list(reversed(common_word_records())) + tricky_records()
    texts = read_all(registry, records)[1]
    for keep in (1, 2, 3, 5, len(records)):
        assert docs.prune(texts, keep) == rule_prune(texts, keep)


def test_no_space_lets_case_or_words_reach_past_it():
    """``Documents`` lower-cases a text chunk by chunk: that is the lower case of the whole
    text only if no letter's lower case looks past a space (Σ at a word's end is ς)."""
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        assert not WORD.search(space)
        for text in (f"ΑΣ{space}Α", f"Α{space}Σ", f"İ{space}Σ'Α", f"ΟΔΟΣ{space}'Α"):
            chunked = space.join(chunk.lower() for chunk in text.split(space))
            assert text.lower() == chunked, (hex(ord(space)), text)
