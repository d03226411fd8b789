"""The committed CODEOWNERS is the one `kb codeowners` makes from the network registry."""

from __future__ import annotations

import subprocess
import sys

from kb_tools.load.registry import load_registry
from kb_tools.tooling import codeowners

from .conftest import CONTENT, ROOT

COMMITTED = ROOT / codeowners.OUTPUT


def test_committed_file_is_the_generated_one() -> None:
    registry, _ = load_registry(CONTENT)
    expected = codeowners.render(registry.networks)
    assert COMMITTED.read_text(encoding="utf-8") == expected, (
        "CODEOWNERS is verouderd: voer 'kb codeowners --out .github/CODEOWNERS' uit."
    )


def test_each_network_folder_is_owned_by_its_maintainers() -> None:
    registry, _ = load_registry(CONTENT)
    rules = codeowners.parse(COMMITTED.read_text(encoding="utf-8"))
    assert registry.networks
    for network in registry.networks.values():
        case = f"content/casussen/{network.id}/een-casus.md"
        assert codeowners.owners_of(rules, case) == network.maintainers
        assert codeowners.CORE_TEAM not in codeowners.owners_of(rules, case)


def test_everything_else_belongs_to_the_core_team() -> None:
    rules = codeowners.parse(COMMITTED.read_text(encoding="utf-8"))
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
        assert codeowners.owners_of(rules, path) == core, path
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
