"""Generated pages rendered on every core, byte for byte as one process renders them.

Once MkDocs has read every page and made the menu (``on_env``), the plugin forks workers.
Each reads and renders its share of the generated pages outside the menu (cases, term lists,
network pages, answers) with the engine's own two page functions, exactly as the one-process
build would, and writes them into the site folder. Meanwhile the parent renders the hand-written
and menu pages, the sitemap and the theme's pages; for a page a worker makes, the parent
converts no Markdown (``elsewhere``) and renders an empty template (``ELSEWHERE``), which the
engine does not write.

A worker sends back lines of JSON: its count every ``step`` pages, its log records (so a
worker's warning counts in strict mode and shows as the parent's own), and at the end its total
or its error.

Fork, not spawn: a worker starts with the whole build in memory (configuration, menu, theme
environment, the enriched corpus) at no cost, and ``gc.freeze()`` keeps its garbage collector
from touching, and so copying, what it shares with the parent. Where there is no safe fork
(Windows, macOS), the parent renders every page itself.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import select
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

#: The template the parent renders for a page that a worker makes: empty, so not written.
ELSEWHERE = "kb-elders-gemaakt.html"
#: How the engine says it did not write a page with empty output (logged at INFO).
SKIPPED = "Page skipped: '{}'. Generated empty output."


class WorkerError(Exception):
    """A worker failed or stopped; the message is Dutch and names the page when it can."""


def can_fork() -> bool:
    """Is forking the build safe here? Linux and the BSDs; not macOS, where system libraries
    may not survive a fork, nor Windows, which has none."""
    return hasattr(os, "fork") and sys.platform != "darwin"


def shares(items: Sequence[str], workers: int) -> list[list[str]]:
    """``items`` dealt round-robin over ``workers``: neighbours in the list (pages of one
    network or term, alike in size) end up on different workers."""
    return [list(items[i::workers]) for i in range(workers) if items[i::workers]]


@contextmanager
def lasting(pause: bool = True) -> Iterator[None]:
    """Around the pipeline's stages in the parent (load, enrich, similar lists, page specs):
    what they make lives for the whole build. With ``pause`` the garbage collector does not
    scan it while it is made (at 10,000 cases that took 2-3 s of the parent's time); after,
    ``gc.freeze()`` keeps the collector, in the parent and in forked workers, from touching
    it. kb bekijk does not pause: its session frees what earlier builds left
    (``serving.Live.check``)."""
    paused = pause and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def elsewhere(page: Any) -> None:
    """In the parent, for a page a worker makes: the engine's Markdown step does nothing.
    It sets what the engine's ``Page.render`` sets for an empty page, without making a
    Markdown parser (at 10,000 cases that was 2 s before the workers could start). The
    worker takes the step back (``render_pages``)."""
    from mkdocs.structure.toc import get_toc

    def render(config: Any, files: Any) -> None:
        page.content, page.toc, page._title_from_render = "", get_toc([]), None
        page.present_anchor_ids, page.links_to_anchors = set(), {}

    page.render = render


class QuietSkips(logging.Filter):
    """For the engine's build logger: drops its "Page skipped" line for the pages that
    workers write (``farmed``, a set the plugin keeps up to date)."""

    def __init__(self, farmed: set[str]) -> None:
        super().__init__()
        self.farmed = farmed

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or not str(record.msg).startswith("Page skipped"):
            return True
        prefix, _, rest = SKIPPED.partition("{}")
        text = record.getMessage()
        uri = text.removeprefix(prefix).removesuffix(rest)
        return not (text.startswith(prefix) and text.endswith(rest) and uri in self.farmed)


class _Forward(logging.Handler):
    """In a worker: every log record goes to the parent, once (a record passes the handlers
    of each logger on its way up)."""

    def __init__(self, send: Callable[[dict], None]) -> None:
        super().__init__(logging.NOTSET)
        self.send = send
        self.last: logging.LogRecord | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record is self.last:
            return
        self.last = record
        self.send({"log": [record.name, record.levelno, record.getMessage()]})


def _route_logging_to(handler: logging.Handler) -> None:
    loggers = [logging.getLogger()] + [
        item
        for item in logging.root.manager.loggerDict.values()
        if isinstance(item, logging.Logger)
    ]
    for logger in loggers:
        if logger.handlers:
            logger.handlers = [handler]


@dataclass
class _Worker:
    pid: int
    fd: int
    buffer: bytes = b""
    done: int = 0
    cpu: float = 0.0  # its processor seconds, once finished
    finished: bool = False
    error: str | None = None
    open: bool = True


@dataclass
class Pool:
    """Forked workers rendering their shares; ``poll`` and ``wait`` collect what they send."""

    workers: list[_Worker] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        shares: list[list[str]],
        render: Callable[[str], None],
        in_worker: Callable[[], None],
        step: int = 25,
    ) -> Pool:
        """Fork one worker per share. In each, ``in_worker()`` runs first, then
        ``render(item)`` for every item of its share."""
        pool = cls()
        for share in shares:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns into the engine
                os.close(read_end)
                for other in pool.workers:
                    os.close(other.fd)
                os._exit(_work(share, render, in_worker, write_end, step))
            os.close(write_end)
            os.set_blocking(read_end, False)
            pool.workers.append(_Worker(pid, read_end))
        return pool

    cpu: float = 0.0  # processor seconds of the workers that finished (``wait``)

    @property
    def done(self) -> int:
        """Pages the workers have reported as written."""
        return sum(w.done for w in self.workers)

    def poll(self) -> int:
        """Take in what the workers sent so far, without waiting; returns ``done``."""
        for worker in self.workers:
            self._read(worker)
        return self.done

    def wait(self, progress: Callable[[int], None] | None = None) -> int:
        """Wait for every worker; raises ``WorkerError`` when one failed."""
        while waiting := [w for w in self.workers if w.open]:
            ready, _, _ = select.select([w.fd for w in waiting], [], [], 1.0)
            for worker in waiting:
                if worker.fd in ready:
                    self._read(worker)
            if progress is not None:
                progress(self.done)
        failures, done = [], self.done
        self.cpu = sum(w.cpu for w in self.workers)
        for worker in self.workers:
            _, status = os.waitpid(worker.pid, 0)
            if worker.error:
                failures.append(worker.error)
            elif not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and worker.finished):
                failures.append(_stopped(status))
        self.workers = []
        if failures:
            raise WorkerError(failures[0])
        return done

    def cancel(self) -> None:
        """Stop every worker (the build failed elsewhere)."""
        for worker in self.workers:
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(worker.pid, 0)
            if worker.open:
                os.close(worker.fd)
        self.workers = []

    def _read(self, worker: _Worker) -> None:
        while worker.open:
            try:
                chunk = os.read(worker.fd, 65536)
            except BlockingIOError:
                return
            if not chunk:
                worker.open = False
                os.close(worker.fd)
                break
            worker.buffer += chunk
            *lines, worker.buffer = worker.buffer.split(b"\n")
            for line in lines:
                _receive(worker, json.loads(line))


def _receive(worker: _Worker, message: dict) -> None:
    if "log" in message:
        name, level, text = message["log"]
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            logger.handle(logger.makeRecord(name, level, "(werker)", 0, text, None, None))
    if "done" in message:
        worker.done = message["done"]
    if "finished" in message:
        worker.finished = True
        worker.cpu = message.get("cpu", 0.0)
    if "error" in message:
        worker.error = message["error"]


def render_pages(
    shares: list[list[str]],
    build: tuple[Any, Any, Any, Any],
    in_worker: Callable[[], None],
    step: int,
) -> Pool:
    """Fork one worker per share of page sources; each reads and builds its pages with the
    engine's own functions, as the engine's loop would call them. ``build`` is the engine's
    (template environment, configuration, files, menu)."""
    from mkdocs.commands import build as engine

    env, config, files, nav = build
    pages = files.documentation_pages()

    def render(uri: str) -> None:
        page = files.get_file_from_path(uri).page
        page.__dict__.pop("render", None)  # the engine's own again (``elsewhere``)
        engine._populate_page(page, config, files)
        engine._build_page(page, config, pages, nav, env)

    return Pool.start(shares, render, in_worker, step)


def _stopped(status: int) -> str:
    if os.WIFSIGNALED(status):
        how = f"door signaal {os.WTERMSIG(status)}"
        if os.WTERMSIG(status) == signal.SIGKILL:
            how += " (vaak: het geheugen was op)"
    else:
        how = f"met code {os.WEXITSTATUS(status)}"
    return (
        f"Een hulpproces dat pagina's maakte, stopte onverwacht {how}. Bouw de website "
        "opnieuw; gebeurt het weer, bouw dan met één proces: KB_WERKERS=1 kb bouw."
    )


def _work(
    share: list[str],
    render: Callable[[str], None],
    in_worker: Callable[[], None],
    fd: int,
    step: int,
) -> int:
    """The body of one worker; returns its exit code."""
    gc.freeze()  # what the parent made stays shared: the collector no longer visits it
    out = os.fdopen(fd, "wb", buffering=0)

    def send(message: dict) -> None:
        out.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")

    current = ""
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _route_logging_to(_Forward(send))
        in_worker()
        for done, current in enumerate(share, start=1):
            render(current)
            if done % step == 0:
                send({"done": done})
        times = os.times()
        send({"done": len(share), "finished": True, "cpu": times.user + times.system})
        return 0
    except BrokenPipeError:
        return 1  # the build stopped: nobody is listening
    except BaseException as error:  # noqa: BLE001 - every failure goes to the parent, in Dutch
        try:
            send({"error": f"De pagina {current!r} kon niet gemaakt worden: {error}"})
        except OSError:
            pass
        return 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            pass
