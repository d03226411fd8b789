"""What every ``kb`` command shares: the exit codes, the options several commands take
(declared once here) and small helpers for the handlers. The Dutch parser itself is in
``kb_tools.cli.usage``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from kb_tools.cli.usage import (  # noqa: F401 - the commands import them from here
    EXIT_USAGE,
    Commands,
    DutchParser,
    add_subcommands,
    decimal_number,
    shown,
    whole_number,
)
from kb_tools.load.registry import load_registry
from kb_tools.model import Registry
from kb_tools.suggest import Suggester, did_you_mean
from kb_tools.validate import report

EXIT_OK, EXIT_CONTENT = 0, 1  # EXIT_USAGE (2) comes from usage

# The subparsers object of a parser, and what each command group hands to build_parser.
AddCommand = Callable[[Commands], None]


# -- options that several commands share -------------------------------------------------


def _content_dir(value: str) -> Path:
    return Path(value)


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=_content_dir,
        default=Path("content"),
        metavar="MAP",
        help="De map met inhoud (standaard: content).",
    )


def add_json_option(
    parser: argparse.ArgumentParser,
    text: str = "Uitvoer als JSON.",
    format_dest: str | None = None,
) -> None:
    """``--json``: a switch, or with ``format_dest`` a short form of ``--format json``."""
    if format_dest:
        parser.add_argument(
            "--json", dest=format_dest, action="store_const", const="json", help=text
        )
    else:
        parser.add_argument("--json", action="store_true", help=text)


def add_network_option(parser: argparse.ArgumentParser, text: str) -> None:
    """``--netwerk ID``; what it does differs per command, so each command says it."""
    parser.add_argument("--netwerk", metavar="ID", help=text)


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """``--config``: the site's settings file, for the commands that run the site engine."""
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="BESTAND",
        help="Het MkDocs-instellingenbestand (standaard: mkdocs.yml).",
    )


def add_count_option(parser: argparse.ArgumentParser, default: int, text: str) -> None:
    """``--aantal N``: how many results."""
    parser.add_argument("--aantal", type=whole_number, default=default, metavar="N", help=text)


def add_summary_option(parser: argparse.ArgumentParser, text: str) -> None:
    """``--samenvatting BESTAND``: a Markdown report appended to a file (GitHub's summary)."""
    parser.add_argument("--samenvatting", type=Path, metavar="BESTAND", help=text)


# -- helpers for the handlers --------------------------------------------------------------


def require_content(parser: argparse.ArgumentParser, content: Path) -> None:
    if not content.is_dir():
        parser.error(
            f"de map '{content}' bestaat niet. Start kb in de map van de kennisbank, "
            "of noem de map met --content."
        )


def registry_or_exit(parser: argparse.ArgumentParser, content: Path) -> tuple[Registry, bool]:
    """The registry of ``content``, and whether it has errors (printed to stderr)."""
    require_content(parser, content)
    registry, findings = load_registry(content)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        print(report.as_text(errors, 0, 0), file=sys.stderr)
    return registry, bool(errors)


def check_network(parser: argparse.ArgumentParser, registry: Registry, network: str | None) -> None:
    """A usage error, with did-you-mean, when ``--netwerk`` names no network."""
    if network is None or network in registry.networks:
        return
    names = {n.name: n.id for n in registry.networks.values()} | {n: n for n in registry.networks}
    close = Suggester(names).close(network) or [
        n for n in registry.networks if n.startswith(network)
    ]
    hint = did_you_mean(close[:3])
    parser.error(
        f"het netwerk '{shown(network)}' bestaat niet. {hint} "
        f"Kies uit: {', '.join(registry.networks)}.".replace("  ", " ")
    )


def check_term(
    parser: argparse.ArgumentParser, registry: Registry, vocabulary: str, value: str | None
) -> None:
    """A usage error, with did-you-mean over the term ids, labels and synonyms, when an
    option such as ``--wet`` names a term that is not in ``vocabulary``."""
    vocab = registry.vocabularies.get(vocabulary)
    if value is None or vocab is None or vocab.get(value) is not None:
        return
    aliases = {alias: t.id for t in vocab.terms for alias in (*t.synonyms, t.label, t.id)}
    hint = did_you_mean(Suggester(aliases).close(value))
    parser.error(
        f"--{vocabulary} '{shown(value)}' staat niet in de lijst '{vocab.name}'. {hint} "
        f"Alle termen staan in {vocab.path or 'content/vocabulaires/'}.".replace("  ", " ")
    )


def today() -> date:
    """Today, or KB_VANDAAG (JJJJ-MM-DD) for reproducible tests and demos.

    Handlers call it as ``shared.today()`` so that tests can replace it in one place.
    """
    fixed = os.environ.get("KB_VANDAAG", "").strip()
    return date.fromisoformat(fixed) if fixed else date.today()
