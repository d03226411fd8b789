"""The committed CODEOWNERS is the one `kb codeowners` makes from the network registry."""

from __future__ import annotations

import subprocess
import sys

from kb_tools.load.registry import load_registry
from kb_tools.tooling import codeowners

from .conftest import CONTENT, ROOT

COMMITTED = ROOT / codeowners.OUTPUT


def parse(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(pattern, owners) per rule of a CODEOWNERS text, in file order; comments and blank
    lines skipped."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, tuple(owners)))
    return rules


def owners_of(rules: list[tuple[str, tuple[str, ...]]], path: str) -> tuple[str, ...]:
    """Owners of a repository path under the rules (last match wins), for the few
    pattern kinds this file uses: `*`, `/folder/` and `/file`."""
    path = "/" + path.lstrip("/")
    found: tuple[str, ...] = ()
    for pattern, owners in rules:
        if (
            pattern == "*"
            or (pattern.endswith("/") and path.startswith(pattern))
            or path == pattern
        ):
            found = owners
    return found


def test_committed_file_is_the_generated_one() -> None:
    registry, _ = load_registry(CONTENT)
    expected = codeowners.render(registry.networks)
    assert COMMITTED.read_text(encoding="utf-8") == expected, (
        "CODEOWNERS is verouderd: voer 'kb codeowners --out .github/CODEOWNERS' uit."
    )


def test_each_network_folder_is_owned_by_its_maintainers() -> None:
    registry, _ = load_registry(CONTENT)
    rules = parse(COMMITTED.read_text(encoding="utf-8"))
    assert registry.networks
    for network in registry.networks.values():
        case = f"content/casussen/{network.id}/een-casus.md"
        assert owners_of(rules, case) == network.maintainers
        assert codeowners.CORE_TEAM not in owners_of(rules, case)


def test_everything_else_belongs_to_the_core_team() -> None:
    rules = parse(COMMITTED.read_text(encoding="utf-8"))
    core = (codeowners.CORE_TEAM,)
    for path in (
        "README.md",
        "content/vocabulaires/thema.yml",
        "content/netwerken.yml",
        "kb_tools/cli.py",
        ".github/workflows/pr.yml",
        ".github/CODEOWNERS",
        "content/casussen/nieuw-netwerk-zonder-regel/x.md",
    ):
        assert owners_of(rules, path) == core, path
    # The catch-all comes first: a later rule must be able to override it.
    assert rules[0] == ("*", core)


def test_cli_prints_and_writes(tmp_path) -> None:
    out = tmp_path / "CODEOWNERS"
    done = subprocess.run(
        [sys.executable, "-m", "kb_tools.cli", "codeowners", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")
    shown = subprocess.run(
        [sys.executable, "-m", "kb_tools.cli", "codeowners"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert shown.stdout == COMMITTED.read_text(encoding="utf-8")
