"""Load, registry: everything cases are checked against, loaded together.

Vocabularies (``content/vocabulaires/*.yml``), the network registry
(``content/netwerken.yml``) and the source documents (``content/bronnen.yml``) are
content too, edited by people: they get the same findings as cases.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kb_tools.layout import NETWORKS_FILE, SOURCES_FILE, VOCAB_DIR
from kb_tools.load.files import display_path, finding, link_finding
from kb_tools.load.networks import load_networks, load_sources
from kb_tools.load.vocabularies import REQUIRED_VOCABULARIES, facet_findings, load_vocabulary
from kb_tools.model import Finding, Network, Registry, Source, Vocabulary

__all__ = ["NETWORKS_FILE", "SOURCES_FILE", "VOCAB_DIR", "load_registry"]


def load_registry(content_dir: Path) -> tuple[Registry, list[Finding]]:
    """Read vocabularies, networks and sources; every problem becomes a finding."""
    findings: list[Finding] = []
    vocabularies: dict[str, Vocabulary] = {}
    vocab_dir = content_dir / VOCAB_DIR
    paths: list[Path] = []
    if vocab_dir.is_symlink():
        # A linked folder would let files from anywhere on the machine be read.
        findings.append(link_finding(display_path(vocab_dir)))
    elif vocab_dir.is_dir():
        with os.scandir(vocab_dir) as entries:
            paths = sorted(Path(e.path) for e in entries if e.name.endswith(".yml"))
    for path in paths:
        vocab, problems = load_vocabulary(path, display_path(path))
        findings.extend(problems)
        if vocab is not None:
            vocabularies[vocab.id] = vocab
            findings.extend(facet_findings(vocab))
    for name in REQUIRED_VOCABULARIES:
        if name not in vocabularies:
            findings.append(
                finding(
                    display_path(vocab_dir / f"{name}.yml"),
                    None,
                    "woordenlijst-ontbreekt",
                    f"De woordenlijst '{name}' ontbreekt of is onleesbaar.",
                    "Zet het bestand terug; casussen gebruiken deze lijst.",
                )
            )
    provinces = vocabularies["provincie"].ids() if "provincie" in vocabularies else ()
    networks: dict[str, Network] = {}
    sources: dict[str, Source] = {}
    for name, loader in ((NETWORKS_FILE, "networks"), (SOURCES_FILE, "sources")):
        path = content_dir / name
        rel = display_path(path)
        if not path.is_file():
            findings.append(
                finding(rel, None, "register-ontbreekt", f"Het bestand {name} ontbreekt.", "")
            )
            continue
        if loader == "networks":
            networks, problems = load_networks(path, rel, provinces)
        else:
            sources, problems = load_sources(path, rel)
        findings.extend(problems)
    return Registry(vocabularies, networks, sources), findings


def copy_registry(source: Path, target: Path) -> None:
    """Copy vocabularies, networks and sources, so a corpus is checked against real terms."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / VOCAB_DIR, target / VOCAB_DIR, dirs_exist_ok=True)
    for name in (NETWORKS_FILE, SOURCES_FILE):
        shutil.copy2(source / name, target / name)
