"""What every ``kb`` command shares: the Dutch argparse parser, the exit codes, the
options several commands take (declared once here) and small helpers for the handlers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from kb_tools.load.registry import load_registry
from kb_tools.model import Registry
from kb_tools.validate import report

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

# The subparsers object of a parser, and what each command group hands to build_parser.
Commands = argparse._SubParsersAction
AddCommand = Callable[[Commands], None]

_ARGPARSE_NL = {
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r "
    "(kies uit %(choices)s)",
    "argument %(argument_name)s: %(message)s": "bij %(argument_name)s: %(message)s",
    "expected one argument": "hier hoort één waarde bij",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
}


class DutchFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse API
        # argparse passes prefix="" when it builds a subcommand's prog: keep that empty.
        super().add_usage(usage, actions, groups, "Gebruik: " if prefix is None else prefix)


class DutchParser(argparse.ArgumentParser):
    """argparse with Dutch headings, help and error messages."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", DutchFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumenten"
        self._optionals.title = "Opties"
        self.add_argument("-h", "--help", action="help", help="Toon deze hulp en stop.")

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, dutch in _ARGPARSE_NL.items():
            head = english.split("%")[0]
            if head and message.startswith(head):
                message = dutch.split("%")[0] + message[len(head) :]
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"kb: fout: {message}\nKijk bij 'kb --help' voor uitleg.\n")


def add_subcommands(parser: argparse.ArgumentParser, dest: str) -> Commands:
    """The subcommands of ``parser``, with Dutch headings; the chosen name goes to ``dest``."""
    return parser.add_subparsers(
        dest=dest, title="Opdrachten", metavar="OPDRACHT", parser_class=DutchParser
    )


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
    parser.add_argument("--aantal", type=int, default=default, metavar="N", help=text)


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
    if network and network not in registry.networks:
        parser.error(
            f"het netwerk '{network}' bestaat niet. Kies uit: {', '.join(registry.networks)}."
        )


def today() -> date:
    """Today, or KB_VANDAAG (JJJJ-MM-DD) for reproducible tests and demos.

    Handlers call it as ``shared.today()`` so that tests can replace it in one place.
    """
    fixed = os.environ.get("KB_VANDAAG", "").strip()
    return date.fromisoformat(fixed) if fixed else date.today()
