"""Commands about the content itself: ``check``, ``schema``, ``adressen`` and ``nieuw``.

Each command's parser sits next to its handler; ``kb_tools.cli`` puts them in order.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TypedDict

from kb_tools.cli import shared
from kb_tools.cli.jsonout import dumps
from kb_tools.cli.shared import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    AddCommand,
    Commands,
    add_content_option,
    add_json_option,
    add_network_option,
    add_summary_option,
    check_network,
    registry_or_exit,
    require_content,
)
from kb_tools.enrich import build_corpus, ledger
from kb_tools.load.files import ANSWER, CASE, GUIDE, display_path
from kb_tools.load.registry import load_registry
from kb_tools.progress import counter
from kb_tools.schema import json_schema
from kb_tools.validate import check_content, report

# -- kb controleer -------------------------------------------------------------------------


def add_check(commands: Commands) -> None:
    check = commands.add_parser(
        "controleer",
        help="Controleer casussen, woordenlijsten en netwerken.",
        description="Controleer alle inhoud, of alleen de bestanden of mappen die u noemt.\n"
        "Alle problemen komen in één keer op het scherm, met bestand, regel en een tip.\n"
        "Er wordt niets veranderd.\n\n"
        "Uitkomst: 0 = alles in orde, 1 = er zijn fouten, 2 = verkeerd gebruik van kb.",
        epilog="Voorbeelden:\n"
        "  kb controleer\n"
        "  kb controleer content/casussen/amsterdamse-stadsdorpen/elsrijk-right-to-challenge.md\n"
        "  kb controleer --format json > bevindingen.json\n"
        '  kb controleer --format github --samenvatting "$GITHUB_STEP_SUMMARY"\n',
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
    add_json_option(check, "Hetzelfde als --format json.", format_dest="format")
    check.add_argument(
        "--strict", action="store_true", help="Behandel waarschuwingen ook als fouten."
    )
    add_summary_option(
        check,
        "Schrijf ook alle meldingen als tabel (Markdown) aan het eind van dit bestand. "
        "Bedoeld voor de samenvatting van een GitHub-taak.",
    )
    check.add_argument(
        "--vorige",
        type=Path,
        metavar="BESTAND",
        help="De adressen van de vorige versie (gemaakt met 'kb adressen --export'). Een "
        "adres dat daar online stond en nu nergens meer is, is een fout.",
    )
    add_content_option(check)
    check.set_defaults(handler=cmd_check)


def _paths_to_check(parser: argparse.ArgumentParser, raw_paths: list[str]) -> list[Path] | None:
    """The files named on the command line (folders expanded), or None for everything."""
    if not raw_paths:
        return None
    paths: list[Path] = []
    for raw in raw_paths:
        path = Path(raw)
        if path.is_dir() and not path.is_symlink():
            paths.extend(
                p
                for p in sorted(path.rglob("*"))
                if (p.is_file() or p.is_symlink()) and not p.name.startswith(".")
            )
        elif path.is_file() or path.is_symlink():
            paths.append(path)
        else:
            parser.error(f"'{raw}' bestaat niet.")
    return paths


def _not_content(paths: list[Path], content: Path) -> list[Path]:
    """The files kb controleer cannot check: outside ``content`` and not a draft of a case (a
    .md file that starts with a kop), such as README.md or mkdocs.yml."""
    root = Path(os.path.abspath(content))  # a link in content/ is content's (bestand-link)
    strangers = []
    for path in paths:
        if Path(os.path.abspath(path)).is_relative_to(root):
            continue
        if path.suffix.lower() == ".md" and path.is_file():
            with path.open("rb") as file:
                if file.read(4).lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                    continue  # a draft: checked like a case
        strangers.append(path)
    return strangers


def cmd_check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    require_content(parser, args.content)
    paths = _paths_to_check(parser, args.paths)
    strangers = _not_content(paths or [], args.content)
    named = {Path(raw) for raw in args.paths if not Path(raw).is_dir()}
    refused = [p for p in strangers if p in named] or (strangers if strangers == paths else [])
    if refused:
        what = (
            f"'{refused[0].as_posix()}' is geen casus, antwoord of pagina van de handleiding"
            if refused[0] in named
            else f"in '{args.paths[0]}' staat geen casus, antwoord of pagina van de handleiding"
        )
        parser.error(
            f"{what}. kb controleer kijkt naar de bestanden in {args.content.as_posix()}/: casussen in "
            "casussen/<netwerk>/, antwoorden in antwoorden/ en de handleiding in "
            "handleiding/. Een concept van een casus mag ergens anders staan, als het "
            "begint met een kop tussen twee regels ---."
        )
    if strangers:  # a folder with other files too (kb controleer .): only what kb can check
        paths = [p for p in paths if p not in strangers]
    previous = None
    if args.vorige:
        previous, problem = ledger.read_previous(args.vorige)
        if problem:
            print(report.format_finding(problem), file=sys.stderr)
            return EXIT_USAGE
    ledger_file = display_path(args.content / ledger.LEDGER_FILE)
    with_ledger = paths is None or ledger_file in {display_path(p) for p in paths}
    # Parsed cases are needed only for the ledger; sending them between processes costs.
    result = check_content(
        args.content,
        paths,
        keep_cases=with_ledger,
        full_neighbours=with_ledger,
        progress=counter("Bestanden controleren"),
    )
    if with_ledger:
        # The ledger is content too; it is checked against the cases once they are known.
        corpus = build_corpus(result.registry, result.cases, result.answers)
        entries, _, problems = ledger.review(args.content, corpus)
        result.findings.extend(problems)
        if previous is not None:
            pages = ledger.guide_pages([f.uri for f in result.inventory.of(GUIDE)])
            result.findings.extend(
                ledger.compare(
                    previous["adressen"],
                    entries,
                    corpus,
                    str(args.vorige),
                    pages,
                    previous.get("paginas", []),
                )
            )
    files = len(paths) if paths is not None else result.files
    cases, answers = result.reported[CASE], result.reported[ANSWER]
    if args.format == "json":
        print(report.as_json(result.findings, files, cases, answers))
    elif args.format == "github":
        print(report.as_github(result.findings, files, cases))
    else:
        print(report.as_text(result.findings, files, cases, answers))
    if args.samenvatting:
        try:
            with args.samenvatting.open("a", encoding="utf-8") as out:
                out.write(report.as_markdown(result.findings, files, cases))
        except OSError:  # a folder, a folder that does not exist, no permission
            parser.error(f"het bestand '{args.samenvatting}' kan niet worden geschreven.")
    failing = result.findings if args.strict else result.errors
    return EXIT_CONTENT if failing else EXIT_OK


# -- kb schema -----------------------------------------------------------------------------


def add_schema(commands: Commands) -> None:
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
    add_content_option(schema)
    schema.set_defaults(handler=cmd_schema)


def cmd_schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    require_content(parser, args.content)
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


# -- kb adressen ---------------------------------------------------------------------------


class AddressesJson(TypedDict):
    """``kb adressen --json``."""

    ontbreekt: list[str]
    bevindingen: list[report.FindingJson]


def add_addresses(commands: Commands) -> None:
    addresses = commands.add_parser(
        "adressen",
        help="Controleer de lijst met gepubliceerde adressen.",
        description="Elke casus houdt voor altijd zijn adres. De lijst staat in\n"
        "content/gepubliceerd.yml. Deze opdracht toont welke casussen er nog niet in staan,\n"
        "en vult de lijst aan met --bijwerken. Er wordt nooit een adres weggehaald.",
        epilog="Voorbeelden:\n  kb adressen\n  kb adressen --bijwerken\n",
    )
    addresses.add_argument(
        "--bijwerken",
        action="store_true",
        help="Voeg de adressen van nieuwe casussen toe aan de lijst.",
    )
    add_json_option(addresses)
    addresses.add_argument(
        "--export",
        type=Path,
        metavar="BESTAND",
        help="Schrijf alle adressen die deze versie online houdt als JSON, voor "
        "'kb controleer --vorige' op een latere versie.",
    )
    add_content_option(addresses)
    addresses.set_defaults(handler=cmd_addresses)


def cmd_addresses(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    require_content(parser, args.content)
    result = check_content(args.content)
    if result.errors:  # with --json, stdout stays for JSON only
        print(
            report.as_text(result.errors, result.files, 0), file=sys.stderr if args.json else None
        )
        return EXIT_CONTENT
    corpus = build_corpus(result.registry, result.cases, result.answers)
    entries, _, problems = ledger.review(args.content, corpus)
    absent = ledger.missing(entries, corpus)
    if args.export:
        pages = ledger.guide_pages([f.uri for f in result.inventory.of(GUIDE)])
        args.export.write_text(ledger.export(entries, corpus, pages), encoding="utf-8")
    if args.bijwerken and absent and not problems:
        ledger.write(args.content, entries, corpus)
    if args.json:
        data = AddressesJson(
            ontbreekt=absent, bevindingen=[report.finding_json(f) for f in problems]
        )
        print(dumps(data))
    else:
        if problems:
            print(report.as_text(problems, 1, 0))
        if args.export:
            print(f"Adressen geschreven naar {args.export}.")
        if absent and args.bijwerken and not problems:
            print(f"{len(absent)} nieuwe adressen toegevoegd aan {ledger.LEDGER_FILE}.")
        elif absent:
            print(
                f"{len(absent)} casussen of antwoorden staan nog niet in {ledger.LEDGER_FILE}: "
                + ", ".join(absent[:10])
                + (" …" if len(absent) > 10 else "")
            )
            print(
                "Tip: voer 'kb adressen --bijwerken' uit en voeg het bestand toe aan uw wijziging."
            )
        elif not problems:
            print(f"Alle {len(corpus.cases)} adressen staan in {ledger.LEDGER_FILE}.")
    if problems:
        return EXIT_CONTENT
    return EXIT_CONTENT if absent and not (args.bijwerken or args.export) else EXIT_OK


# -- kb nieuw ------------------------------------------------------------------------------


def add_new(commands: Commands) -> None:
    new = commands.add_parser(
        "nieuw",
        help="Maak een nieuwe casus door vragen te beantwoorden.",
        description="Maak een nieuwe casus in de terminal. kb stelt een vraag per veld.\n"
        "Bij een keuzelijst typt u het nummer (of meer nummers met komma's). Verplichte\n"
        "vragen komen terug tot ze zijn beantwoord; bij andere vragen slaat Enter over.\n"
        "Het nummer van de casus vult kb zelf in. Aan het eind wordt de casus\n"
        "gecontroleerd zoals bij 'kb controleer' en opgeslagen.",
        epilog="Voorbeelden:\n  kb nieuw\n  kb nieuw --netwerk omzien-naar-elkaar\n",
    )
    add_network_option(new, "Het netwerk (anders vraagt kb het).")
    add_content_option(new)
    new.set_defaults(handler=cmd_new)


def cmd_new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import intake

    registry, broken = registry_or_exit(parser, args.content)
    if broken:
        return EXIT_CONTENT
    check_network(parser, registry, args.netwerk)
    try:
        outcome = intake.interview(
            args.content, registry, args.netwerk, shared.today(), sys.stdin, sys.stdout
        )
    except intake.Stop:
        print("\nGestopt: er is niets opgeslagen.", file=sys.stderr)
        return EXIT_CONTENT
    if not outcome.ok:
        print(intake.report(outcome, False))
        return EXIT_CONTENT
    outcome.path.parent.mkdir(parents=True, exist_ok=True)
    outcome.path.write_text(outcome.text, encoding="utf-8")
    ledger.record(args.content, shared.today())  # the new address, in the same change
    print()
    print(intake.report(outcome, True))
    print("Controleer de tekst en voeg het bestand toe aan uw wijziging.")
    return EXIT_OK


COMMANDS: dict[str, AddCommand] = {
    "controleer": add_check,
    "schema": add_schema,
    "adressen": add_addresses,
    "nieuw": add_new,
}
