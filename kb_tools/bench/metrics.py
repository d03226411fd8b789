"""The basic measurements of ``kb meten``: a child process's wall time and peak memory, and
the sizes of built files (gzipped as a web host sends them). ``measure`` and ``search``
use them."""

from __future__ import annotations

import gzip
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from kb_tools.bench.proctree import TreeSampler


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured child: it imports the kb_tools that measures (a
    worktree's, even when another copy is installed) though it runs in the project's folder,
    and MkDocs 2's warning is off."""
    here = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": here + (os.pathsep + path if path else ""),
        **(extra or {}),
    }


def run_measured(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, tree: bool = False
) -> dict[str, Any]:
    """Run a child process: its wall seconds, processor seconds (its own and those of the
    processes it waited for) and peak memory (ru_maxrss from wait4: the
    largest of the child and the processes it waited for, not their sum). With ``tree``
    also the peak of the summed memory of the child and all its descendants, sampled every
    ~100 ms (``proctree.TreeSampler``): RSS, and PSS, which counts shared pages once."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env=child_env(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        sampler = TreeSampler(process.pid)
        if tree:
            with sampler:
                _, status, usage = os.wait4(process.pid, 0)
        else:
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            out.seek(0)
            raise RuntimeError(f"{' '.join(args[:5])} is mislukt:\n{out.read()[-4000:]}")
    result = {
        "seconds": round(seconds, 3),
        # Processor time of the child and of every process it waited for (wait4).
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
    }
    if tree:
        # A sample may miss the moment one process peaked: never less than that peak.
        result["tree_peak_mb"] = max(sampler.peak_mb, result["peak_mb"])
        result["tree_pss_peak_mb"] = sampler.pss_peak_mb
    return result


def tree_size(root: Path) -> int:
    """Bytes of all files under ``root``."""
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def page_sizes(root: Path) -> dict[str, int]:
    """Median and largest size of the pages (``index.html``) under ``root``."""
    sizes = sorted(p.stat().st_size for p in root.rglob("index.html"))
    if not sizes:
        return {"median": 0, "max": 0}
    return {"median": int(statistics.median(sizes)), "max": sizes[-1]}


def gzip_size(path: Path) -> int:
    """Bytes of the file gzipped (level 6, as a web host sends it); 0 if it is missing."""
    return len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0
