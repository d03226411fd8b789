"""``kb bronnen bijwerken``: fetch, check and vendor the cases of networks that keep
them in their own git repository (the work is done by ``kb_tools.tooling.sources``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb_tools.cli import shared
from kb_tools.cli.shared import (
    EXIT_CONTENT,
    EXIT_OK,
    AddCommand,
    Commands,
    add_content_option,
    add_network_option,
    add_subcommands,
    check_network,
    registry_or_exit,
)
from kb_tools.tooling import sources
from kb_tools.validate import report


def add_sources(commands: Commands) -> None:
    sources_cmd = commands.add_parser(
        "bronnen",
        help="Haal de casussen op van netwerken met een eigen bron (git).",
        description="Netwerken met 'bron:' in content/netwerken.yml bewaren hun casussen in\n"
        "een eigen git-repository. 'kb bronnen bijwerken' haalt die op, controleert ze en\n"
        "zet ze in content/casussen/<netwerk>/. De versie komt in content/bronnen.lock.yml.",
        epilog="Voorbeelden:\n  kb bronnen bijwerken\n"
        "  kb bronnen bijwerken --netwerk zorgzame-dorpen --strict\n",
    )
    sources_commands = add_subcommands(sources_cmd, "bronnen_command")
    update = sources_commands.add_parser(
        "bijwerken",
        help="Haal elke bron op, controleer hem en leg de versie vast.",
        description="Haal de bron van elk netwerk op, controleer alle bestanden zoals\n"
        "'kb controleer' dat doet, en zet ze in content/casussen/<netwerk>/. Lukt dat niet\n"
        "(bron onbereikbaar of fouten), dan blijft de vorige goede versie staan.\n\n"
        "Uitkomst: 0 = klaar (ook als een bron niet lukte, behalve met --strict), "
        "1 = een bron lukte niet en --strict staat aan.",
        epilog="Voorbeelden:\n  kb bronnen bijwerken\n"
        "  kb bronnen bijwerken --netwerk zorgzame-dorpen --strict\n",
    )
    add_network_option(update, "Werk alleen dit netwerk bij.")
    update.add_argument(
        "--strict", action="store_true", help="Stop met een fout als een bron niet lukt."
    )
    update.add_argument(
        "--cache",
        type=Path,
        default=Path(".cache/bronnen"),
        metavar="MAP",
        help="Waar de opgehaalde repositories bewaard worden (standaard: .cache/bronnen).",
    )
    add_content_option(update)
    update.set_defaults(handler=cmd_sources_update)


def cmd_sources_update(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    registry, failed = registry_or_exit(parser, args.content)
    if failed:
        return EXIT_CONTENT
    check_network(parser, registry, args.netwerk)
    with_source = [n.id for n in registry.networks.values() if n.source is not None]
    if args.netwerk and args.netwerk not in with_source:
        parser.error(f"het netwerk '{args.netwerk}' heeft geen 'bron' in content/netwerken.yml.")
    if not with_source:
        print("Geen enkel netwerk heeft een eigen bron. Er is niets bij te werken.")
        return EXIT_OK
    results = sources.update(args.content, args.cache, args.netwerk, shared.today())
    failures = 0
    for result in results:
        short = (result.commit or "")[:12]
        if result.status == sources.OK:
            print(f"Bijgewerkt: {result.network} staat nu op commit {short}.")
            if result.message:
                print(f"  {result.message}")
        elif result.status == sources.UNCHANGED:
            print(f"Ongewijzigd: {result.network} staat al op commit {short}.")
        else:
            failures += 1
            print(f"LET OP: netwerk {result.network} is NIET bijgewerkt.", file=sys.stderr)
            print(f"  {result.message}".replace("\n", "\n  "), file=sys.stderr)
            for f in result.findings:
                print("  " + report.format_finding(f).replace("\n", "\n  "), file=sys.stderr)
            print(
                f"  De website houdt de laatste goede versie van {result.network} "
                "(zie content/bronnen.lock.yml). De andere netwerken gaan gewoon door.",
                file=sys.stderr,
            )
    if failures:
        print(
            f"{failures} van de {len(results)} bronnen niet bijgewerkt.",
            file=sys.stderr,
        )
        return EXIT_CONTENT if args.strict else EXIT_OK
    return EXIT_OK


COMMANDS: dict[str, AddCommand] = {"bronnen": add_sources}
