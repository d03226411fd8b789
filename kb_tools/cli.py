"""The ``kb`` command: a thin adapter that calls the pipeline stages.

Only this module turns results into messages and exit codes: 0 all is well,
1 the content has errors, 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from kb_tools import __version__
from kb_tools.enrich import build_corpus, ledger
from kb_tools.load.files import GUIDE, display_path
from kb_tools.load.registry import load_registry
from kb_tools.model import Registry
from kb_tools.schema import json_schema
from kb_tools.tooling import sources
from kb_tools.validate import check_content, report

SITE_URL_DEFAULT = "http://127.0.0.1:8000/"  # as in mkdocs.yml: where kb serve shows it
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


def _content_dir(value: str) -> Path:
    return Path(value)


def _add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=_content_dir,
        default=Path("content"),
        metavar="MAP",
        help="De map met inhoud (standaard: content).",
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
        "  kb check --format json > bevindingen.json\n"
        '  kb check --format github --samenvatting "$GITHUB_STEP_SUMMARY"\n',
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
        "--samenvatting",
        type=Path,
        metavar="BESTAND",
        help="Schrijf ook alle meldingen als tabel (Markdown) aan het eind van dit bestand. "
        "Bedoeld voor de samenvatting van een GitHub-taak.",
    )
    check.add_argument(
        "--vorige",
        type=Path,
        metavar="BESTAND",
        help="De adressen van de vorige versie (gemaakt met 'kb adressen --export'). Een "
        "adres dat daar online stond en nu nergens meer is, is een fout.",
    )
    _add_content_option(check)
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
    _add_content_option(schema)
    schema.set_defaults(handler=cmd_schema)

    build = commands.add_parser(
        "build",
        help="Bouw de website in de map site/.",
        description="Controleer alle inhoud en bouw de website. Bij fouten in de inhoud\n"
        "wordt er niets gebouwd; u ziet dezelfde meldingen als bij 'kb check'.",
        epilog="Voorbeeld:\n  kb build\n  kb build --site /tmp/mijn-site\n"
        "  kb build --netwerk zorgzame-dorpen\n",
    )
    build.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="BESTAND",
        help="Het MkDocs-instellingenbestand (standaard: mkdocs.yml).",
    )
    build.add_argument(
        "--site", type=Path, metavar="MAP", help="Bouw in deze map in plaats van site/."
    )
    build.add_argument(
        "--netwerk",
        metavar="ID",
        help="Bouw een eigen website met alleen de casussen van dit netwerk "
        "(standaard in de map site-<netwerk>/).",
    )
    build.set_defaults(handler=cmd_build)

    sources_cmd = commands.add_parser(
        "bronnen",
        help="Haal de casussen op van netwerken met een eigen bron (git).",
        description="Netwerken met 'bron:' in content/netwerken.yml bewaren hun casussen in\n"
        "een eigen git-repository. 'kb bronnen bijwerken' haalt die op, controleert ze en\n"
        "zet ze in content/casussen/<netwerk>/. De versie komt in content/bronnen.lock.yml.",
        epilog="Voorbeelden:\n  kb bronnen bijwerken\n"
        "  kb bronnen bijwerken --netwerk zorgzame-dorpen --strict\n",
    )
    sources_commands = sources_cmd.add_subparsers(
        dest="bronnen_command", title="Opdrachten", metavar="OPDRACHT", parser_class=DutchParser
    )
    update = sources_commands.add_parser(
        "bijwerken",
        help="Haal elke bron op, controleer hem en leg de versie vast.",
        description="Haal de bron van elk netwerk op, controleer alle bestanden zoals\n"
        "'kb check' dat doet, en zet ze in content/casussen/<netwerk>/. Lukt dat niet\n"
        "(bron onbereikbaar of fouten), dan blijft de vorige goede versie staan.\n\n"
        "Uitkomst: 0 = klaar (ook als een bron niet lukte, behalve met --strict), "
        "1 = een bron lukte niet en --strict staat aan.",
        epilog="Voorbeelden:\n  kb bronnen bijwerken\n"
        "  kb bronnen bijwerken --netwerk zorgzame-dorpen --strict\n",
    )
    update.add_argument("--netwerk", metavar="ID", help="Werk alleen dit netwerk bij.")
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
    _add_content_option(update)
    update.set_defaults(handler=cmd_sources_update)
    sources_cmd.set_defaults(handler=None)

    serve = commands.add_parser(
        "serve",
        help="Bouw de website en bekijk hem in uw browser.",
        description="Bouw de website en start een kleine webserver op uw eigen computer.\n"
        "Als u een casus bewaart, wordt de pagina vanzelf ververst.",
        epilog="Voorbeeld:\n  kb serve\n  kb serve --poort 8001\n",
    )
    serve.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="BESTAND",
        help="Het MkDocs-instellingenbestand (standaard: mkdocs.yml).",
    )
    serve.add_argument(
        "--poort", type=int, default=8000, metavar="NUMMER", help="Poortnummer (standaard: 8000)."
    )
    serve.set_defaults(handler=cmd_serve)

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
    addresses.add_argument("--json", action="store_true", help="Uitvoer als JSON.")
    addresses.add_argument(
        "--export",
        type=Path,
        metavar="BESTAND",
        help="Schrijf alle adressen die deze versie online houdt als JSON, voor "
        "'kb check --vorige' op een latere versie.",
    )
    _add_content_option(addresses)
    addresses.set_defaults(handler=cmd_addresses)

    link = commands.add_parser(
        "link",
        help="Toon de vaste link van een casus of antwoord, om te plakken in een e-mail.",
        description="Toon de vaste link van een casus (/c/<nummer>/) of een helpdeskantwoord "
        "(/a/<nummer>/), met een regel om ernaar te verwijzen: titel, wie het publiceerde, "
        "link. Het adres van de website komt uit KB_SITE_URL.",
        epilog="Voorbeelden:\n  kb link ams-0001\n  kb link hd-0002 --json\n",
    )
    link.add_argument("item_id", metavar="NUMMER", help="Het nummer, zoals ams-0001 of hd-0002.")
    link.add_argument("--json", action="store_true", help="Uitvoer als JSON.")
    _add_content_option(link)
    link.set_defaults(handler=cmd_link)

    similar = commands.add_parser(
        "similar",
        help="Toon de casussen die op een casus lijken, met de reden.",
        description="Toon de casussen die het meest lijken op een casus, met een score en de\n"
        "reden in gewone taal. Met --pairs: casussen die waarschijnlijk dubbel zijn\n"
        "(hetzelfde initiatief, gepubliceerd door twee netwerken).",
        epilog="Voorbeelden:\n  kb similar ams-0001\n  kb similar ams-0001 --aantal 10 --json\n"
        "  kb similar --pairs\n",
    )
    similar.add_argument("case_id", nargs="?", metavar="NUMMER", help="Het nummer van de casus.")
    similar.add_argument(
        "--aantal", type=int, default=5, metavar="N", help="Hoeveel casussen (standaard: 5)."
    )
    similar.add_argument(
        "--pairs",
        action="store_true",
        help="Toon waarschijnlijk dubbele casussen in plaats van één casus.",
    )
    similar.add_argument("--json", action="store_true", help="Uitvoer als JSON.")
    _add_content_option(similar)
    similar.set_defaults(handler=cmd_similar)

    search = commands.add_parser(
        "zoek",
        help="Zoek in de casussen, voor de helpdesk.",
        description="Zoek in alle casussen. U krijgt per casus de titel, het nummer, de vaste\n"
        "link en een stukje tekst. Hoofdletters, accenten en vervoegingen maken niet uit;\n"
        "'vpb' vindt ook vennootschapsbelasting, 'cooperatie' ook zorgcoöperatie.\n"
        "De zoekindex staat in .cache/kb-zoek en wordt vanzelf bijgewerkt.",
        epilog='Voorbeelden:\n  kb zoek "right to challenge"\n'
        "  kb zoek vrijwilligers uitkering --wet participatiewet\n"
        "  kb zoek pgb --netwerk haagse-zorgkracht --json\n",
    )
    search.add_argument("query", nargs="*", metavar="WOORDEN", help="Waar zoekt u naar?")
    search.add_argument("--thema", metavar="ID", help="Alleen casussen met dit thema.")
    search.add_argument("--wet", metavar="ID", help="Alleen casussen met deze wet.")
    search.add_argument("--netwerk", metavar="ID", help="Alleen casussen van dit netwerk.")
    search.add_argument(
        "--aantal", type=int, default=10, metavar="N", help="Hoeveel resultaten (standaard: 10)."
    )
    search.add_argument("--json", action="store_true", help="Uitvoer als JSON.")
    _add_content_option(search)
    search.add_argument(
        "--cache",
        type=Path,
        metavar="MAP",
        help="Map voor de zoekindex (standaard: .cache/kb-zoek).",
    )
    search.set_defaults(handler=cmd_search)

    forms = commands.add_parser(
        "forms",
        help="Maak het GitHub-formulier voor een nieuwe casus.",
        description="Maak het GitHub-formulier (issue form) waarmee vrijwilligers een casus\n"
        "voorstellen zonder Git. De vragen en keuzes komen uit het casusformaat en de\n"
        "woordenlijsten. Voer dit opnieuw uit als een woordenlijst of netwerk verandert,\n"
        "en voeg de bestanden toe aan uw wijziging.",
        epilog="Voorbeelden:\n  kb forms\n  kb forms --out /tmp/formulier\n",
    )
    forms.add_argument(
        "--out",
        type=Path,
        default=Path(".github") / "ISSUE_TEMPLATE",
        metavar="MAP",
        help="Schrijf in deze map (standaard: .github/ISSUE_TEMPLATE).",
    )
    _add_content_option(forms)
    forms.set_defaults(handler=cmd_forms)

    from_issue = commands.add_parser(
        "from-issue",
        help="Maak een casus van een ingevuld GitHub-formulier.",
        description="Lees de tekst van een issue dat met het formulier 'Nieuwe casus' is\n"
        "gemaakt, en maak er een casusbestand van. Geplakte tekst uit Word wordt\n"
        "opgeschoond. Het nummer is het volgende vrije nummer van het netwerk. Het bestand\n"
        "wordt gecontroleerd zoals bij 'kb check'. Zonder --schrijf wordt er niets\n"
        "opgeslagen. De meldingen zijn geschreven als reactie op het issue.\n\n"
        "Uitkomst: 0 = de casus is in orde, 1 = er moet iets worden aangepast.",
        epilog="Voorbeelden:\n  kb from-issue issue.md\n"
        "  kb from-issue issue.md --netwerk amsterdamse-stadsdorpen --schrijf\n"
        "  kb from-issue issue.md --bezet utr-0007,utr-0008 --schrijf\n"
        "  gh issue view 12 --json body --jq .body | kb from-issue - --json\n",
    )
    from_issue.add_argument(
        "bestand", metavar="BESTAND", help="De tekst van het issue (Markdown); - is invoer."
    )
    from_issue.add_argument(
        "--netwerk", metavar="ID", help="Het netwerk (standaard: de keuze in het formulier)."
    )
    from_issue.add_argument("--json", action="store_true", help="Uitvoer als JSON.")
    from_issue.add_argument(
        "--schrijf", action="store_true", help="Sla de casus op als hij in orde is."
    )
    from_issue.add_argument(
        "--bezet",
        action="append",
        default=[],
        metavar="ID[,ID...]",
        help="Nummers die al bezet zijn, bijvoorbeeld door een open pull request met een "
        "nieuwe casus. kb slaat ze over. Mag vaker.",
    )
    from_issue.add_argument(
        "--bezet-bestand",
        type=Path,
        metavar="BESTAND",
        help="Een bestand met bezette nummers, één per regel.",
    )
    _add_content_option(from_issue)
    from_issue.set_defaults(handler=cmd_from_issue)

    new = commands.add_parser(
        "nieuw",
        help="Maak een nieuwe casus door vragen te beantwoorden.",
        description="Maak een nieuwe casus in de terminal. kb stelt een vraag per veld.\n"
        "Bij een keuzelijst typt u het nummer (of meer nummers met komma's). Verplichte\n"
        "vragen komen terug tot ze zijn beantwoord; bij andere vragen slaat Enter over.\n"
        "Het nummer van de casus vult kb zelf in. Aan het eind wordt de casus\n"
        "gecontroleerd zoals bij 'kb check' en opgeslagen.",
        epilog="Voorbeelden:\n  kb nieuw\n  kb nieuw --netwerk omzien-naar-elkaar\n",
    )
    new.add_argument("--netwerk", metavar="ID", help="Het netwerk (anders vraagt kb het).")
    _add_content_option(new)
    new.set_defaults(handler=cmd_new)

    bench = commands.add_parser(
        "bench",
        help="Meet de snelheid en grootte van de hele pijplijn.",
        description="Maak een nep-verzameling casussen (altijd dezelfde) in een tijdelijke map en\n"
        "meet kb check, elke stap van de build, de grootte van de website, en dezelfde\n"
        "pagina's gebouwd met standaard Material (ter vergelijking). Een meting, geen test.",
        epilog="Voorbeelden:\n  kb bench --cases 1000\n"
        "  kb bench --cases 1000 10000 --out bench.json --markdown bench.md\n",
    )
    bench.add_argument(
        "--cases",
        type=int,
        nargs="+",
        default=[1000],
        metavar="AANTAL",
        help="Aantal casussen; meerdere aantallen geven ook de groei.",
    )
    bench.add_argument("--out", type=Path, metavar="BESTAND", help="Schrijf de meting als JSON.")
    bench.add_argument(
        "--markdown", type=Path, metavar="BESTAND", help="Schrijf de tabel als Markdown."
    )
    bench.add_argument("--json", action="store_true", help="Druk JSON af in plaats van de tabel.")
    bench.add_argument(
        "--zonder-vijandig",
        action="store_true",
        help="Sla de meting met vijandige casussen over (kb check en build met één casus "
        "die de website zwaar maakt).",
    )
    bench.set_defaults(handler=cmd_bench)

    owners = commands.add_parser(
        "codeowners",
        help="Maak .github/CODEOWNERS uit de lijst met netwerken.",
        description="Maak het bestand dat GitHub vertelt wie wat nakijkt. De beheerders van\n"
        "een netwerk kijken de casussen in de map van hun netwerk na; het kernteam de rest.\n"
        "De gegevens komen uit content/netwerken.yml. Zonder --out komt de tekst op het scherm.",
        epilog="Voorbeelden:\n  kb codeowners\n  kb codeowners --out .github/CODEOWNERS\n",
    )
    owners.add_argument(
        "--out", type=Path, metavar="PAD", help="Schrijf naar dit bestand in plaats van het scherm."
    )
    _add_content_option(owners)
    owners.set_defaults(handler=cmd_codeowners)

    links = commands.add_parser(
        "links",
        help="Controleer de links naar andere websites in de gebouwde website.",
        description="Zoek alle links naar andere websites in de gebouwde website (map site/)\n"
        "en probeer ze één keer. Dode links komen in een lijst. De uitkomst is altijd 0:\n"
        "een dode link houdt de website niet tegen. Bouw eerst met 'kb build'.",
        epilog="Voorbeelden:\n  kb links\n  kb links site --samenvatting links.md --json\n",
    )
    links.add_argument(
        "site",
        nargs="?",
        type=Path,
        default=Path("site"),
        metavar="MAP",
        help="De gebouwde website (standaard: site).",
    )
    links.add_argument(
        "--tijd",
        type=float,
        default=10.0,
        metavar="SECONDEN",
        help="Hoe lang één link hoogstens mag duren, alles samen (standaard: 10).",
    )
    links.add_argument(
        "--totaal",
        type=float,
        default=300.0,
        metavar="SECONDEN",
        help="Hoe lang de hele controle hoogstens mag duren (standaard: 300). Links die dan "
        "nog niet aan de beurt waren, komen bij 'onzeker': niet gecontroleerd.",
    )
    links.add_argument(
        "--tegelijk",
        type=int,
        default=8,
        metavar="N",
        help="Hoeveel links tegelijk proberen (standaard: 8).",
    )
    links.add_argument(
        "--samenvatting",
        type=Path,
        metavar="BESTAND",
        help="Schrijf het verslag (Markdown) aan het eind van dit bestand.",
    )
    links.add_argument("--json", action="store_true", help="Uitvoer als JSON.")
    links.set_defaults(handler=cmd_links)
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
    previous = None
    if args.vorige:
        previous, problem = ledger.read_previous(args.vorige)
        if problem:
            print(report.format_finding(problem), file=sys.stderr)
            return EXIT_USAGE
    result = check_content(args.content, paths)
    ledger_file = display_path(args.content / ledger.LEDGER_FILE)
    if paths is None or ledger_file in {display_path(p) for p in paths}:
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
    if paths is None:
        cases, answers = len(result.cases), len(result.answers)
    else:
        wanted = {display_path(p) for p in paths}  # once, not once per case
        cases = sum(1 for c in result.cases if display_path(Path(c.path)) in wanted)
        answers = sum(1 for a in result.answers if display_path(Path(a.path)) in wanted)
    if args.format == "json":
        print(report.as_json(result.findings))
    elif args.format == "github":
        print(report.as_github(result.findings, files, cases))
    else:
        print(report.as_text(result.findings, files, cases, answers))
    if args.samenvatting:
        with args.samenvatting.open("a", encoding="utf-8") as out:
            out.write(report.as_markdown(result.findings, files, cases))
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


def _mkdocs(args: list[str], extra_env: dict[str, str] | None = None) -> int:
    """Run the site engine as its own process: the CLI never depends on its internals."""
    # KB_PROGRESS: the plugin reports progress; the banner is about other tools, not ours.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_PROGRESS": "1", **(extra_env or {})}
    if "KB_NETWERK" not in (extra_env or {}):
        env.pop("KB_NETWERK", None)
    return subprocess.call([sys.executable, "-m", "mkdocs", *args], env=env)


def cmd_build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.config.is_file():
        parser.error(
            f"het bestand '{args.config}' bestaat niet. Start kb in de map van de kennisbank."
        )
    env = {}
    site = args.site or Path("site")
    if args.netwerk:
        # The plugin checks the id against the registry and builds only this network.
        env["KB_NETWERK"] = args.netwerk
        site = args.site or Path(f"site-{args.netwerk}")
    print("De website wordt gebouwd. Dit kan even duren.", flush=True)
    started = time.monotonic()
    command = ["build", "--clean", "--quiet", "--config-file", str(args.config)]
    if args.site or args.netwerk:
        command += ["--site-dir", str(site)]
    code = _mkdocs(command, env)
    if code != 0:
        print("De website is niet gebouwd. Lees de meldingen hierboven.", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Klaar: de website staat in {site}/ ({time.monotonic() - started:.1f} s).")
    return EXIT_OK


def cmd_sources_update(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    registry, failed = _registry_or_exit(parser, args.content)
    if failed:
        return EXIT_CONTENT
    _check_network(parser, registry, args.netwerk)
    with_source = [n.id for n in registry.networks.values() if n.source is not None]
    if args.netwerk and args.netwerk not in with_source:
        parser.error(f"het netwerk '{args.netwerk}' heeft geen 'bron' in content/netwerken.yml.")
    if not with_source:
        print("Geen enkel netwerk heeft een eigen bron. Er is niets bij te werken.")
        return EXIT_OK
    results = sources.update(args.content, args.cache, args.netwerk, _today())
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


def cmd_serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.config.is_file():
        parser.error(
            f"het bestand '{args.config}' bestaat niet. Start kb in de map van de kennisbank."
        )
    print(f"De website komt op http://127.0.0.1:{args.poort}/ . Stoppen: Ctrl+C.", flush=True)
    return _mkdocs(
        ["serve", "--config-file", str(args.config), "--dev-addr", f"127.0.0.1:{args.poort}"]
    )


def cmd_addresses(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    _require_content(parser, args.content)
    result = check_content(args.content)
    if result.errors:
        print(report.as_text(result.errors, result.files, 0))
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
        print(
            json.dumps(
                {"ontbreekt": absent, "bevindingen": [f.as_dict() for f in problems]},
                ensure_ascii=False,
                indent=2,
            )
        )
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


def cmd_link(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.render.views import answer_view, case_view
    from kb_tools.urls import absolute, short_link

    _require_content(parser, args.content)
    result = check_content(args.content)
    corpus = build_corpus(result.registry, result.cases, result.answers)
    item_id = args.item_id.strip().lower()
    site_url = os.environ.get("KB_SITE_URL", "").strip() or SITE_URL_DEFAULT
    if item_id in corpus.by_id:
        view = case_view(corpus.by_id[item_id], corpus, site_url)
    elif item_id in corpus.answers_by_id:
        view = answer_view(corpus.answers_by_id[item_id], corpus, site_url, {})
    else:
        parser.error(f"'{args.item_id}' bestaat niet (of heeft fouten; zie 'kb check').")
    link = absolute(site_url, short_link(item_id))
    if args.json:
        print(
            json.dumps(
                {"id": item_id, "titel": view["title"], "link": link, "citaat": view["citation"]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(link)
        print(f"{view['citation']} {link}")
    return EXIT_OK


def cmd_similar(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.enrich.similarity import Similarity
    from kb_tools.validate.duplicates import likely_duplicate_cases

    _require_content(parser, args.content)
    if not args.pairs and not args.case_id:
        parser.error(
            "noem een casusnummer, bijvoorbeeld 'kb similar ams-0001', of gebruik --pairs."
        )
    if args.aantal < 1:
        parser.error("--aantal moet minstens 1 zijn.")
    result = check_content(args.content)
    if result.errors:
        print(report.as_text(result.errors, result.files, 0))
        return EXIT_CONTENT
    corpus = build_corpus(result.registry, result.cases, result.answers)
    if args.pairs:
        pairs = likely_duplicate_cases(list(corpus.cases))
        if args.json:
            print(json.dumps([p.__dict__ for p in pairs], ensure_ascii=False, indent=2))
        elif not pairs:
            print("Geen waarschijnlijk dubbele casussen gevonden.")
        else:
            for p in pairs:
                a, b = corpus.by_id[p.first], corpus.by_id[p.second]
                print(
                    f"{p.first} en {p.second}: {p.reason}, {round(p.overlap * 100)}% gelijke tekst"
                )
                print(f"    {a.title} ({a.path})\n    {b.title} ({b.path})")
        return EXIT_OK
    case_id = args.case_id.strip().lower()
    if case_id not in corpus.by_id:
        parser.error(f"casus '{args.case_id}' bestaat niet (of heeft fouten; zie 'kb check').")
    matches = Similarity(corpus).similar(case_id, args.aantal)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": m.case_id,
                        "titel": corpus.by_id[m.case_id].title,
                        "score": m.score,
                        "redenen": list(m.reasons),
                        "url": corpus.urls[m.case_id],
                    }
                    for m in matches
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    print(f"Lijkt op {case_id}: {corpus.by_id[case_id].title}")
    for rank, m in enumerate(matches, 1):
        print(f"{rank}. {m.case_id}  {m.score:.2f}  {corpus.by_id[m.case_id].title}")
        print(f"   {m.reason_text()}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.index.helpdesk import CACHE_DIR, SearchIndex

    _require_content(parser, args.content)
    query = " ".join(args.query).strip()
    filters = {"thema": args.thema, "wet": args.wet, "netwerk": args.netwerk}
    if not query and not any(filters.values()):
        parser.error("geef een of meer zoekwoorden, of een filter zoals --thema.")
    if args.aantal < 1:
        parser.error("--aantal moet minstens 1 zijn.")
    index = SearchIndex(args.content, args.cache or CACHE_DIR)
    started = time.monotonic()
    read, _ = index.update()
    if read > 500 and not args.json:
        print(
            f"Zoekindex bijgewerkt: {read} bestanden gelezen ({time.monotonic() - started:.1f} s).",
            file=sys.stderr,
        )
    hits = index.search(query, {k: v for k, v in filters.items() if v}, args.aantal)
    if args.json:
        print(
            json.dumps(
                {
                    "vraag": query,
                    "resultaten": [h.__dict__ for h in hits],
                    "niet_doorzocht": index.skipped,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    if index.skipped:
        print(
            f"Let op: {len(index.skipped)} bestanden met fouten zijn niet doorzocht "
            f"(zie 'kb check'): {', '.join(index.skipped[:3])}",
            file=sys.stderr,
        )
    if not hits:
        print("Niets gevonden. Tip: gebruik minder of andere woorden, of haal een filter weg.")
        return EXIT_OK
    for hit in hits:
        print(f"{hit.rank}. {hit.title}")
        print(f"   {hit.id} · {hit.network} · /{hit.link}")
        print(f"   {hit.snippet}")
    return EXIT_OK


def _registry_or_exit(parser: argparse.ArgumentParser, content: Path) -> tuple[Registry, bool]:
    _require_content(parser, content)
    registry, findings = load_registry(content)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        print(report.as_text(errors, 0, 0), file=sys.stderr)
    return registry, bool(errors)


def _check_network(
    parser: argparse.ArgumentParser, registry: Registry, network: str | None
) -> None:
    if network and network not in registry.networks:
        parser.error(
            f"het netwerk '{network}' bestaat niet. Kies uit: {', '.join(registry.networks)}."
        )


def cmd_forms(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import forms

    registry, broken = _registry_or_exit(parser, args.content)
    if broken:
        return EXIT_CONTENT
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in forms.generate(registry).items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"Geschreven: {args.out / name}")
    return EXIT_OK


def cmd_from_issue(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import intake

    registry, broken = _registry_or_exit(parser, args.content)
    if broken:
        return EXIT_CONTENT
    _check_network(parser, registry, args.netwerk)
    if args.bestand == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.bestand)
        if not path.is_file():
            parser.error(f"'{args.bestand}' bestaat niet.")
        text = path.read_bytes().decode("utf-8", errors="replace")
    reserved = _reserved_ids(parser, args.bezet, args.bezet_bestand)
    draft = intake.draft_from_issue(text, registry)
    outcome = intake.build(args.content, registry, draft, args.netwerk, _today(), reserved)
    written = outcome.ok and args.schrijf
    if written:
        outcome.path.parent.mkdir(parents=True, exist_ok=True)
        outcome.path.write_text(outcome.text, encoding="utf-8")
        ledger.record(args.content, _today())  # the new address, in the same change
    if args.json:
        data = {
            "ok": outcome.ok,
            "bestand": str(outcome.path) if outcome.ok else None,
            "id": outcome.case_id if outcome.ok else None,
            "geschreven": written,
            "meldingen": outcome.messages,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(intake.report(outcome, written))
    return EXIT_OK if outcome.ok else EXIT_CONTENT


def _reserved_ids(
    parser: argparse.ArgumentParser, values: list[str], path: Path | None
) -> set[str]:
    """The ids of --bezet (comma-separated, repeatable) and --bezet-bestand (one a line)."""
    from kb_tools.tooling.casefile import CASE_ID

    parts = [part.strip() for value in values for part in value.split(",")]
    if path is not None:
        if not path.is_file():
            parser.error(f"het bestand '{path}' bestaat niet.")
        parts += path.read_text(encoding="utf-8", errors="replace").splitlines()
    ids = set()
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not CASE_ID.fullmatch(part):
            parser.error(f"'{part[:40]}' is geen nummer van een casus (zoals utr-0007).")
        ids.add(part)
    return ids


def cmd_new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import intake

    registry, broken = _registry_or_exit(parser, args.content)
    if broken:
        return EXIT_CONTENT
    _check_network(parser, registry, args.netwerk)
    try:
        outcome = intake.interview(
            args.content, registry, args.netwerk, _today(), sys.stdin, sys.stdout
        )
    except intake.Stop:
        print("\nGestopt: er is niets opgeslagen.", file=sys.stderr)
        return EXIT_CONTENT
    if not outcome.ok:
        print(intake.report(outcome, False))
        return EXIT_CONTENT
    outcome.path.parent.mkdir(parents=True, exist_ok=True)
    outcome.path.write_text(outcome.text, encoding="utf-8")
    ledger.record(args.content, _today())  # the new address, in the same change
    print()
    print(intake.report(outcome, True))
    print("Controleer de tekst en voeg het bestand toe aan uw wijziging.")
    return EXIT_OK


def _today() -> date:
    """Today, or KB_VANDAAG (JJJJ-MM-DD) for reproducible tests and demos."""
    fixed = os.environ.get("KB_VANDAAG", "").strip()
    return date.fromisoformat(fixed) if fixed else date.today()


def cmd_bench(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.bench import run as bench

    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file() or not (root / "content").is_dir():
        parser.error("start kb bench in de map van de kennisbank (met mkdocs.yml en content/).")
    if any(n < 2 for n in args.cases):
        parser.error("--cases moet minstens 2 zijn.")
    quiet = args.json

    def say(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr, flush=True)

    result = bench.run(args.cases, root, say, with_hostile=not args.zonder_vijandig)
    text = bench.table(result)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2) if args.json else text)
    return EXIT_OK


def cmd_codeowners(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import codeowners

    _require_content(parser, args.content)
    registry, findings = load_registry(args.content)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        print(report.as_text(errors, 1, 0), file=sys.stderr)
        return EXIT_CONTENT
    text = codeowners.render(registry.networks)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"{args.out} geschreven: {len(registry.networks)} netwerken.")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_links(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import linkcheck as links

    if not args.site.is_dir():
        parser.error(f"de map '{args.site}' bestaat niet. Bouw eerst de website met 'kb build'.")
    if args.tegelijk < 1 or args.tijd <= 0 or args.totaal <= 0:
        parser.error("--tegelijk, --tijd en --totaal moeten groter dan 0 zijn.")
    own = os.environ.get("KB_SITE_URL", "").strip()
    found = links.external_links(args.site, own)
    results = links.check_links(found, args.tijd, args.tegelijk, total=args.totaal)
    if args.samenvatting:
        with args.samenvatting.open("a", encoding="utf-8") as out:
            out.write(links.as_markdown(results))
    print(links.as_json(results) if args.json else links.as_text(results))
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
