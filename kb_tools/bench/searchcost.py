"""Search as readers and the helpdesk use it, for ``kb meten``: what one query costs on the
built site's search page in headless Chromium (``query_cost``) and how fast ``kb zoek``
builds its index and answers (``helpdesk_search``)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from kb_tools.bench.metrics import gzip_size, run_measured

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; KB_CHROMIUM names another


def chromium_path() -> Path:
    """The Chromium that kb meten drives: KB_CHROMIUM when set, else Debian's."""
    return Path(os.environ.get("KB_CHROMIUM", "").strip() or CHROMIUM)


def browser_missing() -> str | None:
    """What is missing to measure in the browser (Dutch, with how to install it), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright ontbreekt: de metingen in de browser zijn overgeslagen. "
            "Installeer het met: .venv/bin/pip install -e '.[test]'"
        )
    path = chromium_path()
    if not path.is_file():
        return (
            f"Chromium ontbreekt (niet gevonden: {path}): de metingen in de browser zijn "
            "overgeslagen. Installeer het met: sudo apt-get install chromium "
            "(of zet het pad naar Chromium in KB_CHROMIUM)."
        )
    return None


#: Helpdesk questions, each asked on a freshly opened search page: common words (in
#: nearly every synthetic case: the worst case), a place, a phrase, a synonym, a typo, a
#: compound part and whole questions as residents type them.
QUERIES = (
    "vrijwilligers gemeente",
    "vervoer",
    "Delfzijl",
    "right to challenge",
    "vpb",
    "bewoners",
    "ouderen zorgcoöperatie gemeente subsidie",
    "vrijwiligers met uitkering",
    "verzekeraar",
    "hoe betaalt de zorgcoöperatie een dorpsondersteuner als de subsidie van de gemeente stopt",
    "mag iemand met een uitkering vrijwilligerswerk doen voor de buurtcoöperatie",
)
_COMPRESSED_BY_HOST = (".js", ".json", ".css", ".html")
#: Timed inside the page, at the DOM change itself: Playwright's own waiting polls with
#: growing pauses (up to 500 ms), which would add up to half a second to a figure.
_CLOCK = """
window.__kbClock = {};
new MutationObserver(() => {
  const clock = window.__kbClock;
  const form = document.getElementById("kb-search");
  if (!clock.ready && form && form.dataset.index === "klaar") clock.ready = performance.now();
  if (clock.enter && !clock.first
      && document.querySelector("#kb-results li, #kb-none:not([hidden])")) {
    clock.first = performance.now();
  }
}).observe(document, { subtree: true, childList: true, attributes: true });
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !window.__kbClock.enter) window.__kbClock.enter = performance.now();
}, true);
"""


def launch_chromium(playwright: Any) -> Any:
    """Headless Chromium as the bench drives it: Debian's when installed."""
    return playwright.chromium.launch(
        executable_path=str(chromium_path()),
        args=["--no-sandbox", "--disable-gpu"],
        headless=True,
    )


def query_cost(site: Path, queries: tuple[str, ...] = QUERIES) -> dict[str, Any]:
    """What searching costs a reader of the search page in headless Chromium, served
    from 127.0.0.1 by a server that counts the bytes it sends (Pagefind fetches in a
    worker, which the page's DevTools session does not see). Text files count gzipped,
    as a web host sends them; Pagefind's own files are compressed already.

    Per query, on a fresh page: the bytes of word chunks, shards of the typo word list
    and result fragments (what the issue budgets), the filter files (loaded once per visit, after the first results,
    for the counts) and the milliseconds from pressing Enter to the first result, after
    typing the query at 80 ms per key. ``startup_bytes`` is what opening the page loads
    from pagefind/ (code, wasm, page list); ``ready_ms`` how long from the start of the
    navigation until that is loaded. Both times are taken in the page (``_CLOCK``).
    """
    from playwright.sync_api import sync_playwright

    from kb_tools.bench.static import Served, serve

    def cost(served: Served) -> dict[str, int]:
        kinds = {"index": 0, "fragment": 0, "filter": 0, "other": 0}
        for path, size in served.take().items():
            if "/pagefind/" not in path:
                continue
            if path.endswith(_COMPRESSED_BY_HOST):
                size = gzip_size(site / path.lstrip("/"))
            kind = path.rsplit(".pf_", 1)[-1] if ".pf_" in path else "other"
            if "/pagefind/woorden/" in path:  # the typo word list: loaded per query
                kind = "index"
            kinds[kind if kind in kinds else "other"] += size
        return kinds

    runs = []
    with serve(site) as served, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for query in queries:
                context = browser.new_context()
                context.add_init_script(_CLOCK)
                page = context.new_page()
                page.set_default_timeout(60_000)
                form = page.locator("#kb-search[data-state=klaar]")
                page.goto(served.url + "zoeken/")
                page.locator("#kb-search[data-index=klaar]").wait_for()
                startup = cost(served)
                # Typed as a quick reader types: the page fetches word chunks meanwhile.
                page.type("#kb-q", query, delay=80)
                page.press("#kb-q", "Enter")
                page.locator("#kb-results li, #kb-none:not([hidden])").first.wait_for()
                clock = page.evaluate("() => ({ now: performance.now(), ...window.__kbClock })")
                # No change seen after Enter (a search of the same words, under way since
                # a pause in typing, showed them already): the time of asking.
                first_ms = clock.get("first", clock["now"]) - clock.get("enter", clock["now"])
                ready_ms = clock.get("ready", clock["now"])
                form.wait_for()
                spent = cost(served)
                runs.append(
                    {
                        "query": query,
                        "startup_bytes": sum(startup.values()) + spent["other"],
                        "query_bytes": spent["index"] + spent["fragment"],
                        "filter_bytes": spent["filter"],
                        "first_result_ms": round(first_ms),
                        "ready_ms": round(ready_ms),
                    }
                )
                context.close()
        finally:
            browser.close()
    by_bytes = sorted(r["query_bytes"] for r in runs)
    by_ms = sorted(r["first_result_ms"] for r in runs)
    return {
        "queries": runs,
        "query_bytes": by_bytes[len(by_bytes) // 2],  # the median query
        "query_bytes_max": by_bytes[-1],
        "first_result_ms": by_ms[len(by_ms) // 2],
        "first_result_ms_max": by_ms[-1],
        "startup_bytes": max(r["startup_bytes"] for r in runs),
        "ready_ms": max(r["ready_ms"] for r in runs),
        "filter_bytes": max(r["filter_bytes"] for r in runs),
    }


def helpdesk_search(content: Path, cache: Path) -> dict[str, Any]:
    """`kb zoek`: building its whoosh index from scratch (a child process, as a helpdesk
    worker runs it the first time), then each query of QUERIES in-process on that index."""
    from kb_tools.index.helpdesk import SearchIndex

    build = run_measured(
        [sys.executable, "-m", "kb_tools.cli", "zoek", "test", "--content", str(content)]
        + ["--cache", str(cache)],
        cwd=content.parent,
    )
    index = SearchIndex(content, cache)
    index.update()
    times = {}
    for query in QUERIES:
        started = time.perf_counter()
        index.search(query)
        times[query] = round((time.perf_counter() - started) * 1000, 1)
    return {"index_build": build, "query_ms": times, "query_ms_max": max(times.values())}
