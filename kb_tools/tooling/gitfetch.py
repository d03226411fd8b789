"""Git for the network sources (``sources``): git commands with a timeout and no prompts,
and ``fetch``, the shallow fetch into a bare cache whose growth is watched while git runs
(stopped past ``MAX_DOWNLOAD_BYTES`` or ``GIT_TIMEOUT`` seconds)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from kb_tools.model import Network
from kb_tools.textscan import printable

GIT_TIMEOUT = 120  # seconds per git command
MAX_DOWNLOAD_BYTES = 100_000_000  # what one fetch may add to the cache
POLL_SECONDS = 0.2  # how often the cache's size is measured while git fetches


class SourceError(Exception):
    """A source cannot be used; the message is Dutch and names the network."""


class TooLarge(Exception):
    """A watched git command made the cache grow past its limit; git was stopped."""


def _git_env() -> dict[str, str]:
    return {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",  # never wait for a password in CI
        "GIT_ASKPASS": "true",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_ALLOW_PROTOCOL": "https:ssh:file",
    }


def run_git(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """``git <args>``: output captured, never a password prompt, at most GIT_TIMEOUT s."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=_git_env(),
        capture_output=True,
        timeout=GIT_TIMEOUT,
        check=False,
    )


def _tree_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:  # git renamed or removed it meanwhile
                pass
    return total


def _stop(process: subprocess.Popen) -> None:
    """Stop the command and everything it started (git fetch runs index-pack and, for
    file://, upload-pack): they share the session made for them."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.wait()


def _run_watched(
    command: list[str], watch: Path, limit: int, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` like ``run_git``, but measure ``watch`` every POLL_SECONDS: once it has
    grown by more than ``limit`` bytes, stop the command and raise TooLarge. After
    GIT_TIMEOUT seconds, stop it and raise subprocess.TimeoutExpired."""
    start_size = _tree_size(watch)
    deadline = time.monotonic() + GIT_TIMEOUT
    # output into files, not pipes: a full pipe would block git while we only watch
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            command, cwd=cwd, env=_git_env(), stdout=out, stderr=err, start_new_session=True
        )
        try:
            while True:
                try:
                    process.wait(timeout=POLL_SECONDS)
                    finished = True
                except subprocess.TimeoutExpired:
                    finished = False
                if _tree_size(watch) - start_size > limit:
                    raise TooLarge(command)
                if finished:
                    break
                if time.monotonic() > deadline:
                    raise subprocess.TimeoutExpired(command, GIT_TIMEOUT)
        finally:
            if process.poll() is None:
                _stop(process)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, process.returncode, out.read(), err.read())


def _megabytes(size: int) -> str:
    """100_000_000 -> '100 MB', 200_000 -> '0,2 MB'."""
    return f"{size / 1_000_000:.1f}".removesuffix(".0").replace(".", ",") + " MB"


def fetch(network: Network, cache_root: Path) -> str:
    """Fetch the network's ref into its cache and return the commit it points to."""
    assert network.source is not None
    source = network.source
    cache = cache_root / network.id
    if not (cache / "HEAD").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        done = run_git(["init", "--quiet", "--bare", str(cache)])
        if done.returncode != 0:
            raise SourceError(f"De cache {cache} kan niet worden gemaakt.")
    # Only the newest commit of the ref: its history is not needed and may be huge.
    fetch_args = ["fetch", "--quiet", "--no-tags", "--force", "--depth", "1"]
    try:
        done = _run_watched(
            ["git", *fetch_args, source.url, source.ref], cache, MAX_DOWNLOAD_BYTES, cwd=cache
        )
    except TooLarge as exc:
        shutil.rmtree(cache, ignore_errors=True)  # what git had downloaded so far
        raise SourceError(
            f"De bron van netwerk '{network.id}' is groter dan {_megabytes(MAX_DOWNLOAD_BYTES)}: "
            f"{source.url} (ref {source.ref}). Het ophalen is gestopt. De nieuwste versie "
            f"(zonder geschiedenis) mag hoogstens {_megabytes(MAX_DOWNLOAD_BYTES)} zijn."
        ) from exc
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(cache, ignore_errors=True)
        raise SourceError(
            f"De bron van netwerk '{network.id}' ({source.url}) antwoordt niet binnen "
            f"{GIT_TIMEOUT} seconden."
        ) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(
            f"De bron van netwerk '{network.id}' is niet bereikbaar: {source.url} "
            f"(ref {source.ref}). Git meldt: "
            f"{printable(detail[-1]) if detail else 'onbekende fout'}"
        )
    done = run_git(["rev-parse", "--verify", "FETCH_HEAD^{commit}"], cwd=cache)
    if done.returncode != 0:
        raise SourceError(
            f"De ref '{source.ref}' van netwerk '{network.id}' wijst niet naar een commit."
        )
    return done.stdout.decode().strip()
