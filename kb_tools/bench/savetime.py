"""Save-to-screen time of ``kb bekijk`` for ``kb meten``: the live preview runs on the
generated project, a case page is open in headless Chromium, and the case's Markdown file is
saved with a new title (or theme); measured is the time from the save to the moment the page
in the browser shows it. Nothing here knows how kb bekijk rebuilds: only the file and the
page's DOM are looked at."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kb_tools.bench.metrics import child_env
from kb_tools.bench.proctree import process_groups
from kb_tools.bench.searchcost import browser_missing, launch_chromium

#: Saves per way of saving, each of another case.
SAVES = 3
SAVE_TIMEOUT = 120.0  # seconds from a save until the page must show it
START_TIMEOUT = 900.0  # seconds for kb bekijk's first build (10,000 cases: minutes)
QUIET = 1.5  # seconds without a further reload before the next save
#: Ways of saving: an editor that writes a temp file and renames it over the case, one that
#: writes the case in place (truncate and write), and a save that changes a facet (theme).
MODES = ("rename", "in_place", "facet")
MODE_NL = {
    "rename": "via een tijdelijk bestand",
    "in_place": "ter plekke geschreven",
    "facet": "ander thema",
}

#: In every document of the page (a reload is a new document): record the wall time (ms,
#: Date.now, the clock of time.time) at which the expected change is in the DOM. Checked on
#: every DOM change and every 10 ms; sessionStorage keeps the expectation across reloads.
_WATCH = """
(() => {
  const want = JSON.parse(sessionStorage.getItem("kbExpect") || "null");
  if (!want) return;
  const shows = () => {
    if (want.title) {
      const h1 = document.querySelector("h1");
      return !!h1 && h1.textContent.includes(want.title);
    }
    return [...document.querySelectorAll("#kb-facts a")].some((a) => a.href.endsWith(want.link));
  };
  const check = () => {
    if (sessionStorage.getItem("kbSeen")) return true;
    if (!shows()) return false;
    sessionStorage.setItem("kbSeen", String(Date.now()));
    return true;
  };
  window.__kbQuiet = true;  // gone with this document when the page reloads
  if (check()) return;
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { subtree: true, childList: true, characterData: true });
  const timer = setInterval(() => { if (check()) clearInterval(timer); }, 10);
})();
"""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop kb bekijk and everything it started: SIGTERM to its process group (kb then stops
    the engine's own session), and after 15 s, or for what is left, SIGKILL to every group."""
    groups = process_groups(process.pid) | {process.pid}
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    for group in groups:
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            continue
    process.wait()


@contextmanager
def live_preview(project: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``kb bekijk --poort port`` in ``project`` (its own process group, output in ``log``),
    stopped with all its descendants when the block ends, also on an error."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kb_tools.cli", "bekijk", "--poort", str(port)],
            cwd=project,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


class SaveError(Exception):
    """A measurement that failed; the message is Dutch, for the report."""


def _tail(log: Path) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return " | ".join(lines[-5:])


def wait_serving(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Until ``url`` answers 200, the server stopped, or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SaveError(f"kb bekijk stopte voordat de website klaarstond ({_tail(log)}).")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise SaveError(f"kb bekijk stond na {timeout:.0f} s nog niet klaar ({_tail(log)}).")


def save(path: Path, text: str, mode: str) -> float:
    """Write ``text`` to ``path`` as an editor does; the wall time (time.time) just after."""
    if mode == "in_place":
        with path.open("w", encoding="utf-8") as out:
            out.write(text)
    else:  # a temp file beside it, renamed over the case (vim, gedit, VS Code's safe save)
        temp = path.with_name(f".{path.name}.kb-meten~")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    return time.time()


def _changed(text: str, mode: str, n: int, themes: list[str]) -> tuple[str, dict[str, str]]:
    """The case's text after the save, and what the page must show then."""
    if mode == "facet":
        current = re.search(r"^thema: \[(.*)\]$", text, re.M)
        have = {t.strip() for t in current.group(1).split(",")} if current else set()
        new = next(t for t in themes if t not in have)
        return re.sub(r"^thema: .*$", f"thema: [{new}]", text, count=1, flags=re.M), {
            "link": f"/thema/{new}/"
        }
    title = f"Meting {n} van kb meten: de nieuwe titel"
    return re.sub(r"^titel: .*$", f'titel: "{title}"', text, count=1, flags=re.M), {"title": title}


def _seen(page: Any, written: float, process: subprocess.Popen[bytes]) -> float:
    """Seconds from ``written`` until the page showed the change (its own clock)."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + SAVE_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SaveError("kb bekijk stopte na het bewaren.")
        try:
            seen = page.evaluate("() => sessionStorage.getItem('kbSeen')")
        except PlaywrightError:  # the page is reloading
            seen = None
        if seen:
            return round(max(0.0, int(seen) / 1000 - written), 3)
        time.sleep(0.05)
    raise SaveError(f"na {SAVE_TIMEOUT:.0f} s toonde de pagina de wijziging nog niet.")


def _settle(page: Any) -> None:
    """Until the page has not reloaded for QUIET seconds (a save may cause two rebuilds),
    at most SAVE_TIMEOUT."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + SAVE_TIMEOUT
    while time.monotonic() < deadline:
        try:
            page.evaluate("() => { window.__kbStill = true; }")
            time.sleep(QUIET)
            if page.evaluate("() => window.__kbStill === true"):
                return
        except PlaywrightError:
            time.sleep(0.2)


def measure_saves(
    project: Path, say: Callable[[str], None], saves: int | None = None
) -> dict[str, Any]:
    """Per way of saving (MODES), ``saves`` cases of ``project/content`` (spread over the
    corpus): seconds from the save to the page showing it, their median and max. Every case
    is written back as it was, after kb bekijk has stopped."""
    missing = browser_missing()
    if missing:
        return {"browser_fout": missing}
    saves = saves or SAVES
    import yaml
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    content = project / "content"
    cases = sorted((content / "casussen").rglob("*.md"))
    picked = [cases[(i * len(cases)) // (saves * len(MODES))] for i in range(saves * len(MODES))]
    vocabulary = yaml.safe_load((content / "vocabulaires" / "thema.yml").read_text("utf-8"))
    themes = [t["id"] for t in vocabulary["termen"]]
    originals = {path: path.read_text(encoding="utf-8") for path in picked}
    result: dict[str, Any] = {"start_seconds": None, "failures": []}
    for mode in MODES:
        result[mode] = {"median": None, "max": None, "saves": []}
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    try:
        with tempfile.TemporaryDirectory(prefix="kb-meten-bekijk-") as tmp:
            log = Path(tmp) / "bekijk.log"
            with live_preview(project, port, log) as process, sync_playwright() as p:
                started = time.perf_counter()
                first = picked[0].relative_to(content).with_suffix("")
                wait_serving(f"{base}{first.as_posix()}/", process, log, START_TIMEOUT)
                result["start_seconds"] = round(time.perf_counter() - started, 2)
                browser = launch_chromium(p)
                try:
                    for n, path in enumerate(picked):
                        mode = MODES[n // saves]
                        say(f"Opslaan tot scherm, {MODE_NL[mode]}: {n % saves + 1} van {saves}…")
                        entry = {"case": path.stem, "seconds": None}
                        result[mode]["saves"].append(entry)
                        try:
                            entry["seconds"] = _one_save(
                                browser, base, content, path, mode, n, themes, process
                            )
                        except SaveError as error:
                            result["failures"].append(f"{path.stem} ({MODE_NL[mode]}): {error}")
                        except PlaywrightError as error:
                            first_line = (str(error).strip().splitlines() or [""])[0]
                            result["failures"].append(
                                f"{path.stem} ({MODE_NL[mode]}): "
                                f"Chromium werkte niet ({first_line})."
                            )
                finally:
                    browser.close()
    except SaveError as error:
        result["failures"].append(str(error))
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    for mode in MODES:
        times = [s["seconds"] for s in result[mode]["saves"] if s["seconds"] is not None]
        if times:
            result[mode]["median"] = round(statistics.median(times), 3)
            result[mode]["max"] = max(times)
    return result


def _one_save(
    browser: Any,
    base: str,
    content: Path,
    path: Path,
    mode: str,
    n: int,
    themes: list[str],
    process: subprocess.Popen[bytes],
) -> float:
    """One save of ``path`` with the case page open: seconds until the page shows it."""
    text, expect = _changed(path.read_text(encoding="utf-8"), mode, n, themes)
    context = browser.new_context()
    try:
        context.add_init_script(_WATCH)
        page = context.new_page()
        page.set_default_timeout(SAVE_TIMEOUT * 1000)
        page.goto(f"{base}{path.relative_to(content).with_suffix('').as_posix()}/")
        _settle(page)
        page.evaluate(
            "(want) => { sessionStorage.setItem('kbExpect', want); "
            "sessionStorage.removeItem('kbSeen'); }",
            json.dumps(expect),
        )
        page.evaluate(_WATCH)  # in this document too: kb bekijk may change it in place
        written = save(path, text, mode)
        seconds = _seen(page, written, process)
        _settle(page)  # the next save starts on a quiet server
        return seconds
    finally:
        context.close()
