"""The site engine behind ``kb bouw`` and ``kb bekijk``: ProperDocs when it is installed
(the maintained continuation of MkDocs 1.6), else MkDocs; ``KB_ENGINE`` overrides.

The engine always runs as its own process, so the CLI never depends on its internals. It
runs in its own session with its own temp folder: kb stops all of it on Ctrl-C and leaves
nothing behind. The plugin's reports (kb_tools.progress) are shown as they come; the
engine's own lines only when the build fails without saying why.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from kb_tools import progress

ENV_VAR = "KB_ENGINE"
# In order of preference: the module name, which is also the value of KB_ENGINE.
ENGINES = ("properdocs", "mkdocs")
NAMES = {"properdocs": "ProperDocs", "mkdocs": "MkDocs"}


class EngineError(Exception):
    """No usable engine; the message (Dutch) says how to fix it."""


def installed(module: str) -> bool:
    """Whether ``module`` can be imported here, without importing it."""
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or half-removed install
        return False


def select_engine(environ: Mapping[str, str] | None = None) -> str:
    """The engine to run: KB_ENGINE if set, else the first of ENGINES that is installed."""
    environ = os.environ if environ is None else environ
    wanted = environ.get(ENV_VAR, "").strip().lower()
    pip = f"{sys.executable} -m pip install"
    if wanted:
        if wanted not in ENGINES:
            raise EngineError(
                f"{ENV_VAR}={wanted[:40]!r} kent kb niet. Kies {ENV_VAR}=properdocs of "
                f"{ENV_VAR}=mkdocs, of haal {ENV_VAR} weg: dan kiest kb zelf."
            )
        if not installed(wanted):
            raise EngineError(
                f"{ENV_VAR}={wanted}, maar {NAMES[wanted]} is niet geïnstalleerd. "
                f"Installeer het met '{pip} {wanted}', of haal {ENV_VAR} weg: dan kiest kb zelf."
            )
        return wanted
    for engine in ENGINES:
        if installed(engine):
            return engine
    raise EngineError(
        "ProperDocs en MkDocs zijn allebei niet geïnstalleerd. kb heeft een van de twee "
        f"nodig om de website te bouwen. Installeer ProperDocs met '{pip} properdocs'."
    )


def engine_env(extra_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for the engine: no banners (kb says what matters itself, see
    ``END_OF_LIFE``), the plugin's reports on, KB_NETWERK only when the caller sets it."""
    extra = dict(extra_env or {})
    env = {
        **os.environ,
        # Material's banner is in English and about other tools; kb bouw prints one Dutch
        # line on the theme's end of life instead (END_OF_LIFE).
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        # The plugin reports stages and findings to kb (kb_tools.progress); the engine's
        # own log is quiet.
        "KB_PROGRESS": "1",
        **extra,
    }
    if "KB_NETWERK" not in extra:
        env.pop("KB_NETWERK", None)
    return env


#: The README section (developers) on the theme's end of life and the plan.
END_OF_LIFE_SECTION = "The theme's end of life"
#: What Material's banner says (material/templates/__init__.py: "Material for MkDocs reaches
#: end of life on May 5, 2027"), in one Dutch line.
END_OF_LIFE = (
    "Let op: het thema Material for MkDocs krijgt na 5 mei 2027 geen onderhoud meer. "
    f"Zie README, '{END_OF_LIFE_SECTION}'."
)
_PR_SET_PDEATHSIG = 1  # prctl option, linux/prctl.h
INTERRUPTED = 130  # the exit code of a command stopped by Ctrl-C
#: The engine's own words that kb has already said in its own form, or that say nothing.
_NOISE = ("Aborted with a BuildError!", "Aborted with ")
_LEVEL = re.compile(r"^(?:(?:ERROR|WARNING|INFO|DEBUG)\s+-\s+)?(?:\[\d\d:\d\d:\d\d\]\s+)?")
_SETTING = re.compile(r"^Config value '([^']*)': ")
#: The engine's own lines during kb bekijk that kb says in Dutch (mkdocs/livereload).
_DUTCH = {
    "An error happened during the rebuild.": "De website in uw browser blijft zoals hij was "
    "tot de fouten hierboven zijn opgelost.",
}


@dataclass
class Outcome:
    """How an engine run ended."""

    code: int = 0
    interrupted: bool = False  # stopped by Ctrl-C or SIGTERM
    failed: str | None = None  # the plugin's own reason, already shown
    finished: dict[str, Any] | None = None  # the plugin's counts of the last build
    #: The engine's own output: its last lines (kb bekijk may run for days).
    lines: deque[str] = field(default_factory=lambda: deque(maxlen=1000))

    def engine_says(self) -> list[str]:
        """The engine's lines worth showing: without log levels, and without what kb
        already showed in Dutch (the plugin's reason, MkDocs' 'Aborted' line)."""
        return [text for line in self.lines if (text := self.worth_showing(line))]

    def worth_showing(self, line: str) -> str | None:
        text = _LEVEL.sub("", line, count=1).rstrip()
        if not text.strip() or text.startswith(_NOISE) or text == self.failed:
            return None
        text = _SETTING.sub(r"In het instellingenbestand, bij '\1': ", text, count=1)
        return next((nl for en, nl in _DUTCH.items() if text.startswith(en)), text)


def run_engine(
    engine: str,
    args: Sequence[str],
    extra_env: Mapping[str, str] | None = None,
    shown: progress.Progress | None = None,
    on_report: Callable[[dict[str, Any]], None] | None = None,
    live: bool = False,
) -> Outcome:
    """Run ``engine`` (a name from ENGINES) with ``args`` until it ends or kb is stopped.

    The plugin's reports go to ``shown`` (and ``on_report``) as they arrive; with ``live``
    (kb bekijk, which runs until stopped) so do the engine's own lines worth showing. Ctrl-C or
    SIGTERM stops the engine with everything it started (its own session); its temp folder
    (TMPDIR for the engine: the search index's work folder, MkDocs' serve folder) is removed
    on every exit.
    """
    shown = shown if shown is not None else progress.Progress()
    outcome = Outcome()
    sweep_temp()
    work = tempfile.mkdtemp(prefix=f"kb-{os.getpid()}-")
    env = {**engine_env(extra_env), "TMPDIR": work, "TMP": work, "TEMP": work}
    running: list[subprocess.Popen[str]] = []

    def stop(signum: int, frame: object) -> None:
        outcome.interrupted = True
        if running:
            _signal_group(running[0], signal.SIGTERM)

    handlers = {}
    if threading.current_thread() is threading.main_thread():
        handlers = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if outcome.interrupted:
            return outcome
        process = subprocess.Popen(
            [sys.executable, "-m", engine, *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=hasattr(os, "killpg"),
            preexec_fn=_death_signal(),
        )
        running.append(process)
        if outcome.interrupted:  # stopped while the engine was being started
            _signal_group(process, signal.SIGTERM)
        assert process.stdout is not None
        for line in process.stdout:
            report = progress.parse(line.rstrip("\n"))
            if report is None:
                outcome.lines.append(line.rstrip("\n"))
                if live and (text := outcome.worth_showing(outcome.lines[-1])):
                    shown.message(text)
                continue
            if "error" in report:
                outcome.failed = str(report["error"])
            if isinstance(report.get("finished"), dict):
                outcome.finished = report["finished"]
            progress.show(report, shown)
            if on_report is not None:
                on_report(report)
        outcome.code = process.wait()
    finally:
        if running:
            # Whatever is left of the engine's session: the search index child, Pagefind.
            _signal_group(running[0], signal.SIGKILL)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        shown.close()
        shutil.rmtree(work, ignore_errors=True)
    return outcome


def gone(pid: int) -> bool:
    """Whether no process ``pid`` runs (POSIX); elsewhere kb cannot tell and says no."""
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def sweep_temp() -> None:
    """Remove the temp folders of kb runs that were killed outright (kill -9), which had
    no chance to remove their own (run_engine's ``kb-<pid>-``)."""
    for folder in Path(tempfile.gettempdir()).glob("kb-*-*"):
        pid = folder.name.split("-")[1]
        if folder.is_dir() and pid.isdigit() and gone(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _death_signal() -> Callable[[], None] | None:
    """What the engine's process runs before it starts (Linux): ask for SIGTERM when kb
    ends, even by kill -9, so that no ``serve`` outlives the kb that started it. The C
    library is looked up here, in kb: the child, forked from a process with threads,
    only makes the call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None  # then only Ctrl-C and SIGTERM to kb stop it, as elsewhere

    def ask() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return ask


def _signal_group(process: subprocess.Popen[str], sig: int) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, sig)
        elif process.poll() is None:  # Windows: no process groups to signal
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass  # already gone
