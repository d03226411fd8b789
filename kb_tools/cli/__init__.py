"""The ``kb`` command: a thin adapter that calls the pipeline stages.

Only this package turns results into messages and exit codes: 0 all is well, 1 the content
has errors, 2 the command was used wrongly. Each command group has its own module.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kb_tools import __version__
from kb_tools.cli import bench, bronnen, content, github, search, site
from kb_tools.cli.jsonout import SiteUrlError
from kb_tools.cli.shared import EXIT_OK, EXIT_USAGE, AddCommand
from kb_tools.cli.usage import PARSER_ATTR, DutchParser, add_subcommands

GROUPS = (content, site, bronnen, search, github, bench)
# The order in which `kb --help` lists the commands.
ORDER = (
    "controleer",
    "schema",
    "bouw",
    "bronnen",
    "bekijk",
    "adressen",
    "webadres",
    "vergelijkbaar",
    "zoek",
    "formulieren",
    "uit-issue",
    "nieuw",
    "meten",
    "codeowners",
    "linkcontrole",
)
# The English names the commands had first: they keep working (scripts, workflows, habits)
# and did-you-mean knows them, but `kb --help` lists only the Dutch names.
ALIASES = {
    "check": "controleer",
    "build": "bouw",
    "serve": "bekijk",
    "link": "webadres",
    "similar": "vergelijkbaar",
    "forms": "formulieren",
    "from-issue": "uit-issue",
    "bench": "meten",
    "links": "linkcontrole",
}


def build_parser() -> DutchParser:
    parser = DutchParser(
        prog="kb",
        description="Hulpmiddelen voor de kennisbank van zorgzame gemeenschappen.",
        epilog="Voorbeeld:\n  kb controleer\n  kb controleer content/casussen/amsterdamse-stadsdorpen/\n",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"kb {__version__}",
        help="Toon het versienummer en stop.",
    )
    commands = add_subcommands(parser, "command", hidden=ALIASES)
    adders: dict[str, AddCommand] = {}
    for group in GROUPS:
        adders.update(group.COMMANDS)
    if sorted(adders) != sorted(ORDER):
        raise RuntimeError(f"ORDER must name every command once: {sorted(adders)}")
    if set(ALIASES) & set(ORDER) or not set(ALIASES.values()) <= set(ORDER):
        raise RuntimeError("ALIASES must map old names, none a command, to commands")
    for name in ORDER:
        adders[name](commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        # `kb` alone: the list of commands is the most useful answer, but it is still a
        # usage error (a script that calls kb with an empty variable must not pass).
        parser.print_help()
        return EXIT_USAGE
    args = parser.parse_args(argv)
    # Errors found by a handler show the usage of the command at hand, not of kb.
    at_hand = getattr(args, PARSER_ATTR, parser)
    try:
        return args.handler(args, at_hand)
    except KeyboardInterrupt:
        print("Gestopt.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except SiteUrlError as error:
        at_hand.error(str(error))
