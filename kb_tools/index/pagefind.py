"""Stage 5, index (browser): the Pagefind index behind the search page.

Pagefind indexes HTML. Letting it read the whole built site costs 30 s and 1.9 GB at
10,000 cases (it parses every page, menus and all). Instead, once the pages are planned,
``start`` hands one small record per case to a child process, which writes a bare search
document per case (title, summary, text, hidden search words, filters, meta) and runs
Pagefind over those into ``site/pagefind/``. It runs beside the rest of the build and the
render workers; ``SiteIndexJob.finish`` waits for it at the end of the build.

The documents, the pruning of very common body words and the typo word list are made
in ``kb_tools.index.pagefind_docs``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_tools.dutch import Compounds
from kb_tools.enrich.corpus import Corpus
from kb_tools.index.pagefind_docs import BODY_PAGES, Documents, prune
from kb_tools.index.records import byline, filters, term_labels
from kb_tools.urls import short_link

INDEX_DIR = "pagefind"
UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js")
WORDS_DIR = "woorden"  # pagefind/woorden/<letter>.json: the typo word list (Documents.word_list)
#: Pages per part of the index: a large site gets one Pagefind index per 5,000 pages,
#: dealt round, which the search page merges (Pagefind's mergeIndex). Scoring time grows
#: with the square of the pages of a word, so two halves take half as long; but each
#: part loads its own word chunks (bytes per query), so parts stay few.
PART_PAGES = 5000


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
    documents = Documents(compounds)
    texts = [documents.read(record) for record in records]
    for i, (record, text, pruned) in enumerate(
        zip(records, texts, prune(texts, keep), strict=True)
    ):
        # Newest first, dealt round: each part holds the same spread of dates.
        target = docs / f"deel-{i % parts}" / record["url"] / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(documents.document(record, text, pruned), encoding="utf-8")
    shards = documents.word_list()
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
