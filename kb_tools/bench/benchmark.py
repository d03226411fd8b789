"""``kb meten``: ``run`` measures the whole pipeline on synthetic corpora, beside stock
Material (``measure``), and ``table`` writes the result as Markdown. A benchmark measures;
it never passes or fails."""

from __future__ import annotations

import platform
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb_tools.bench import quality
from kb_tools.bench.measure import STAGES, growth, hostile, measure
from kb_tools.bench.savetime import MODE_NL, MODES
from kb_tools.machine import cores

STAGE_NL = {
    "check": "kb controleer",
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
    "check_folder_seconds_10k": 2.0,  # one network's folder, in the whole corpus
    "build_ratio_to_stock": 1.0,
    "growth_10x": 12.0,
    "peak_memory_mb": 2048,
    "save_to_screen_seconds_1k": 2.0,  # kb bekijk: a saved case on screen
    "save_to_screen_seconds_10k": 5.0,
}


def machine() -> dict[str, Any]:
    """Cores, memory, Python and platform of the machine that measures."""
    memory = 0
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            memory = int(info.readline().split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cores": cores(),
        "memory_mb": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def run(
    sizes: list[int],
    root: Path,
    say: Callable[[str], None],
    with_hostile: bool = True,
    with_quality: bool = True,
) -> dict[str, Any]:
    """Every figure for each corpus size in ``sizes``, the growth between the smallest and
    the largest, with ``with_hostile`` the cost of one hostile case and, with
    ``with_quality``, the search quality on the starter content (once per run)."""
    runs = []
    for size in sorted(sizes):
        with tempfile.TemporaryDirectory(prefix=f"kb-bench-{size}-") as tmp:
            runs.append(measure(size, root, Path(tmp), say))
    report = {"machine": machine(), "targets": TARGETS, "runs": runs, "growth": growth(runs)}
    if with_hostile:
        report["hostile"] = hostile(root, say)
    if with_quality:
        report["quality"] = quality.measure(root, say)
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


def _fmt_mb(value: float | None) -> str:
    return "n.v.t." if value is None else f"{value:.0f} MB"


def _fmt_x(value: float | None) -> str:
    return "n.v.t." if value is None else f"{value}×"


def overview(runs: list[dict[str, Any]]) -> list[str]:
    """One line per corpus size: our build beside stock Material, memory and save-to-screen."""
    lines = [
        "| casussen | hele build | stock Material | verhouding | piekgeheugen (alle processen) "
        "| kb bekijk: opslaan tot scherm (mediaan / max) |",
        "|---|---|---|---|---|---|",
    ]
    for r in runs:
        rename = (r.get("save_to_screen") or {}).get("rename") or {}
        lines.append(
            f"| {r['cases']} | {_fmt_s(r['build']['seconds'])} "
            f"| {_fmt_s(r['stock']['build']['seconds'])} | {_fmt_x(r['ratio']['build_seconds'])} "
            f"| {_fmt_mb(r['build'].get('tree_peak_mb'))} "
            f"| {_fmt_s(rename.get('median'))} / {_fmt_s(rename.get('max'))} |"
        )
    return [*lines, ""]


def cpu_rows(r: dict[str, Any]) -> list[str]:
    """Processor time of the build, all processes together, and what it allows at best."""
    build, stock = r["build"], r["stock"]["build"]
    if build.get("cpu_seconds") is None:
        return []
    cpu = build.get("cpu") or {}
    known = [v for v in (cpu.get("workers"), cpu.get("search")) if v is not None]
    rest = build["cpu_seconds"] - sum(known) if len(known) == 2 else None
    return [
        f"| processortijd, alle processen samen | {_fmt_s(build['cpu_seconds'])} "
        f"| {_fmt_s(stock.get('cpu_seconds'))} | {_fmt_x(r['ratio'].get('cpu_seconds'))} |",
        "| processortijd: pagina's maken (werkers) / zoekindex met Pagefind / build en laden "
        f"| {_fmt_s(cpu.get('workers'))} / {_fmt_s(cpu.get('search'))} / {_fmt_s(rest)} | | |",
        "| kortst mogelijke build hier (processortijd gedeeld door de kernen) "
        f"| {_fmt_s(build.get('cpu_floor_seconds'))} | | |",
    ]


def save_rows(save: dict[str, Any] | None) -> list[str]:
    """The rows of kb bekijk's save-to-screen time, per way of saving."""
    if not save:
        return []
    if save.get("browser_fout"):
        return ["| kb bekijk: opslaan tot scherm | n.v.t. (geen browser) | | |"]
    rows = [f"| kb bekijk: tot de website klaarstaat | {_fmt_s(save.get('start_seconds'))} | | |"]
    for mode in MODES:
        m = save.get(mode) or {}
        failed = sum(s["seconds"] is None for s in m.get("saves", []))
        note = f", {failed} keer mislukt" if failed else ""
        rows.append(
            f"| kb bekijk: opslaan tot scherm, {MODE_NL[mode]} (mediaan / max{note}) "
            f"| {_fmt_s(m.get('median'))} / {_fmt_s(m.get('max'))} | | |"
        )
    return rows


def table(report: dict[str, Any]) -> str:
    """A Markdown table per corpus size: readable in a terminal and in BENCHMARKS.md."""
    m = report["machine"]
    lines = [
        f"Machine: {m['cores']} kernen, {m['memory_mb']} MB geheugen, Python {m['python']}",
        "",
        *overview(report["runs"]),
    ]
    for r in report["runs"]:
        lines += [
            f"### {r['cases']} casussen",
            "",
            "| meting | ons | stock Material | verhouding |",
            "|---|---|---|---|",
            f"| kb controleer | {_fmt_s(r['check']['seconds'])} | | |",
        ]
        if "check_folder" in r:
            folder = r["check_folder"]
            lines.append(
                f"| kb controleer van één netwerkmap ({folder['cases']} casussen) "
                f"| {_fmt_s(folder['seconds'])} | | |"
            )
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
            *cpu_rows(r),
            f"| piekgeheugen build (grootste proces) | {r['build']['peak_mb']:.0f} MB "
            f"| {r['stock']['build']['peak_mb']:.0f} MB | {r['ratio']['peak_mb']}× |",
            f"| piekgeheugen build (alle processen samen, RSS / PSS) "
            f"| {_fmt_mb(r['build'].get('tree_peak_mb'))} / "
            f"{_fmt_mb(r['build'].get('tree_pss_peak_mb'))} "
            f"| {_fmt_mb(r['stock']['build'].get('tree_peak_mb'))} / "
            f"{_fmt_mb(r['stock']['build'].get('tree_pss_peak_mb'))} "
            f"| {r['ratio'].get('tree_peak_mb')}× |",
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
            *save_rows(r.get("save_to_screen")),
            "",
        ]
        if r["site"].get("browser_fout"):
            lines += [f"Niet gemeten in de browser: {r['site']['browser_fout']}", ""]
        for failure in (r.get("save_to_screen") or {}).get("failures", []):
            lines += [f"kb bekijk, opslaan tot scherm mislukt: {failure}", ""]
    h = report.get("hostile")
    if h:
        lines += [
            "### Eén vijandige casus (startinhoud, 200 kB per casus)",
            "",
            "| vorm | soort | kb controleer | build |",
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
            f"Hoogstens {h['check_extra_max']:.2f} s extra voor kb controleer (doel: 2 s) en "
            f"{h['build_extra_max']:.2f} s extra voor de build (doel: 10 s).",
            "",
        ]
    lines += quality_table(report.get("quality"))
    g = report.get("growth")
    if g:
        lines += [
            f"### Groei: {g['cases_factor']:.0f}× zoveel casussen",
            "",
            "| onderdeel | kost zoveel keer meer |",
            "|---|---|",
            f"| kb controleer | {g['check']}× |",
        ]
        for stage in STAGES:
            lines.append(
                f"| build: {STAGE_NL[stage]} | {g['stages'][stage] or 'n.v.t.'}"
                f"{'×' if g['stages'][stage] else ''} |"
            )
        lines += [
            f"| hele build | {g['build']}× |",
            f"| stock Material | {g['stock_build']}× |",
            f"| piekgeheugen build (alle processen) | {_fmt_x(g.get('tree_peak_mb'))} |",
            f"| kb bekijk: opslaan tot scherm (mediaan) | {_fmt_x(g.get('save_to_screen'))} |",
            "",
        ]
    return "\n".join(lines)


QUALITY_ENGINES = (("zoek", "kb zoek"), ("page", "zoekpagina (Chromium)"))


def quality_table(q: dict[str, Any] | None) -> list[str]:
    """Recall@5 and MRR per search engine on the starter content, and the questions whose
    right answer was not in the top five."""
    if not q:
        return []
    lines = [
        f"### Zoekkwaliteit (startinhoud, {q['queries']} zoekvragen uit zoekvragen.yml)",
        "",
        "| zoeken | juist antwoord bij de eerste 5 (recall@5) "
        "| MRR (1 / plaats van het eerste juiste antwoord, top 10) | gemist |",
        "|---|---|---|---|",
    ]
    for key, name in QUALITY_ENGINES:
        e = q.get(key, {})
        if "fout" in e:
            lines.append(f"| {name} | {e['fout']} | | |")
        else:
            found = e["queries"] - len(e["failed"])
            lines.append(
                f"| {name} | {e['recall_at_5']:.2f} ({found} van {e['queries']}) "
                f"| {e['mrr']:.2f} | {len(e['failed'])} |"
            )
    lines.append("")
    for key, name in QUALITY_ENGINES:
        failed = q.get(key, {}).get("failed")
        if failed:
            lines.append(f"Gemist door {name}:")
            lines.append("")
            for f in failed:
                got = ", ".join(f["top"]) or "niets gevonden"
                lines.append(
                    f'- "{f["vraag"]}" ({f["vorm"]}): goed is {", ".join(f["goed"])}; eerste 5: {got}'
                )
            lines.append("")
    return lines
