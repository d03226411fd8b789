"""Stage 5, index (browser): the Pagefind index behind the search page.

Pagefind indexes HTML. Letting it read the whole built site costs 30 s and 1.9 GB at
10,000 cases (it parses every page, menus and all). Instead, once the pages are planned,
``start`` hands one small record per case to a child process, which writes a bare search
document per case (title, summary, text, hidden search words, filters, meta) and runs
Pagefind over those into ``site/pagefind/``. It runs on the second core while MkDocs
renders; ``SiteIndexJob.finish`` waits for it at the end of the build.

Pagefind stems Dutch words itself, but knows neither our synonyms nor compounds: "vpb"
does not find "vennootschapsbelasting" and "coöperatie" does not find "zorgcoöperatie".
So each document carries hidden words: the labels of its terms and the known parts of its
long words (``search_words``); the search page rewrites synonyms to labels
(``synonym_map``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kb_tools.dutch import STOP_WORDS, Compounds, fold, stem
from kb_tools.enrich.corpus import Corpus
from kb_tools.index.plaintext import plain_text
from kb_tools.index.records import byline, filters, term_labels
from kb_tools.schema import SECTIONS
from kb_tools.urls import short_link

INDEX_DIR = "pagefind"
SECTION_HEADINGS = frozenset(name for name, _ in SECTIONS)
UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js")
WORDS_DIR = "woorden"  # pagefind/woorden/<letter>.json: the typo word list (word_list)
#: A word in more bodies than this is pruned from the others (``prune``). Pagefind spends
#: about 10 ns per page of the result times per page of all query words: 1,000 pages
#: keep a common word's body share of a query near 10 ms.
BODY_PAGES = 1000
#: Pages per part of the index: a large site gets one Pagefind index per 5,000 pages,
#: dealt round, which the search page merges (Pagefind's mergeIndex). Scoring time grows
#: with the square of the pages of a word, so two halves take half as long; but each
#: part loads its own word chunks (bytes per query), so parts stay few.
PART_PAGES = 5000
#: Marks a pruned word in the text: a letter (so Pagefind keeps the word's place in the
#: excerpt) that no reader types. The search page removes it from excerpts.
MARK = "\u01c2"

_RAW_WORD = re.compile(r"[^\W_]+")


class SiteIndexError(Exception):
    """Pagefind could not make the index; the message is Dutch and says what to do."""


def records(corpus: Corpus, markdown: dict[str, str]) -> list[dict[str, Any]]:
    """What the child needs per case and per helpdesk answer, as plain data: ``markdown``
    maps an id to its page Markdown with links already resolved."""
    registry = corpus.registry
    out = []
    for case in corpus.cases:
        out.append(
            {
                "url": corpus.urls[case.id],
                "title": case.title,
                "summary": case.summary,
                "text": markdown.get(case.id, case.body),
                "labels": term_labels(case, registry),
                "filters": filters(case),
                "meta": {
                    "plaats": case.meta.get("plaats", ""),
                    "netwerk": byline(case, registry),
                    "id": case.id,
                    "link": short_link(case.id),  # "Kopieer link" in the results
                },
                "date": case.published.isoformat() if case.published else "",
            }
        )
    for answer in corpus.answers:
        # Helpdesk answers are searched like cases; they have themes, laws and bottlenecks.
        out.append(
            {
                "url": corpus.urls[answer.id],
                "title": answer.title,
                "summary": answer.summary,
                "text": f"{answer.question}\n\n{markdown.get(answer.id, answer.body)}",
                "labels": term_labels(answer, registry),
                "filters": filters(answer),
                "meta": {
                    "netwerk": byline(answer, registry),
                    "id": answer.id,
                    "link": short_link(answer.id),
                },
                "date": answer.date.isoformat(),
            }
        )
    return out


def search_words(
    record: dict[str, Any], compounds: Compounds, pruned: frozenset[str] = frozenset()
) -> str:
    """The hidden words of one case that its text lacks: the words of its term labels
    (synonyms are rewritten to labels in the browser, see ``synonym_map``) and the known
    parts of its long words ("zorgcoöperatie" gives "coöperatie"). Pagefind ignores
    diacritics and matches word starts itself, so each word is added once, as the text
    spells it. Every word costs Pagefind memory (about 0.6 kB per word per page at 10,000
    cases), so nothing is added twice. A part of a body word is left out when the word or
    the part is ``pruned`` from this body (``prune``), as the body word itself is."""
    head = f"{record['title']} {record['summary']}".lower()
    body = record["text"].lower()
    head_words = set(_RAW_WORD.findall(head))
    present = head_words | set(_RAW_WORD.findall(body))
    found: dict[str, None] = {}

    def add(word: str) -> None:
        if word not in present:
            found.setdefault(word, None)

    for label in record["labels"]:
        for word in _RAW_WORD.findall(label.lower()):
            if len(word) > 1 and word not in STOP_WORDS:
                add(word)
    for raw in sorted(present):
        if len(raw) >= 8:
            in_head = raw in head_words
            if not in_head and _key(raw) in pruned:
                continue
            for part in _parts_as_spelled(raw, compounds):
                if in_head or _key(part) not in pruned:
                    add(part)
    return " ".join(sorted(found))


@lru_cache(maxsize=200_000)
def _parts_as_spelled(raw: str, compounds: Compounds) -> tuple[str, ...]:
    """The known parts of a word that Pagefind would not find by a word start, as the
    word spells them ("zorgcoöperatie" -> "coöperatie"). Words repeat across cases."""
    folded = fold(raw)
    out = []
    for part in compounds.split(folded):
        if folded.startswith(part):
            continue  # Pagefind finds "vervoer" in "vervoersdienst" by itself
        spelled = raw[-len(part) :] if len(raw) == len(folded) else part
        out.append(spelled if fold(spelled) == part else part)
    return tuple(out)


def document(
    record: dict[str, Any], compounds: Compounds, pruned: frozenset[str] = frozenset()
) -> str:
    """One bare HTML page for Pagefind. Filters, meta and sort sit in an ignored block:
    Pagefind reads them, but they are not part of the text or the excerpts. Words of the
    body whose key is ``pruned`` carry ``MARK``: the excerpt still shows them (the search
    page takes the mark away), but they are not found by what a reader types."""
    e = html.escape
    # The fixed section headings are in every case: as search words they only cost.
    paragraphs = "".join(
        f"<p>{e(_marked(p, pruned))}</p>"
        for p in plain_text(record["text"])
        if p not in SECTION_HEADINGS
    )
    tags = "".join(
        f'<span data-pagefind-filter="{e(name)}">{e(value)}</span>'
        for name, values in record["filters"].items()
        for value in values
    )
    tags += "".join(
        f'<span data-pagefind-meta="{e(name)}">{e(value)}</span>'
        for name, value in record["meta"].items()
        if value
    )
    if record["date"]:
        tags += f'<span data-pagefind-sort="datum">{e(record["date"])}</span>'
    hidden = search_words(record, compounds, pruned)
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{e(record['title'])}</title></head><body><main data-pagefind-body>"
        f"<h1>{e(record['title'])}</h1><p>{e(record['summary'])}</p>{paragraphs}"
        f'<p data-pagefind-weight="0.5">{e(hidden)}</p>'
        f"<div data-pagefind-ignore>{tags}</div></main></body></html>"
    )


@lru_cache(maxsize=200_000)
def _key(word: str) -> str:
    """What Pagefind files a word under, near enough: its Dutch stem, folded."""
    return stem(fold(word))


def _marked(text: str, pruned: frozenset[str]) -> str:
    if not pruned:
        return text
    return _RAW_WORD.sub(lambda m: MARK + m[0] if _key(m[0]) in pruned else m[0], text)


def _body_keys(record: dict[str, Any], compounds: Compounds) -> dict[str, int]:
    """How often each word key occurs in the body (parts of long words included)."""
    counts: dict[str, int] = {}
    text = " ".join(p for p in plain_text(record["text"]) if p not in SECTION_HEADINGS)
    for raw in _RAW_WORD.findall(text.lower()):
        key = _key(raw)
        counts[key] = counts.get(key, 0) + 1
        if len(raw) >= 8:
            for part in _parts_as_spelled(raw, compounds):
                part_key = _key(part)
                counts[part_key] = counts.get(part_key, 0) + 1
    return counts


def prune(
    records: list[dict[str, Any]], compounds: Compounds, keep: int = BODY_PAGES
) -> list[frozenset[str]]:
    """Static index pruning: per record, the word keys its body leaves out of the index.
    Pagefind scores every page that holds a word, against every page of every word of
    the query (time grows with the square of the pages): a word in the bodies of more
    than ``keep`` pages stays in the ``keep`` bodies where it is densest. Titles,
    summaries and term labels are never pruned, so a page with the word there is always
    found; below ``keep`` pages nothing changes."""
    counts = [_body_keys(r, compounds) for r in records]
    pages: dict[str, list[int]] = {}
    for index, found in enumerate(counts):
        for key in found:
            pages.setdefault(key, []).append(index)
    out: list[set[str]] = [set() for _ in records]
    for key, holders in pages.items():
        if len(holders) <= keep:
            continue

        def density(i: int, key: str = key) -> tuple[float, str]:
            return (-counts[i][key] / sum(counts[i].values()), records[i]["url"])

        for index in sorted(holders, key=density)[keep:]:
            out[index].add(key)
    return [frozenset(o) for o in out]


def word_list(records: list[dict[str, Any]], compounds: Compounds) -> dict[str, dict[str, int]]:
    """The indexed words a typo is corrected to, as the text spells them most often, with
    the number of pages that hold them, in shards by first folded letter: the search
    page loads the shard of a word of 5 letters or more to see if it is indexed. Letters
    only, 4 letters or more, no stop words."""
    pages: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    for record in records:
        seen: set[str] = set()
        text = f"{record['title']} {record['summary']} {' '.join(record['labels'])} "
        for raw in _RAW_WORD.findall(text + record["text"] + " " + search_words(record, compounds)):
            folded = fold(raw)
            if len(folded) < 4 or not folded.isalpha() or folded in STOP_WORDS:
                continue
            forms = spellings.setdefault(folded, {})
            forms[raw] = forms.get(raw, 0) + 1
            if folded not in seen:
                seen.add(folded)
                pages[folded] = pages.get(folded, 0) + 1
    shards: dict[str, dict[str, int]] = {}
    for folded in sorted(pages):
        forms = spellings[folded]
        spelled = max(forms, key=lambda f: (forms[f], f.islower(), f))
        letter = folded[0] if "a" <= folded[0] <= "z" else "_"
        shards.setdefault(letter, {})[spelled] = pages[folded]
    return shards


def pagefind_executable() -> str:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise SiteIndexError(
            "De zoekindex is niet gemaakt: het pakket 'pagefind[extended]' ontbreekt. "
            "Installeer het project opnieuw (make install)."
        ) from error
    return str(get_executable())


def _run_pagefind(docs: Path, out: Path) -> None:
    result = subprocess.run(
        [pagefind_executable(), "--site", str(docs), "--output-path", str(out)]
        + ["--force-language", "nl", "--silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SiteIndexError(f"Pagefind stopte met een fout:\n{result.stderr[-2000:]}")


def write_index(work: Path, out: Path) -> dict[str, float]:
    """In the child: read ``work/invoer.json``, write the documents, run Pagefind.
    Returns the seconds of each step, for `kb meten`."""
    started = time.perf_counter()
    data = json.loads((work / "invoer.json").read_text(encoding="utf-8"))
    compounds = Compounds(parts=data["parts"])
    docs = work / "docs"
    records = data["records"]
    keep = data.get("body_pages", BODY_PAGES)  # a test prunes a small index
    parts = max(1, -(-len(records) // data.get("part_pages", PART_PAGES)))
    for i, (record, pruned) in enumerate(
        zip(records, prune(records, compounds, keep), strict=True)
    ):
        # Newest first, dealt round: each part holds the same spread of dates.
        target = docs / f"deel-{i % parts}" / record["url"] / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document(record, compounds, pruned), encoding="utf-8")
    shards = word_list(records, compounds)
    written = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    for part in range(parts):
        _run_pagefind(docs / f"deel-{part}", out / f"deel-{part}" if part else out)
    for unused in UNUSED:  # Pagefind's own interfaces; the search page has its own
        for path in (*out.glob(unused), *out.glob(f"deel-*/{unused}")):
            path.unlink()
    for path in (*out.glob("deel-*/pagefind*.js"), *out.glob("deel-*/wasm.*")):
        path.unlink()  # the search page loads Pagefind's code once, from out
    delen = [f"deel-{part}/" for part in range(1, parts)]
    (out / "delen.json").write_text(json.dumps(delen), encoding="utf-8")
    (out / WORDS_DIR).mkdir()
    for letter in "abcdefghijklmnopqrstuvwxyz_":  # every shard, so none is missing
        words = shards.get(letter, {})
        text = json.dumps(words, ensure_ascii=False, separators=(",", ":"))
        (out / WORDS_DIR / f"{letter}.json").write_text(text, encoding="utf-8")
    return {"documents": written - started, "pagefind": time.perf_counter() - written}


@dataclass
class SiteIndexJob:
    """The index being made in the background."""

    process: subprocess.Popen[bytes]
    work: Path
    started: float
    seconds: float | None = None  # the child's own wall time, once finished
    steps: dict[str, float] | None = None  # its steps (write_index), once finished

    def finish(self) -> float:
        """Wait for the index; raise SiteIndexError when it failed. Returns the wait."""
        waited = time.perf_counter()
        try:
            code = self.process.wait()
            self.seconds = time.perf_counter() - self.started
            steps = self.work / "tijden.json"
            self.steps = json.loads(steps.read_text(encoding="utf-8")) if steps.exists() else None
            if code != 0:
                errors = (self.work / "fouten.txt").read_text(encoding="utf-8", errors="replace")
                raise SiteIndexError(
                    "De zoekindex is niet gemaakt. " + (errors.strip()[-2000:] or f"Code {code}.")
                )
        finally:
            shutil.rmtree(self.work, ignore_errors=True)
        return time.perf_counter() - waited

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.work, ignore_errors=True)


def start(corpus: Corpus, markdown: dict[str, str], site_dir: Path) -> SiteIndexJob:
    """Start making ``site_dir/pagefind/`` in a child process and return at once."""
    work = Path(tempfile.mkdtemp(prefix="kb-zoekindex-"))
    payload = {"parts": Compounds(corpus.registry).parts, "records": records(corpus, markdown)}
    (work / "invoer.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    with open(work / "fouten.txt", "wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "kb_tools.index.pagefind", str(work), str(site_dir / INDEX_DIR)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    return SiteIndexJob(process, work, time.perf_counter())


def _processor_seconds() -> float | None:
    """This process's processor time and that of the Pagefind runs it waited for."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    own, runs = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + runs.ru_utime + runs.ru_stime


def main(argv: list[str]) -> int:
    work, out = Path(argv[0]), Path(argv[1])
    # Not niced: the workers render on every core, and the build ends when this index
    # does, so it is as urgent as they are (BENCHMARKS.md, issue 18).
    try:
        steps = write_index(work, out)
        steps["cpu"] = _processor_seconds()
        (work / "tijden.json").write_text(json.dumps(steps), encoding="utf-8")
    except SiteIndexError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Schrijven lukte niet: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
