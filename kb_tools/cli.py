"""The ``kb`` command: a thin adapter that calls the pipeline stages.

Only this module turns results into messages and exit codes: 0 all is well,
1 the content has errors, 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, report
from .registry import load_registry
from .schema import json_schema
from .validate import check_content

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

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
        super().add_usage(usage, actions, groups, prefix or "Gebruik: ")


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


def _content_dir(value: str) -> Path:
    return Path(value)


def build_parser() -> DutchParser:
    parser = DutchParser(
        prog="kb",
        description="Hulpmiddelen voor de kennisbank van zorgzame gemeenschappen.",
        epilog="Voorbeeld:\n  kb check\n  kb check content/casussen/amsterdamse-stadsdorpen/\n",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"kb {__version__}",
        help="Toon het versienummer en stop.",
    )
    commands = parser.add_subparsers(
        dest="command", title="Opdrachten", metavar="OPDRACHT", parser_class=DutchParser
    )

    check = commands.add_parser(
        "check",
        help="Controleer casussen, woordenlijsten en netwerken.",
        description="Controleer alle inhoud, of alleen de bestanden of mappen die u noemt.\n"
        "Alle problemen komen in één keer op het scherm, met bestand, regel en een tip.\n"
        "Er wordt niets veranderd.\n\n"
        "Uitkomst: 0 = alles in orde, 1 = er zijn fouten, 2 = verkeerd gebruik van kb.",
        epilog="Voorbeelden:\n"
        "  kb check\n"
        "  kb check content/casussen/amsterdamse-stadsdorpen/elsrijk-right-to-challenge.md\n"
        "  kb check --format json > bevindingen.json\n",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PAD",
        help="Bestanden of mappen om te controleren (standaard: alles).",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="Uitvoer: text (voor mensen), json (voor programma's) of github "
        "(meldingen in GitHub). Standaard: text.",
    )
    check.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="Hetzelfde als --format json.",
    )
    check.add_argument(
        "--strict", action="store_true", help="Behandel waarschuwingen ook als fouten."
    )
    check.add_argument(
        "--content",
        type=_content_dir,
        default=Path("content"),
        metavar="MAP",
        help="De map met inhoud (standaard: content).",
    )
    check.set_defaults(handler=cmd_check)

    schema = commands.add_parser(
        "schema",
        help="Schrijf het JSON-schema van een casus.",
        description="Schrijf het JSON-schema van de kop van een casus. Teksteditors gebruiken\n"
        "het om velden en waarden aan te vullen.",
        epilog="Voorbeeld:\n  kb schema --out content/casus.schema.json\n",
    )
    schema.add_argument(
        "--out",
        type=Path,
        metavar="BESTAND",
        help="Schrijf naar dit bestand in plaats van naar het scherm.",
    )
    schema.add_argument(
        "--content",
        type=_content_dir,
        default=Path("content"),
        metavar="MAP",
        help="De map met inhoud (standaard: content).",
    )
    schema.set_defaults(handler=cmd_schema)
    return parser


def _require_content(parser: argparse.ArgumentParser, content: Path) -> None:
    if not content.is_dir():
        parser.error(
            f"de map '{content}' bestaat niet. Start kb in de map van de kennisbank, "
            "of noem de map met --content."
        )


def cmd_check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    _require_content(parser, args.content)
    paths = None
    if args.paths:
        paths = []
        for raw in args.paths:
            path = Path(raw)
            if path.is_dir():
                paths.extend(
                    p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")
                )
            elif path.is_file():
                paths.append(path)
            else:
                parser.error(f"'{raw}' bestaat niet.")
    result = check_content(args.content, paths)
    files = len(paths) if paths is not None else result.files
    cases = (
        len(result.cases)
        if paths is None
        else sum(1 for c in result.cases if Path(c.path).resolve() in {p.resolve() for p in paths})
    )
    if args.format == "json":
        print(report.as_json(result.findings))
    elif args.format == "github":
        print(report.as_github(result.findings, files, cases))
    else:
        print(report.as_text(result.findings, files, cases))
    failing = result.findings if args.strict else result.errors
    return EXIT_CONTENT if failing else EXIT_OK


def cmd_schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    _require_content(parser, args.content)
    registry, findings = load_registry(args.content)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        print(report.as_text(errors, 0, 0), file=sys.stderr)
        return EXIT_CONTENT
    text = json.dumps(json_schema(registry), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"Schema geschreven naar {args.out}.")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args, parser)
    except KeyboardInterrupt:
        print("Gestopt.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
