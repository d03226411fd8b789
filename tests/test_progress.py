"""Progress of long commands (kb_tools.progress): redrawn in place on a terminal, plain
lines in CI and in a pipe, always on stderr; and the plugin's report lines to kb.
"""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from kb_tools import progress
from kb_tools.bench.synthetic import generate
from kb_tools.cli import engine, main

from .conftest import ROOT


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests say themselves whether they run 'in CI'; the CI that runs them (CI=true,
    maybe TERM=dumb) must not decide for them."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_numbers_and_durations_are_written_the_dutch_way() -> None:
    assert progress.number(10000) == "10.000" and progress.number(12) == "12"
    assert progress.seconds(2.34) == "2,3 s"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, True),
        ({"CI": "true"}, False),
        ({"CI": "1"}, False),
        ({"CI": "false"}, True),
        ({"TERM": "dumb"}, False),
        ({"NO_COLOR": "1"}, True),  # no colours are used: NO_COLOR changes nothing
    ],
)
def test_only_a_terminal_outside_ci_is_redrawn(environ: dict[str, str], expected: bool) -> None:
    assert progress.redraws(Terminal(), environ) is expected
    assert progress.redraws(io.StringIO(), environ) is False


def test_plain_lines_one_per_stage() -> None:
    out = io.StringIO()
    shown = progress.Progress(out, redraw=False)
    shown.stage("Inhoud lezen en controleren")
    shown.stage("Pagina's maken", 2051)
    for done in range(25, 2051, 25):
        shown.advance(done)  # within LINE_EVERY: no line per count
    shown.message("casussen/a.md:3: fout [x] Iets.\n    Tip: Doe iets.")
    shown.close()
    assert out.getvalue() == (
        "Inhoud lezen en controleren\nPagina's maken (2.051)\n"
        "casussen/a.md:3: fout [x] Iets.\n    Tip: Doe iets.\n"
    )


def test_a_long_stage_repeats_its_count_in_plain_lines(monkeypatch) -> None:
    clock = iter([0.0, 3.0, progress.LINE_EVERY + 1])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    out = io.StringIO()
    shown = progress.Progress(out, redraw=False)
    shown.stage("Pagina's maken", 2051)
    shown.advance(100)
    shown.advance(1000)
    assert out.getvalue() == "Pagina's maken (2.051)\n  1.000 van 2.051\n"


def test_a_terminal_gets_one_line_redrawn_per_stage() -> None:
    out = Terminal()
    shown = progress.Progress(out)
    shown.stage("Pagina's maken", 100)
    shown.advance(50)
    shown.message("Een melding.")
    shown.stage("Zoekindex afmaken")
    shown.close()
    text = out.getvalue()
    assert "\rPagina's maken [##########..........] 50 van 100\x1b[K" in text
    # A message never lands in the middle of a redrawn line.
    assert "\x1b[K\nEen melding.\n" in text
    assert text.endswith("\rZoekindex afmaken\x1b[K\n")


def test_a_finished_stage_is_drawn_full_when_the_next_begins() -> None:
    out = Terminal()
    shown = progress.Progress(out)
    shown.stage("Pagina's lezen", 190)
    shown.advance(175)
    shown.stage("Pagina's maken", 190)
    assert "[####################] 190 van 190\x1b[K\n" in out.getvalue()


def test_reports_round_trip_and_other_lines_are_the_engines() -> None:
    line = progress.event(stage="Pagina's maken", total=3)
    assert progress.parse(line) == {"stage": "Pagina's maken", "total": 3}
    for other in ("ERROR    -  Iets", "", progress.MARK + "{kapot", progress.MARK + "[1]"):
        assert progress.parse(other) is None


def test_reports_off_use_the_log_for_findings_and_say_nothing_else(capsys, caplog) -> None:
    import logging

    reports = progress.Reports(False, logging.getLogger("test.kb"))
    reports.stage("Pagina's maken", 3)
    reports.advance(1)
    reports.error("a.md:1: fout [x] Iets.")
    assert reports.failed("Niet gebouwd.") == "Niet gebouwd."
    assert capsys.readouterr().err == ""
    assert [r.getMessage() for r in caplog.records] == ["a.md:1: fout [x] Iets."]
    on = progress.Reports(True, logging.getLogger("test.kb"))
    on.stage("Pagina's maken", 3)
    on.error("a.md:1: fout [x] Iets.")
    on.failed("Niet gebouwd.")
    lines = capsys.readouterr().err.splitlines()
    assert [progress.parse(line) for line in lines] == [
        {"stage": "Pagina's maken", "total": 3},
        {"message": "a.md:1: fout [x] Iets."},
        {"error": "Niet gebouwd."},
    ]


def test_a_counter_is_quiet_for_few_files_and_closes_its_line() -> None:
    out = Terminal()
    few = progress.counter("Bestanden controleren", 10, out)
    few(5, 9)
    assert out.getvalue() == ""
    many = progress.counter("Bestanden controleren", 10, out)
    many(5, 10)
    many(10, 10)
    assert out.getvalue().endswith("] 10 van 10\x1b[K\n")


def test_kb_check_json_keeps_progress_off_stdout(monkeypatch, capsys, tmp_path: Path) -> None:
    content = tmp_path / "content"
    generate(content, 260, source=ROOT / "content")  # check_content counts per 250 files
    monkeypatch.setattr(progress, "MANY_FILES", 1)
    code = main(["controleer", "--json", "--content", str(content)])
    out, err = capsys.readouterr()
    assert code == 0
    json.loads(out)  # stdout is only the JSON
    assert err.startswith("Bestanden controleren (")


def test_kb_build_on_a_terminal_redraws_its_counts(tmp_path: Path) -> None:
    """A real build with stdout and stderr on a pseudo-terminal, as in a terminal window."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "KB_NETWERK", "KB_ENGINE")}
    env.update(TMPDIR=str(tmp_path), TERM="xterm")
    leader, follower = pty.openpty()
    kb = subprocess.Popen(
        [sys.executable, "-m", "kb_tools.cli", "bouw", "--site", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when kb ends (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert kb.wait(timeout=120) == 0
    text = b"".join(chunks).decode("utf-8")
    assert "\rPagina's maken [" in text and "\x1b[K" in text
    assert "] 25 van " in text  # a count redrawn on the same line
    assert "Klaar: de website (34 casussen" in text
    assert engine.END_OF_LIFE in text.replace("\r\n", "\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("redraw", [False, True])
def test_messages_and_labels_cannot_drive_the_terminal(redraw: bool) -> None:
    # A message or stage label (an engine line in kb bekijk, a finding) is text from
    # content: it must not clear the screen, retitle the window or overwrite a line.
    out = io.StringIO()
    shown = progress.Progress(out, redraw=redraw)
    shown.stage("Pagina's \x1b]0;titel\x07maken", 2)
    shown.message("Doc file 'a.md' links to '\x1b[2J\rkb-rapport: {}'\nTip: regel twee")
    shown.close()
    text = out.getvalue().replace("\x1b[K", "")
    assert "\x1b" not in text and "\x07" not in text, repr(text)
    assert "\r" not in text.replace("\r" + "Pagina", ""), repr(text)
    assert "\nTip: regel twee" in text
