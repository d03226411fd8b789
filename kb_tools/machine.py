"""What the machine offers the build: the cores this process may run on. The page workers,
the check's process pool and ``kb meten`` (its report and the shortest possible build) count
them here, the same way."""

from __future__ import annotations

import os


def cores() -> int:
    """The cores this process may run on (its affinity, which a container may limit), at
    least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
