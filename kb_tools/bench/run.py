"""`kb bench`: measure the whole pipeline on a synthetic corpus, beside stock Material.

For each corpus size it generates cases (``corpus.generate``), then measures in one run:
``kb check``; our full build with the time of each stage (the plugin reports them); the
built site (page weights, total size, search index, the bytes and time one query
costs in headless Chromium); and a baseline: the same case pages
built by stock MkDocs + Material with its built-in search and the cases out of the
navigation, nothing from kb_tools. Builds run as child processes, so each has its own
wall time and peak memory. A benchmark measures; it never passes or fails.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb_tools.bench.synthetic import generate

#: Stages of our build, in pipeline order. "render" is MkDocs itself: total minus the rest.
STAGES = ("load", "similarity", "enrich", "pages", "render", "search", "opendata")
STAGE_NL = {
    "check": "kb check",
    "load": "laden en controleren",
    "similarity": "vergelijkbare casussen",
    "enrich": "verrijken (links, facetten, adressen)",
    "pages": "pagina's maken",
    "render": "MkDocs-weergave",
    "search": "zoekindex",
    "opendata": "open data en doorverwijzingen",
    "build": "hele build",
}
TARGETS = {
    "check_seconds_10k": 5.0,
    "build_ratio_to_stock": 1.5,
    "growth_10x": 12.0,
    "peak_memory_mb": 2048,
}


def machine() -> dict[str, Any]:
    memory = 0
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            memory = int(info.readline().split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def run_measured(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a child process: its wall seconds and peak memory (ru_maxrss from wait4, which
    covers the child and the worker processes it waited for)."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            out.seek(0)
            raise RuntimeError(f"{' '.join(args[:5])} is mislukt:\n{out.read()[-4000:]}")
    return {"seconds": round(seconds, 3), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def _page_sizes(root: Path) -> dict[str, int]:
    sizes = sorted(p.stat().st_size for p in root.rglob("index.html"))
    if not sizes:
        return {"median": 0, "max": 0}
    return {"median": int(statistics.median(sizes)), "max": sizes[-1]}


def _gzip_size(path: Path) -> int:
    import gzip

    return len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0


CHROMIUM = Path("/usr/bin/chromium")
#: Helpdesk questions, each asked on a freshly opened search page: common words (in
#: nearly every synthetic case: the worst case), a place, a phrase and a synonym.
QUERIES = ("vrijwilligers gemeente", "vervoer", "Delfzijl", "right to challenge", "vpb")
_COMPRESSED_BY_HOST = (".js", ".json", ".css", ".html")


def query_cost(site: Path, queries: tuple[str, ...] = QUERIES) -> dict[str, Any]:
    """What searching costs a reader of the search page in headless Chromium, served
    from 127.0.0.1 by a server that counts the bytes it sends (Pagefind fetches in a
    worker, which the page's DevTools session does not see). Text files count gzipped,
    as a web host sends them; Pagefind's own files are compressed already.

    Per query, on a fresh page: the bytes of word chunks and result fragments (what the
    issue budgets), the filter files (loaded once per visit, after the first results,
    for the counts) and the milliseconds from pressing Enter to the first result, after
    typing the query at 80 ms per key. ``startup_bytes`` is what opening the page loads
    from pagefind/ (code, wasm, page list); ``ready_ms`` how long until that is loaded.
    """
    from playwright.sync_api import sync_playwright

    from kb_tools.bench.static import Served, serve

    def cost(served: Served) -> dict[str, int]:
        kinds = {"index": 0, "fragment": 0, "filter": 0, "other": 0}
        for path, size in served.take().items():
            if "/pagefind/" not in path:
                continue
            if path.endswith(_COMPRESSED_BY_HOST):
                size = _gzip_size(site / path.lstrip("/"))
            kind = path.rsplit(".pf_", 1)[-1] if ".pf_" in path else "other"
            kinds[kind if kind in kinds else "other"] += size
        return kinds

    runs = []
    with serve(site) as served, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM) if CHROMIUM.exists() else None,
            args=["--no-sandbox", "--disable-gpu"],
            headless=True,
        )
        try:
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                page.set_default_timeout(60_000)
                form = page.locator("#kb-search[data-state=klaar]")
                opened = time.perf_counter()
                page.goto(served.url + "zoeken/")
                page.locator("#kb-search[data-index=klaar]").wait_for()
                ready_ms = (time.perf_counter() - opened) * 1000
                startup = cost(served)
                # Typed as a quick reader types: the page fetches word chunks meanwhile.
                page.type("#kb-q", query, delay=80)
                started = time.perf_counter()
                page.press("#kb-q", "Enter")
                page.locator("#kb-results li, #kb-none:not([hidden])").first.wait_for()
                first_ms = (time.perf_counter() - started) * 1000
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


def stock_project(content: Path, target: Path) -> Path:
    """The same case pages as plain Markdown for stock MkDocs + Material + built-in search."""
    docs = target / "docs"
    for case in sorted((content / "casussen").rglob("*.md")):
        text = case.read_text(encoding="utf-8")
        _, meta, body = text.split("---\n", 2)
        title = next(line for line in meta.splitlines() if line.startswith("titel:"))
        title = title.split(":", 1)[1].strip().strip('"')
        out = docs / case.relative_to(content)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"# {title}\n\n{body}", encoding="utf-8")
    (docs / "index.md").write_text("# Kennisbank\n\nStock Material.\n", encoding="utf-8")
    (target / "mkdocs.yml").write_text(
        "site_name: Stock\n"
        "theme:\n  name: material\n  language: nl\n"
        "plugins:\n  - search\n"
        "nav:\n  - Home: index.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n",
        encoding="utf-8",
    )
    return target


def our_project(content: Path, target: Path, root: Path) -> Path:
    shutil.copytree(root / "overrides", target / "overrides")
    shutil.copy2(root / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(root / "content" / "handleiding", content / "handleiding", dirs_exist_ok=True)
    return target


def measure(cases: int, root: Path, work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """Every figure for one corpus size."""
    content = work / "ours" / "content"
    say(f"[{cases}] Casussen maken…")
    started = time.perf_counter()
    generate(content, cases, source=root / "content")
    result: dict[str, Any] = {
        "cases": cases,
        "generate_seconds": round(time.perf_counter() - started, 2),
    }

    say(f"[{cases}] kb check…")
    result["check"] = run_measured(
        [sys.executable, "-m", "kb_tools.cli", "check", "--content", str(content)], cwd=work
    )

    say(f"[{cases}] Onze website bouwen…")
    project = our_project(content, work / "ours", root)
    timings_file = work / "timings.json"
    build = run_measured(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"],
        cwd=project,
        env={"KB_TIMINGS": str(timings_file)},
    )
    timings = json.loads(timings_file.read_text(encoding="utf-8"))
    stages: dict[str, float | None] = {stage: timings.get(stage) for stage in STAGES}
    known = sum(v for v in stages.values() if v is not None)
    stages["render"] = max(0.0, build["seconds"] - known)
    result["build"] = {
        **build,
        "stages": {k: v if v is None else round(v, 3) for k, v in stages.items()},
        # The search index's child process, beside the stages (not part of their sum).
        "background": {
            k: round(timings[f"search_{k}"], 3)
            for k in ("background", "documents", "pagefind")
            if f"search_{k}" in timings
        },
    }
    site = project / "site"
    index = next(iter(site.glob("pagefind/pagefind-entry.json")), None)
    result["site"] = {
        "case_page_bytes": _page_sizes(site / "casussen"),
        "total_bytes": _size(site),
        "search_index_bytes": _size(index.parent) if index else 0,
        "query_bytes": None,
        "first_result_ms": None,
    }
    if index:
        say(f"[{cases}] Zoekvragen in de browser…")
        result["site"].update(query_cost(site))

    say(f"[{cases}] Helpdeskzoeken (kb zoek): index maken en zoekvragen…")
    result["zoek"] = helpdesk_search(content, work / "kb-zoek")

    say(f"[{cases}] Stock Material bouwen (ter vergelijking)…")
    stock = stock_project(content, work / "stock")
    stock_build = run_measured(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"], cwd=stock
    )
    stock_site = stock / "site"
    search_index = stock_site / "search" / "search_index.json"
    result["stock"] = {
        "build": stock_build,
        "site": {
            "case_page_bytes": _page_sizes(stock_site / "casussen"),
            "total_bytes": _size(stock_site),
            "search_index_bytes": search_index.stat().st_size if search_index.is_file() else 0,
            "search_index_gzip_bytes": _gzip_size(search_index),
            "query_bytes": _gzip_size(search_index),  # the whole index, before any result
        },
    }
    result["ratio"] = {
        "build_seconds": _ratio(build["seconds"], stock_build["seconds"]),
        "peak_mb": _ratio(build["peak_mb"], stock_build["peak_mb"]),
        "case_page_median": _ratio(
            result["site"]["case_page_bytes"]["median"],
            result["stock"]["site"]["case_page_bytes"]["median"],
        ),
        "total_bytes": _ratio(
            result["site"]["total_bytes"], result["stock"]["site"]["total_bytes"]
        ),
    }
    return result


def _ratio(ours: float | None, stock: float | None) -> float | None:
    if not ours or not stock:
        return None
    return round(ours / stock, 2)


def growth(runs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Cost of the largest corpus relative to the smallest, per stage."""
    if len(runs) < 2:
        return None
    small, large = runs[0], runs[-1]
    factor = large["cases"] / small["cases"]
    stages = {}
    for stage in STAGES:
        a, b = small["build"]["stages"].get(stage), large["build"]["stages"].get(stage)
        stages[stage] = _ratio(b, a)
    return {
        "cases_factor": factor,
        "check": _ratio(large["check"]["seconds"], small["check"]["seconds"]),
        "build": _ratio(large["build"]["seconds"], small["build"]["seconds"]),
        "stock_build": _ratio(
            large["stock"]["build"]["seconds"], small["stock"]["build"]["seconds"]
        ),
        "stages": stages,
    }


def hostile(root: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """What one hostile case costs: `kb check` and the build on the starter content with one
    case replaced by each shape of ``attacks`` (refused ones and the costliest accepted
    ones), beside the same commands without it. Targets: at most 2 s more for kb check,
    10 s more for the build."""
    from kb_tools.bench.attacks import ACCEPTED, REFUSED

    with tempfile.TemporaryDirectory(prefix="kb-bench-vijandig-") as tmp:
        project = Path(tmp)
        shutil.copytree(root / "content", project / "content")
        our_project(project / "content", project, root)
        victim = next(iter(sorted((project / "content" / "casussen").rglob("*.md"))))
        original = victim.read_text(encoding="utf-8")
        head = original.split("\n## ", 1)[0]
        check = [sys.executable, "-m", "kb_tools.cli", "check", "--content", "content"]
        build = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"]

        def timed(args: list[str]) -> tuple[float, bool]:
            started = time.perf_counter()
            try:
                run_measured(args, cwd=project)
                ok = True
            except RuntimeError:
                ok = False  # a refused file: the command ends with an error, as it should
            return round(time.perf_counter() - started, 3), ok

        say("[vijandig] kb check en build zonder vijandige casus…")
        base = {"check": timed(check)[0], "build": timed(build)[0]}
        shapes: dict[str, Any] = {}
        worst_accepted = "alles op de grens"
        for kind, table in (("geweigerd", REFUSED), ("toegestaan", ACCEPTED)):
            for name, make in table.items():
                # The shape is the story of a case that is valid otherwise.
                body = f"## Situatie\n\n{make()}\n\n## Aanpak\n\nSamen.\n\n## Resultaat\n\nGoed.\n"
                victim.write_text(head + "\n" + body, encoding="utf-8")
                say(f"[vijandig] {name}…")
                seconds, ok = timed(check)
                entry: dict[str, Any] = {"soort": kind, "check": seconds, "geweigerd": not ok}
                if name in ("'[x](' x 45.000", worst_accepted):
                    entry["build"], built = timed(build)
                    entry["gebouwd"] = built
                shapes[name] = entry
        victim.write_text(original, encoding="utf-8")
    return {
        "base": base,
        "shapes": shapes,
        "check_extra_max": round(max(v["check"] for v in shapes.values()) - base["check"], 3),
        "build_extra_max": round(
            max(v.get("build", 0) for v in shapes.values()) - base["build"], 3
        ),
    }


def run(
    sizes: list[int], root: Path, say: Callable[[str], None], with_hostile: bool = True
) -> dict[str, Any]:
    runs = []
    for size in sorted(sizes):
        with tempfile.TemporaryDirectory(prefix=f"kb-bench-{size}-") as tmp:
            runs.append(measure(size, root, Path(tmp), say))
    report = {"machine": machine(), "targets": TARGETS, "runs": runs, "growth": growth(runs)}
    if with_hostile:
        report["hostile"] = hostile(root, say)
    return report


def _fmt_s(value: float | None) -> str:
    return "n.v.t." if value is None else f"{value:.2f} s"


def _fmt_ms(value: float | None) -> str:
    return "n.v.t." if value is None else f"{value:.0f} ms"


def _fmt_b(value: int | None) -> str:
    if value is None:
        return "n.v.t."
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f} MB"
    return f"{value / 1000:.1f} kB"


def table(report: dict[str, Any]) -> str:
    """A Markdown table per corpus size: readable in a terminal and in BENCHMARKS.md."""
    m = report["machine"]
    lines = [
        f"Machine: {m['cores']} kernen, {m['memory_mb']} MB geheugen, Python {m['python']}",
        "",
    ]
    for r in report["runs"]:
        lines += [
            f"### {r['cases']} casussen",
            "",
            "| meting | ons | stock Material | verhouding |",
            "|---|---|---|---|",
            f"| kb check | {_fmt_s(r['check']['seconds'])} | | |",
        ]
        for stage in STAGES:
            lines.append(
                f"| build: {STAGE_NL[stage]} | {_fmt_s(r['build']['stages'][stage])} | | |"
            )
        side = r["build"].get("background", {})
        lines.append(
            "| achtergrond: zoekdocumenten / Pagefind / samen "
            f"| {_fmt_s(side.get('documents'))} / {_fmt_s(side.get('pagefind'))} / "
            f"{_fmt_s(side.get('background'))} | | |"
        )
        lines += [
            f"| hele build | {_fmt_s(r['build']['seconds'])} | {_fmt_s(r['stock']['build']['seconds'])} "
            f"| {r['ratio']['build_seconds']}× |",
            f"| piekgeheugen build | {r['build']['peak_mb']:.0f} MB | {r['stock']['build']['peak_mb']:.0f} MB "
            f"| {r['ratio']['peak_mb']}× |",
            f"| casuspagina (mediaan) | {_fmt_b(r['site']['case_page_bytes']['median'])} "
            f"| {_fmt_b(r['stock']['site']['case_page_bytes']['median'])} | {r['ratio']['case_page_median']}× |",
            f"| casuspagina (grootste) | {_fmt_b(r['site']['case_page_bytes']['max'])} "
            f"| {_fmt_b(r['stock']['site']['case_page_bytes']['max'])} | |",
            f"| hele website | {_fmt_b(r['site']['total_bytes'])} | {_fmt_b(r['stock']['site']['total_bytes'])} "
            f"| {r['ratio']['total_bytes']}× |",
            f"| zoekindex | {_fmt_b(r['site']['search_index_bytes'] or None)} "
            f"| {_fmt_b(r['stock']['site']['search_index_bytes'])} "
            f"({_fmt_b(r['stock']['site']['search_index_gzip_bytes'])} gzip) | |",
            f"| bytes per zoekvraag (woorden + resultaten; mediaan / max) "
            f"| {_fmt_b(r['site']['query_bytes'])} / {_fmt_b(r['site'].get('query_bytes_max'))} "
            f"| {_fmt_b(r['stock']['site']['query_bytes'])} (hele index, gzip) | |",
            f"| eenmalig per bezoek: zoekpagina openen / filters "
            f"| {_fmt_b(r['site'].get('startup_bytes'))} / {_fmt_b(r['site'].get('filter_bytes'))} "
            "| | |",
            f"| kb zoek: index maken / zoekvraag (max) "
            f"| {_fmt_s(r['zoek']['index_build']['seconds'])} / "
            f"{_fmt_ms(r['zoek']['query_ms_max'])} | | |",
            f"| zoekpagina klaar om te zoeken | {_fmt_ms(r['site'].get('ready_ms'))} | | |",
            f"| eerste resultaat (mediaan / max) | {_fmt_ms(r['site'].get('first_result_ms'))} / "
            f"{_fmt_ms(r['site'].get('first_result_ms_max'))} | | |",
            "",
        ]
    h = report.get("hostile")
    if h:
        lines += [
            "### Eén vijandige casus (startinhoud, 200 kB per casus)",
            "",
            "| vorm | soort | kb check | build |",
            "|---|---|---|---|",
            f"| geen (gewone inhoud) | | {_fmt_s(h['base']['check'])} | {_fmt_s(h['base']['build'])} |",
        ]
        for name, v in h["shapes"].items():
            build = _fmt_s(v["build"]) if "build" in v else ""
            verdict = "geweigerd" if v["geweigerd"] else "in orde"
            if "build" in v:
                build += " (gebouwd)" if v["gebouwd"] else " (niet gebouwd)"
            lines.append(f"| {name} | {v['soort']} | {_fmt_s(v['check'])} ({verdict}) | {build} |")
        lines += [
            "",
            f"Hoogstens {h['check_extra_max']:.2f} s extra voor kb check (doel: 2 s) en "
            f"{h['build_extra_max']:.2f} s extra voor de build (doel: 10 s).",
            "",
        ]
    g = report.get("growth")
    if g:
        lines += [
            f"### Groei: {g['cases_factor']:.0f}× zoveel casussen",
            "",
            "| onderdeel | kost zoveel keer meer |",
            "|---|---|",
            f"| kb check | {g['check']}× |",
        ]
        for stage in STAGES:
            lines.append(
                f"| build: {STAGE_NL[stage]} | {g['stages'][stage] or 'n.v.t.'}"
                f"{'×' if g['stages'][stage] else ''} |"
            )
        lines += [
            f"| hele build | {g['build']}× |",
            f"| stock Material | {g['stock_build']}× |",
            "",
        ]
    return "\n".join(lines)
