"""The site engine behind ``kb build`` and ``kb serve``: ProperDocs when it is installed
(the maintained continuation of MkDocs 1.6), else MkDocs; ``KB_ENGINE`` overrides.

The engine always runs as its own process, so the CLI never depends on its internals.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from importlib.util import find_spec

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
    """The environment for the engine: quiet banners, kb's own progress, KB_NETWERK only
    when the caller sets it."""
    extra = dict(extra_env or {})
    env = {
        **os.environ,
        # Material's and ProperDocs' banners are about other tools, not about this build.
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        # The plugin reports progress itself; the engine's own log is quiet.
        "KB_PROGRESS": "1",
        **extra,
    }
    if "KB_NETWERK" not in extra:
        env.pop("KB_NETWERK", None)
    return env


def run_engine(engine: str, args: Sequence[str], extra_env: Mapping[str, str] | None = None) -> int:
    """Run ``engine`` (a name from ENGINES) with ``args``; its exit code."""
    return subprocess.call([sys.executable, "-m", engine, *args], env=engine_env(extra_env))
