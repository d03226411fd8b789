"""The figures of ``kb meten`` for one corpus size (``measure``: kb controleer, our build per
stage, the built site, search, stock Material beside it, kb bekijk), the growth between sizes
and the cost of one hostile case. ``run`` calls them."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb_tools.bench.metrics import gzip_size, page_sizes, run_measured, tree_size
from kb_tools.bench.savetime import measure_saves
from kb_tools.bench.searchcost import browser_missing, helpdesk_search, query_cost
from kb_tools.bench.synthetic import generate
from kb_tools.machine import cores

#: Stages of our build, in pipeline order. "render" is MkDocs itself (total minus the rest)
#: unless the plugin times it.
STAGES = ("load", "similarity", "enrich", "pages", "render", "search", "opendata")


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
    """Our MkDocs project around ``content``: the theme overrides, mkdocs.yml and the guide."""
    shutil.copytree(root / "overrides", target / "overrides")
    shutil.copy2(root / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(root / "content" / "handleiding", content / "handleiding", dirs_exist_ok=True)
    return target


def measure(cases: int, root: Path, work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """Every figure for one corpus size: cases generated (``synthetic.generate``), then
    ``kb controleer``, our build per stage (the plugin reports them), the built site (page weights,
    search index, what a query costs in Chromium), ``kb zoek``, and the same case pages built
    by stock MkDocs + Material with its own search, and last the save-to-screen time of
    ``kb bekijk`` (``savetime``). Builds run as child processes, so each has its own wall
    time and peak memory: of its largest process and of its process tree summed."""
    content = work / "ours" / "content"
    say(f"[{cases}] Casussen maken…")
    started = time.perf_counter()
    generate(content, cases, source=root / "content")
    result: dict[str, Any] = {
        "cases": cases,
        "generate_seconds": round(time.perf_counter() - started, 2),
    }

    say(f"[{cases}] kb controleer…")
    result["check"] = run_measured(
        [sys.executable, "-m", "kb_tools.cli", "check", "--content", str(content)], cwd=work
    )

    # A network editor checks the folder of their own network: the largest one.
    folders = sorted((content / "casussen").iterdir(), key=lambda f: -len(list(f.glob("*.md"))))
    say(f"[{cases}] kb controleer van één netwerkmap ({folders[0].name})…")
    result["check_folder"] = {
        **run_measured(
            [
                sys.executable,
                "-m",
                "kb_tools.cli",
                "check",
                "--content",
                str(content),
                str(folders[0]),
            ],
            cwd=work,
        ),
        "folder": folders[0].name,
        "cases": len(list(folders[0].glob("*.md"))),
    }

    say(f"[{cases}] Onze website bouwen…")
    project = our_project(content, work / "ours", root)
    timings_file = work / "timings.json"
    build = run_measured(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"],
        cwd=project,
        env={"KB_TIMINGS": str(timings_file)},
        tree=True,
    )
    timings = json.loads(timings_file.read_text(encoding="utf-8"))
    stages: dict[str, float | None] = {stage: timings.get(stage) for stage in STAGES}
    if stages["render"] is None:  # not timed by the plugin: what MkDocs itself takes
        known = sum(v for v in stages.values() if v is not None)
        stages["render"] = max(0.0, build["seconds"] - known)
    result["build"] = {
        **build,
        "stages": {k: v if v is None else round(v, 3) for k, v in stages.items()},
        # Processor seconds of the render workers and of the search index's child (with
        # Pagefind); the rest of build.cpu_seconds is the build process and its loaders.
        "cpu": {"workers": timings.get("cpu_workers"), "search": timings.get("search_cpu")},
        # No build on this machine can be shorter: all processor time spread over every core.
        "cpu_floor_seconds": round(build["cpu_seconds"] / cores(), 2),
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
        "case_page_bytes": page_sizes(site / "casussen"),
        "total_bytes": tree_size(site),
        "search_index_bytes": tree_size(index.parent) if index else 0,
        "query_bytes": None,
        "first_result_ms": None,
    }
    missing = browser_missing()
    if index and missing:  # kb meten said so once; the figures say it per size
        result["site"]["browser_fout"] = missing
    elif index:
        say(f"[{cases}] Zoekvragen in de browser…")
        from playwright.sync_api import Error as PlaywrightError

        try:
            result["site"].update(query_cost(site))
        except PlaywrightError as error:  # a Chromium that does not start or crashes
            first = (str(error).strip().splitlines() or [""])[0]
            result["site"]["browser_fout"] = f"Chromium werkte niet ({first})."
            say(f"[{cases}] {result['site']['browser_fout']}")

    say(f"[{cases}] Helpdeskzoeken (kb zoek): index maken en zoekvragen…")
    result["zoek"] = helpdesk_search(content, work / "kb-zoek")

    say(f"[{cases}] Stock Material bouwen (ter vergelijking)…")
    stock = stock_project(content, work / "stock")
    stock_build = run_measured(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"],
        cwd=stock,
        tree=True,
    )
    stock_site = stock / "site"
    search_index = stock_site / "search" / "search_index.json"
    result["stock"] = {
        "build": stock_build,
        "site": {
            "case_page_bytes": page_sizes(stock_site / "casussen"),
            "total_bytes": tree_size(stock_site),
            "search_index_bytes": search_index.stat().st_size if search_index.is_file() else 0,
            "search_index_gzip_bytes": gzip_size(search_index),
            "query_bytes": gzip_size(search_index),  # the whole index, before any result
        },
    }
    result["ratio"] = {
        "build_seconds": _ratio(build["seconds"], stock_build["seconds"]),
        "cpu_seconds": _ratio(build["cpu_seconds"], stock_build["cpu_seconds"]),
        "peak_mb": _ratio(build["peak_mb"], stock_build["peak_mb"]),
        "tree_peak_mb": _ratio(build["tree_peak_mb"], stock_build["tree_peak_mb"]),
        "case_page_median": _ratio(
            result["site"]["case_page_bytes"]["median"],
            result["stock"]["site"]["case_page_bytes"]["median"],
        ),
        "total_bytes": _ratio(
            result["site"]["total_bytes"], result["stock"]["site"]["total_bytes"]
        ),
    }
    # Last: it edits cases (written back after), which the stock pages are made from.
    say(f"[{cases}] kb bekijk: van opslaan tot scherm…")
    result["save_to_screen"] = measure_saves(project, lambda m: say(f"[{cases}] {m}"))
    for failure in result["save_to_screen"].get("failures", []):
        say(f"[{cases}] Opslaan tot scherm mislukt: {failure}")
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
        "tree_peak_mb": _ratio(large["build"]["tree_peak_mb"], small["build"]["tree_peak_mb"]),
        "save_to_screen": _ratio(_save_median(large), _save_median(small)),
    }


def _save_median(run: dict[str, Any]) -> float | None:
    """The median save-to-screen time of a save that renames a temp file over the case."""
    return run.get("save_to_screen", {}).get("rename", {}).get("median")


def hostile(root: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """What one hostile case costs: `kb controleer` and the build on the starter content with one
    case replaced by each shape of ``attacks`` (refused ones and the costliest accepted
    ones), beside the same commands without it. Targets: at most 2 s more for kb controleer,
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

        say("[vijandig] kb controleer en build zonder vijandige casus…")
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
