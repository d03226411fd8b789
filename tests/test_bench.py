"""`kb meten` at a tiny size: it runs end to end and reports every figure.

A benchmark is a measurement, not a test: nothing here asserts a wall time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb_tools.bench import benchmark as bench
from kb_tools.bench.searchcost import QUERIES
from kb_tools.bench.synthetic import generate
from kb_tools.cli import main
from kb_tools.validate import check_content

from .conftest import CONTENT, ROOT


def test_generated_corpora_are_valid_and_deterministic(tmp_path: Path) -> None:
    generate(tmp_path / "a", 60, source=CONTENT)
    generate(tmp_path / "b", 60, source=CONTENT)
    result = check_content(tmp_path / "a")
    assert result.findings == [] and len(result.cases) == 60
    assert len({c.network for c in result.cases}) >= 5
    assert any(c.links for c in result.cases)
    first = sorted((tmp_path / "a" / "casussen").rglob("*.md"))
    second = sorted((tmp_path / "b" / "casussen").rglob("*.md"))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_kb_bench_reports_every_figure(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    # Two hostile shapes of each table keep this test short; kb meten measures them all.
    from kb_tools.bench import attacks

    for table in (attacks.REFUSED, attacks.ACCEPTED):
        keep = [k for k in table if k in ("'[x](' x 45.000", "alles op de grens")][:1]
        keep = keep or list(table)[:1]
        for name in list(table):
            if name not in keep:
                monkeypatch.delitem(table, name)
    from kb_tools.bench import savetime

    monkeypatch.setattr(savetime, "SAVES", 1)  # one save per way of saving; kb meten: three
    out, md = tmp_path / "bench.json", tmp_path / "bench.md"
    assert main(["bench", "--cases", "12", "24", "--out", str(out), "--markdown", str(md)]) == 0
    report = json.loads(out.read_text())
    assert report["machine"]["kernen"] >= 1 and report["machine"]["python"]
    assert [r["casussen"] for r in report["metingen"]] == [12, 24]
    for run in report["metingen"]:
        assert run["controle"]["seconden"] > 0 and run["bouw"]["piek_mb"] > 0
        folder = run["controle_map"]
        assert folder["seconden"] > 0 and 0 < folder["casussen"] < run["casussen"]
        for stage in ("laden", "verrijken", "paginas", "weergave", "open_data"):
            assert run["bouw"]["stappen"][stage] is not None, stage
        assert run["website"]["casuspagina_bytes"]["mediaan"] > 1000
        assert run["website"]["zoekindex_bytes"] > 0
        assert run["website"]["zoekvraag_bytes"] > 0 and run["website"]["eerste_resultaat_ms"] >= 0
        assert {q["zoekvraag"] for q in run["website"]["zoekvragen"]} == set(QUERIES)
        assert all(q["opstart_bytes"] > 0 for q in run["website"]["zoekvragen"])
        assert run["bouw"]["piek_mb_processen"] >= run["bouw"]["piek_mb"] > 0
        saved = run["opslaan_tot_scherm"]
        assert saved["mislukt"] == [], saved
        for mode in ("hernoemd", "ter_plekke", "ander_thema"):
            assert saved[mode]["mediaan"] > 0 and len(saved[mode]["keren"]) == 1
        assert run["bouw"]["stappen"]["zoekindex"] is not None
        assert set(run["bouw"]["achtergrond"]) == {"samen", "zoekdocumenten", "pagefind"}
        assert run["zoek"]["index_maken"]["seconden"] > 0
        assert set(run["zoek"]["zoekvraag_ms"]) == set(QUERIES)
        assert run["stock"]["website"]["zoekindex_bytes"] > 0
        assert run["verhouding"]["bouw_seconden"] > 0
        # Processor time: the parts are in the whole, and no build can beat the floor.
        build, parts = run["bouw"], run["bouw"]["cpu_seconden_per_deel"]
        assert parts["zoekindex"] > 0 and (parts["werkers"] or 0) >= 0
        assert build["cpu_seconden"] >= parts["zoekindex"] + (parts["werkers"] or 0) - 0.1
        assert 0 < build["ondergrens_seconden"] <= build["seconden"] + 0.05
        assert run["stock"]["bouw"]["cpu_seconden"] > 0 and run["verhouding"]["cpu_seconden"] > 0
    assert report["groei"]["factor_casussen"] == 2
    hostile = report["vijandig"]
    assert hostile["basis"]["controle"] > 0 and hostile["basis"]["bouw"] > 0
    assert {v["soort"] for v in hostile["vormen"].values()} == {"geweigerd", "toegestaan"}
    assert all("bouw" in v for v in hostile["vormen"].values())
    table = md.read_text()
    assert "### 24 casussen" in table and "stock Material" in table
    assert "kb zoek: index maken" in table and "eenmalig per bezoek" in table
    assert "Eén vijandige casus" in table
    assert "kb controleer van één netwerkmap" in table
    assert "kb bekijk: opslaan tot scherm, via een tijdelijk bestand" in table
    assert "piekgeheugen build (alle processen samen" in table
    assert "processortijd, alle processen samen" in table and "kortst mogelijke build" in table
    assert "### 24 casussen" in capsys.readouterr().out
    assert not list(ROOT.glob("kb-bench-*"))


def test_bench_refuses_a_corpus_of_one(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "--cases", "1"])
    assert exit_info.value.code == 2


def test_stages_are_named_in_dutch() -> None:
    assert set(bench.STAGES) <= set(bench.STAGE_NL)


def test_without_chromium_kb_bench_says_what_is_missing_and_measures_the_rest(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from kb_tools.bench import attacks

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("KB_CHROMIUM", str(tmp_path / "geen-chromium"))
    for table in (attacks.REFUSED, attacks.ACCEPTED):
        for name in list(table)[1:]:
            monkeypatch.delitem(table, name)
    out = tmp_path / "bench.json"
    assert main(["bench", "--cases", "12", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "Chromium ontbreekt" in captured.err and "apt-get install chromium" in captured.err
    run = json.loads(out.read_text())["metingen"][0]
    assert "apt-get install chromium" in run["website"]["browser_fout"]
    assert run["website"]["zoekvraag_bytes"] is None and run["website"]["zoekindex_bytes"] > 0
    assert run["controle"]["seconden"] > 0 and run["bouw"]["seconden"] > 0 and run["zoek"]
    assert "Niet gemeten in de browser: Chromium ontbreekt" in captured.out


def test_the_tree_peak_is_the_sum_of_a_build_and_its_children(tmp_path: Path) -> None:
    """A parent holding 150 MB while its child holds 200 MB: ru_maxrss sees the larger one,
    the sampler both together."""
    import sys

    from kb_tools.bench.metrics import run_measured

    script = (
        "import subprocess, sys\n"
        "held = bytearray(b'x') * (150 << 20)\n"
        "child = 'import time; held = bytearray(b\"y\") * (200 << 20); time.sleep(1.5)'\n"
        "subprocess.run([sys.executable, '-c', child], check=True)\n"
    )
    measured = run_measured([sys.executable, "-c", script], cwd=tmp_path, tree=True)
    assert 200 <= measured["peak_mb"] < 300, measured
    assert measured["tree_peak_mb"] >= 350 > measured["peak_mb"], measured
    assert measured["tree_pss_peak_mb"] is None or measured["tree_pss_peak_mb"] >= 340
    assert "tree_peak_mb" not in run_measured([sys.executable, "-c", "pass"], cwd=tmp_path)


@pytest.fixture(scope="module")
def tiny_project(tmp_path_factory) -> Path:
    """30 generated cases with our theme and mkdocs.yml, as kb meten makes them."""
    from kb_tools.bench.measure import our_project

    project = tmp_path_factory.mktemp("bekijk")
    generate(project / "content", 30, source=CONTENT)
    return our_project(project / "content", project, ROOT)


def _no_server_left(before: set[int]) -> None:
    import os

    from kb_tools.bench.proctree import descendants

    assert set(descendants(os.getpid())) <= before, "kb bekijk or its engine outlived kb meten"


def test_save_to_screen_sees_the_new_title_and_theme_in_chromium(tiny_project: Path) -> None:
    import os

    from kb_tools.bench import savetime
    from kb_tools.bench.proctree import descendants

    before = set(descendants(os.getpid()))
    cases = sorted((tiny_project / "content" / "casussen").rglob("*.md"))
    texts = [p.read_bytes() for p in cases]
    said: list[str] = []
    result = savetime.measure_saves(tiny_project, said.append, saves=1)
    assert result["failures"] == [], result
    assert result["start_seconds"] > 0
    for mode in savetime.MODES:
        (one,) = result[mode]["saves"]
        assert one["seconds"] is not None and one["seconds"] > 0, result
        assert result[mode]["median"] == result[mode]["max"] == one["seconds"]
    assert [p.read_bytes() for p in cases] == texts, "every case is written back"
    assert any("via een tijdelijk bestand" in m for m in said)
    _no_server_left(before)


def test_a_save_the_page_never_shows_is_a_failure_in_dutch(tiny_project: Path, monkeypatch) -> None:
    """Nothing is written (the save is replaced): after the timeout each save is reported
    as failed, not measured, and kb bekijk is stopped."""
    import os
    import time

    from kb_tools.bench import savetime
    from kb_tools.bench.proctree import descendants

    before = set(descendants(os.getpid()))
    monkeypatch.setattr(savetime, "SAVE_TIMEOUT", 3.0)
    monkeypatch.setattr(savetime, "save", lambda path, text, mode: time.time())
    result = savetime.measure_saves(tiny_project, lambda message: None, saves=1)
    assert len(result["failures"]) == len(savetime.MODES), result
    assert all("na 3 s toonde de pagina de wijziging nog niet" in f for f in result["failures"])
    assert all(result[m]["median"] is None for m in savetime.MODES)
    assert all(s["seconds"] is None for m in savetime.MODES for s in result[m]["saves"])
    _no_server_left(before)


def test_save_to_screen_and_tree_memory_are_in_the_table() -> None:
    run = {
        "cases": 10,
        "check": {"seconds": 1.0},
        "build": {
            "seconds": 4.0,
            "peak_mb": 100.0,
            "tree_peak_mb": 180.0,
            "tree_pss_peak_mb": 150.0,
            "stages": dict.fromkeys(bench.STAGES, 0.5),
        },
        "site": {
            "case_page_bytes": {"median": 2000, "max": 3000},
            "total_bytes": 10_000,
            "search_index_bytes": 100,
            "query_bytes": None,
            "first_result_ms": None,
        },
        "zoek": {"index_build": {"seconds": 1.0}, "query_ms_max": 3.0},
        "stock": {
            "build": {"seconds": 2.0, "peak_mb": 90.0, "tree_peak_mb": 90.0},
            "site": {
                "case_page_bytes": {"median": 1000, "max": 1500},
                "total_bytes": 5000,
                "search_index_bytes": 50,
                "search_index_gzip_bytes": 20,
                "query_bytes": 20,
            },
        },
        "ratio": {
            "build_seconds": 2.0,
            "peak_mb": 1.11,
            "tree_peak_mb": 2.0,
            "case_page_median": 2.0,
            "total_bytes": 2.0,
        },
        "save_to_screen": {
            "start_seconds": 3.0,
            "failures": [
                "casus-00002 (ander thema): na 120 s toonde de pagina de wijziging nog niet."
            ],
            "rename": {"median": 1.25, "max": 1.5, "saves": [{"case": "c", "seconds": 1.25}]},
            "in_place": {"median": 1.0, "max": 1.0, "saves": [{"case": "d", "seconds": 1.0}]},
            "facet": {"median": None, "max": None, "saves": [{"case": "e", "seconds": None}]},
        },
    }
    large = {**run, "cases": 20, "save_to_screen": {**run["save_to_screen"]}}
    large["build"] = {**run["build"], "tree_peak_mb": 360.0}
    large["save_to_screen"]["rename"] = {"median": 2.5, "max": 3.0, "saves": []}
    report = {"machine": bench.machine(), "runs": [run, large]}
    report["growth"] = bench.growth(report["runs"])
    assert report["growth"]["tree_peak_mb"] == 2.0 and report["growth"]["save_to_screen"] == 2.0
    assert set(report["growth"]["stages"]) == set(bench.STAGES) and "render" in bench.STAGES
    text = bench.table(report)
    assert "| 10 | 4.00 s | 2.00 s | 2.0× | 180 MB | 1.25 s / 1.50 s |" in text
    assert "alle processen samen, RSS / PSS) | 180 MB / 150 MB | 90 MB / n.v.t. | 2.0× |" in text
    assert "opslaan tot scherm, ter plekke geschreven (mediaan / max) | 1.00 s / 1.00 s" in text
    assert "ander thema (mediaan / max, 1 keer mislukt) | n.v.t. / n.v.t." in text
    assert "opslaan tot scherm mislukt: casus-00002 (ander thema): na 120 s" in text
    assert "| kb bekijk: opslaan tot scherm (mediaan) | 2.0× |" in text
