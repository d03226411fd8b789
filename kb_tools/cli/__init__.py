"""The ``kb`` command: a thin adapter that calls the pipeline stages.

Only this package turns results into messages and exit codes: 0 all is well, 1 the content
has errors, 2 the command was used wrongly. Each command group has its own module.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kb_tools import __version__
from kb_tools.cli import bench, bronnen, content, github, search, site
from kb_tools.cli.shared import EXIT_OK, EXIT_USAGE, AddCommand, DutchParser, add_subcommands

GROUPS = (content, site, bronnen, search, github, bench)
# The order in which `kb --help` lists the commands.
ORDER = (
    "check",
    "schema",
    "build",
    "bronnen",
    "serve",
    "adressen",
    "link",
    "similar",
    "zoek",
    "forms",
    "from-issue",
    "nieuw",
    "bench",
    "codeowners",
    "links",
)


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
    commands = add_subcommands(parser, "command")
    adders: dict[str, AddCommand] = {}
    for group in GROUPS:
        adders.update(group.COMMANDS)
    if sorted(adders) != sorted(ORDER):
        raise RuntimeError(f"ORDER must name every command once: {sorted(adders)}")
    for name in ORDER:
        adders[name](commands)
    return parser


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
