"""The memory of a process and all its descendants, for ``kb meten``: the build forks render
workers and starts a Pagefind child, and ``ru_maxrss`` (``metrics.run_measured``) is the peak
of one process only. ``TreeSampler`` sums them every ~100 ms and keeps the peak; the tree is
found by walking /proc (Linux), so it needs no package and no cooperation of the build."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

PROC = Path("/proc")


def parents() -> dict[int, int]:
    """Every process id on this machine -> its parent's (from /proc/<pid>/stat)."""
    found = {}
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:  # ended meanwhile
            continue
        # "pid (name) state ppid …": the name may hold spaces and parentheses.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1].isdigit():
            found[int(entry.name)] = int(fields[1])
    return found


def descendants(pid: int) -> list[int]:
    """The children of ``pid``, their children, and so on (not ``pid`` itself)."""
    children: dict[int, list[int]] = {}
    for child, parent in parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], list(children.get(pid, ()))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, ()))
    return found


def _field_kb(path: Path, name: str) -> int | None:
    """The kB of the line ``name: <n> kB`` of a /proc file; None if it is not there."""
    try:
        for line in path.read_text(encoding="ascii").splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass  # the process ended, an older kernel, or a process of another user
    return None


def memory_kb(pid: int) -> tuple[int, int | None]:
    """Resident memory (VmRSS) and proportional memory (Pss: shared pages divided among
    the processes that share them) of ``pid`` in kB; (0, None) once it has ended."""
    rss = _field_kb(PROC / str(pid) / "status", "VmRSS")
    if rss is None:
        return 0, None
    return rss, _field_kb(PROC / str(pid) / "smaps_rollup", "Pss")


class TreeSampler:
    """While active: the peak of the summed RSS (and PSS) of ``pid`` and its descendants,
    sampled every ``interval`` seconds in a thread. Use as a context manager around the
    wait for the process; ``peak_mb`` and ``pss_peak_mb`` hold the result."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.pss_peak_kb: int | None = None
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        """One sample of the whole tree, now."""
        rss_sum, pss_sum, pss_known = 0, 0, True
        for pid in [self.pid, *descendants(self.pid)]:
            rss, pss = memory_kb(pid)
            rss_sum += rss
            if pss is None:
                pss_known = pss_known and rss == 0  # an ended process counts for nothing
            else:
                pss_sum += pss
        self.samples += 1
        self.peak_kb = max(self.peak_kb, rss_sum)
        if pss_known and pss_sum:
            self.pss_peak_kb = max(self.pss_peak_kb or 0, pss_sum)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024, 1)

    @property
    def pss_peak_mb(self) -> float | None:
        return None if self.pss_peak_kb is None else round(self.pss_peak_kb / 1024, 1)


def process_groups(pid: int) -> set[int]:
    """The process groups of ``pid``'s descendants (a child may start its own session),
    without the group of this process."""
    own = os.getpgid(0)
    groups = set()
    for child in descendants(pid):
        try:
            groups.add(os.getpgid(child))
        except ProcessLookupError:
            continue
    return groups - {own}
