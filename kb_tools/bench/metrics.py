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


def run_measured(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a child process: its wall seconds and peak memory (ru_maxrss from wait4, which
    covers the child and the worker processes it waited for)."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            out.seek(0)
            raise RuntimeError(f"{' '.join(args[:5])} is mislukt:\n{out.read()[-4000:]}")
    return {"seconds": round(seconds, 3), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


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
