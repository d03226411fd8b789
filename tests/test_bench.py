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
        assert run["bouw"]["stappen"]["zoekindex"] is not None
        assert set(run["bouw"]["achtergrond"]) == {"samen", "zoekdocumenten", "pagefind"}
        assert run["zoek"]["index_maken"]["seconden"] > 0
        assert set(run["zoek"]["zoekvraag_ms"]) == set(QUERIES)
        assert run["stock"]["website"]["zoekindex_bytes"] > 0
        assert run["verhouding"]["bouw_seconden"] > 0
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
