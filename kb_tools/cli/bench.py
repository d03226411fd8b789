"""``kb meten``: measure the whole pipeline on a generated corpus (the measuring itself
lives in ``kb_tools.bench``; this module only parses and prints).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kb_tools.cli.shared import EXIT_OK, AddCommand, Commands, add_json_option, whole_number


def add_bench(commands: Commands) -> None:
    bench = commands.add_parser(
        "meten",
        help="Meet de snelheid en grootte van de hele pijplijn.",
        description="Maak een nep-verzameling casussen (altijd dezelfde) in een tijdelijke map en\n"
        "meet kb controleer, elke stap van de build, het geheugen en de processortijd van de\n"
        "build (alle processen samen), de grootte van de website, en dezelfde pagina's gebouwd\n"
        "met standaard Material (ter vergelijking). Meet in kb bekijk hoe lang het duurt van\n"
        "het bewaren van een casus tot de nieuwe titel in de browser staat (Chromium). Meet\n"
        "ook of kb zoek en de zoekpagina de juiste casus vinden voor de zoekvragen van\n"
        "helpdesks (kb_tools/bench/zoekvragen.yml, op de startinhoud). Een meting, geen test.",
        epilog="Voorbeelden:\n  kb meten --cases 1000\n"
        "  kb meten --cases 1000 10000 --out bench.json --markdown bench.md\n",
    )
    bench.add_argument(
        "--cases",
        type=whole_number,
        nargs="+",
        default=[1000],
        metavar="AANTAL",
        help="Aantal casussen; meerdere aantallen geven ook de groei.",
    )
    bench.add_argument("--out", type=Path, metavar="BESTAND", help="Schrijf de meting als JSON.")
    bench.add_argument(
        "--markdown", type=Path, metavar="BESTAND", help="Schrijf de tabel als Markdown."
    )
    add_json_option(bench, "Druk JSON af in plaats van de tabel.")
    bench.add_argument(
        "--zonder-vijandig",
        action="store_true",
        help="Sla de meting met vijandige casussen over (kb controleer en build met één casus "
        "die de website zwaar maakt).",
    )
    bench.set_defaults(handler=cmd_bench)


def cmd_bench(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.bench import benchmark as bench
    from kb_tools.bench.jsonkeys import as_output
    from kb_tools.bench.searchcost import browser_missing

    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file() or not (root / "content").is_dir():
        parser.error("start kb meten in de map van de kennisbank (met mkdocs.yml en content/).")
    if any(n < 2 for n in args.cases):
        parser.error("--cases moet minstens 2 zijn.")
    quiet = args.json

    def say(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr, flush=True)

    missing = browser_missing()
    if missing:  # the rest is measured; the figures of the browser say "n.v.t."
        print(missing, file=sys.stderr, flush=True)
    result = bench.run(args.cases, root, say, with_hostile=not args.zonder_vijandig)
    text = bench.table(result)
    data = json.dumps(as_output(result), ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(data + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    print(data if args.json else text)
    return EXIT_OK


COMMANDS: dict[str, AddCommand] = {"meten": add_bench}
