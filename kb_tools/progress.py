"""Progress of long commands, always on stderr (stdout stays for results and ``--json``):
counted steps redrawn in place on a terminal, one plain line per stage elsewhere (CI, a
pipe, a log file). Also the line format in which the MkDocs plugin, which runs in the
engine's child process, reports stages and messages to ``kb bouw`` and ``kb bekijk``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

#: Starts each line the plugin writes for kb on the engine's stderr: nothing else the
#: engine prints starts like this.
MARK = "kb-rapport: "
#: Plain lines repeat a running count at most this often (seconds): a log stays short,
#: and a stage of minutes still shows that it moves.
LINE_EVERY = 10.0
#: From this many files a stage takes a few seconds (kb controleer: 2,000 files in about 3 s):
#: fewer, and a command stays quiet.
MANY_FILES = 2000


def number(value: int) -> str:
    """A count the Dutch way: 10.000, not 10,000."""
    return f"{value:,}".replace(",", ".")


def seconds(value: float) -> str:
    """A duration the Dutch way: '2,3 s'."""
    return f"{value:.1f} s".replace(".", ",")


def redraws(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether progress may redraw a line in place: only on a real terminal, not in CI
    (CI logs keep every carriage return) and not on TERM=dumb."""
    environ = os.environ if environ is None else environ
    if environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if environ.get("TERM", "") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        return False


class Progress:
    """Stages with an optional count. On a terminal the current stage's line is redrawn as
    the count grows; otherwise each stage is one line, and a long stage repeats its count
    every LINE_EVERY seconds. No colours, so NO_COLOR holds as it is."""

    def __init__(self, stream: TextIO | None = None, redraw: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.redraw = redraws(self.stream) if redraw is None else redraw
        self.label = ""
        self.total: int | None = None
        self.done = 0
        self.open = False  # a redrawn line without its newline yet
        self.last_line = 0.0

    def stage(self, label: str, total: int | None = None) -> None:
        """Start a stage: 'Pagina's maken' with 2.051 steps to go (or no count)."""
        if self.open and self.total:
            self.done = self.total  # the next stage starts: this one is done
            self._draw()
        self._finish_line()
        self.label, self.total, self.done = plain(label), total, 0
        if self.redraw:
            self._draw()
        else:
            self._write(f"{self.label} ({number(total)})" if total else self.label)
            self.last_line = time.monotonic()

    def advance(self, done: int) -> None:
        """The stage has done ``done`` of its steps."""
        self.done = done
        if self.redraw:
            self._draw()
        elif (now := time.monotonic()) - self.last_line >= LINE_EVERY:
            self._write(f"  {self._count()}")
            self.last_line = now

    def message(self, text: str) -> None:
        """A message of its own (a finding, a warning): never overwritten by the progress."""
        self._finish_line()
        self._write(plain(text))

    def close(self) -> None:
        self._finish_line()

    def _count(self) -> str:
        if self.total:
            return f"{number(self.done)} van {number(self.total)}"
        return number(self.done)

    def _draw(self) -> None:
        text = self.label
        if self.total:
            width = 20
            filled = min(width, width * self.done // self.total)
            text += f" [{'#' * filled}{'.' * (width - filled)}] {self._count()}"
        elif self.done:
            text += f": {self._count()}"
        # \r back to the start, then erase the rest of the old line.
        self.stream.write(f"\r{text}\x1b[K")
        self.stream.flush()
        self.open = True

    def _finish_line(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False

    def _write(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


def plain(text: str) -> str:
    """``text`` with its line breaks and tabs, but every other control character (a
    terminal's escape sequences, a carriage return) written as an escape."""
    return "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in text)


def counter(
    label: str, minimum: int | None = None, stream: TextIO | None = None
) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback for a stage over many files, such as the one
    ``check_content`` takes; silent below ``minimum`` files (default MANY_FILES)."""
    shown: list[Progress] = []

    def report(done: int, total: int) -> None:
        if total < (MANY_FILES if minimum is None else minimum):
            return
        if not shown:
            shown.append(Progress(stream))
            shown[0].stage(label, total)
        shown[0].advance(done)
        if done >= total:
            shown[0].close()

    return report


# -- the plugin's reports to kb (one JSON object per line, after MARK) --------------------


def event(**fields: Any) -> str:
    """One report line: stage=label (total=n), done=n, message=text, error=text, or
    finished={...}."""
    return MARK + json.dumps(fields, ensure_ascii=False)


def parse(line: str) -> dict[str, Any] | None:
    """The report on ``line``, or None for any other line (the engine's own output)."""
    if not line.startswith(MARK):
        return None
    try:
        found = json.loads(line[len(MARK) :])
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def show(report: Mapping[str, Any], progress: Progress) -> None:
    """Show a stage, count or message report on ``progress`` (kb bouw, kb bekijk)."""
    if "stage" in report:
        total = report.get("total")
        progress.stage(str(report["stage"]), total if isinstance(total, int) else None)
    elif isinstance(report.get("done"), int):
        progress.advance(report["done"])
    elif "message" in report:
        progress.message(str(report["message"]))
    elif "error" in report:
        progress.message(str(report["error"]))


class Reports:
    """What the plugin tells people. Under ``kb bouw``/``kb bekijk`` (``on``): report lines
    for kb, which shows them in its own form. Under plain ``mkdocs build``: no progress,
    and findings through the engine's log, so that the build still fails readably."""

    def __init__(self, on: bool, log: logging.Logger) -> None:
        self.on = on
        self.log = log

    def _send(self, **fields: Any) -> None:
        if self.on:
            print(event(**fields), file=sys.stderr, flush=True)

    def stage(self, label: str, total: int | None = None) -> None:
        self._send(stage=label, total=total)

    def advance(self, done: int) -> None:
        self._send(done=done)

    def finished(self, **counts: int) -> None:
        self._send(finished=counts)

    def warning(self, text: str) -> None:
        # Never the log: with strict: true MkDocs fails a build on a warning in its log.
        if self.on:
            self._send(message=text)
        else:
            print(text, file=sys.stderr)

    def error(self, text: str) -> None:
        """A finding that stops the build."""
        if self.on:
            self._send(message=text)
        else:
            self.log.error(text)

    def failed(self, text: str) -> str:
        """Why the build stops; returns ``text`` for the PluginError that stops it."""
        self._send(error=text)
        return text
