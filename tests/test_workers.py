"""Pages rendered on every core (kb_tools/mkdocs_plugin/workers.py): the same bytes as one
process, a worker's warnings and errors reach the build, and a worker that dies stops it."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config

from kb_tools.mkdocs_plugin import KbPlugin, workers
from kb_tools.progress import MARK
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="no safe fork on this platform")


def build(site: Path, **env: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    full = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(args, cwd=ROOT, env=full, capture_output=True, text=True, check=False)


def files(root: Path) -> dict[str, bytes]:
    """Every file of a site, except those two builds may write differently anyway: the
    sitemap's dates and Pagefind's filter files (tests/test_site.py)."""
    out = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if (
            path.is_file()
            and not rel.startswith("sitemap.xml")
            and not rel.startswith(("pagefind/filter/", "pagefind/pagefind"))
        ):
            out[rel] = path.read_bytes()
    return out


def test_three_workers_write_the_same_site_as_one_process(tmp_path: Path) -> None:
    one, three = tmp_path / "one", tmp_path / "three"
    for site, count in ((one, "1"), (three, "3")):
        result = build(site, KB_WERKERS=count)
        assert result.returncode == 0, result.stderr
        assert "Page skipped" not in result.stderr
    first, other = files(one), files(three)
    assert len([k for k in first if k.endswith(".html")]) > 200
    assert first.keys() == other.keys()
    assert [k for k in first if first[k] != other[k]] == []


def test_the_number_of_workers_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_WERKERS", "4")
    assert load_config(str(ROOT / "mkdocs.yml")).plugins["kb"].config.workers == 4
    for wrong in (0, 65, "veel", True, 2.5):
        errors, _ = KbPlugin().load_config({"workers": wrong})
        assert [key for key, _ in errors] == ["workers"], wrong
        assert "heel getal van 1 tot en met 64" in str(errors[0][1])


def test_pages_are_dealt_round_robin() -> None:
    pages = [f"p{i}" for i in range(7)]
    assert workers.shares(pages, 3) == [["p0", "p3", "p6"], ["p1", "p4"], ["p2", "p5"]]
    assert workers.shares(pages[:1], 3) == [["p0"]]
    assert sorted(sum(workers.shares(pages, 2), [])) == sorted(pages)


def test_each_worker_renders_its_share_and_reports_it(tmp_path: Path) -> None:
    def render(item: str) -> None:
        (tmp_path / item).write_text(str(os.getpid()), encoding="utf-8")

    items = [f"pagina-{i}" for i in range(60)]
    pool = workers.Pool.start(workers.shares(items, 3), render, lambda: None, step=5)
    seen: list[int] = []
    assert pool.wait(seen.append) == 60
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(items)
    pids = {p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert len(pids) == 3 and str(os.getpid()) not in pids
    assert seen and seen[-1] == 60


def test_a_workers_log_records_are_the_parents(caplog: pytest.LogCaptureFixture) -> None:
    """A warning while a worker renders (a broken link, say) counts in strict mode: the
    engine's counter only sees records of the parent's loggers."""

    def render(item: str) -> None:
        logging.getLogger("mkdocs.structure.pages").warning("Link naar %s klopt niet", item)

    with caplog.at_level(logging.INFO, logger="mkdocs"):
        pool = workers.Pool.start([["a"], ["b"]], render, lambda: None)
        pool.wait()
    warned = sorted(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert warned == ["Link naar a klopt niet", "Link naar b klopt niet"]
    assert {r.name for r in caplog.records} == {"mkdocs.structure.pages"}


def test_an_error_in_a_worker_names_the_page() -> None:
    def render(item: str) -> None:
        if item == "casussen/kapot/index.md":
            raise ValueError("sjabloon stuk")

    pool = workers.Pool.start([["goed.md"], ["casussen/kapot/index.md"]], render, lambda: None)
    with pytest.raises(workers.WorkerError, match="casussen/kapot/index.md.*sjabloon stuk"):
        pool.wait()


def test_a_worker_that_dies_stops_the_build_in_dutch() -> None:
    def render(item: str) -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does when memory runs out

    pool = workers.Pool.start([["a"]], render, lambda: None)
    with pytest.raises(workers.WorkerError, match="stopte onverwacht door signaal 9.*geheugen"):
        pool.wait()


def test_cancel_stops_every_worker() -> None:
    import time

    pool = workers.Pool.start([["a"], ["b"]], lambda item: time.sleep(60), lambda: None)
    pids = [w.pid for w in pool.workers]
    started = time.monotonic()
    pool.cancel()
    assert time.monotonic() - started < 10
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_the_worker_setup_runs_only_in_the_worker(tmp_path: Path) -> None:
    marks: list[str] = []

    def render(item: str) -> None:
        (tmp_path / item).write_text(",".join(marks), encoding="utf-8")

    pool = workers.Pool.start([["x"]], render, lambda: marks.append("werker"))
    pool.wait()
    assert (tmp_path / "x").read_text(encoding="utf-8") == "werker" and marks == []


def test_progress_counts_the_workers_pages_once(tmp_path: Path) -> None:
    """Under kb bouw the parent alone reports: whole report lines, a count that grows and
    never passes the number of pages (a worker's own lines once mixed into them)."""
    result = build(tmp_path / "site", KB_WERKERS="3", KB_PROGRESS="1")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    reports = []
    for line in lines:
        if line.startswith(MARK):
            reports.append(json.loads(line.removeprefix(MARK)))
        else:
            assert "kb-rapport" not in line, line
    stages = [i for i, r in enumerate(reports) if r.get("stage") == "Pagina's maken"]
    assert len(stages) == 1
    total = reports[stages[0]]["total"]
    counts = [r["done"] for r in reports[stages[0] + 1 :] if "done" in r]
    assert counts and counts == sorted(counts) and counts[-1] <= total
    assert reports[-1]["finished"]["pages"] == total
