"""Commands for the repository on GitHub: ``forms`` (issue form), ``from-issue`` (a case
from a filled-in form), ``codeowners`` and ``links`` (external links of the built site).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TypedDict

from kb_tools.cli import jsonout, shared
from kb_tools.cli.shared import (
    EXIT_CONTENT,
    EXIT_OK,
    AddCommand,
    Commands,
    add_content_option,
    add_json_option,
    add_network_option,
    add_summary_option,
    check_network,
    decimal_number,
    registry_or_exit,
    require_content,
    whole_number,
)
from kb_tools.enrich import ledger
from kb_tools.load.registry import load_registry
from kb_tools.validate import report

# -- kb formulieren ------------------------------------------------------------------------


def add_forms(commands: Commands) -> None:
    forms = commands.add_parser(
        "formulieren",
        help="Maak het GitHub-formulier voor een nieuwe casus.",
        description="Maak het GitHub-formulier (issue form) waarmee vrijwilligers een casus\n"
        "voorstellen zonder Git. De vragen en keuzes komen uit het casusformaat en de\n"
        "woordenlijsten. Voer dit opnieuw uit als een woordenlijst of netwerk verandert,\n"
        "en voeg de bestanden toe aan uw wijziging.",
        epilog="Voorbeelden:\n  kb formulieren\n  kb formulieren --out /tmp/formulier\n",
    )
    forms.add_argument(
        "--out",
        type=Path,
        default=Path(".github") / "ISSUE_TEMPLATE",
        metavar="MAP",
        help="Schrijf in deze map (standaard: .github/ISSUE_TEMPLATE).",
    )
    add_content_option(forms)
    forms.set_defaults(handler=cmd_forms)


def cmd_forms(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import forms

    registry, broken = registry_or_exit(parser, args.content)
    if broken:
        return EXIT_CONTENT
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in forms.generate(registry).items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"Geschreven: {args.out / name}")
    return EXIT_OK


# -- kb uit-issue --------------------------------------------------------------------------


def add_from_issue(commands: Commands) -> None:
    from_issue = commands.add_parser(
        "uit-issue",
        help="Maak een casus van een ingevuld GitHub-formulier.",
        description="Lees de tekst van een issue dat met het formulier 'Nieuwe casus' is\n"
        "gemaakt, en maak er een casusbestand van. Geplakte tekst uit Word wordt\n"
        "opgeschoond. Het nummer is het volgende vrije nummer van het netwerk. Het bestand\n"
        "wordt gecontroleerd zoals bij 'kb controleer'. Zonder --schrijf wordt er niets\n"
        "opgeslagen. De meldingen zijn geschreven als reactie op het issue.\n\n"
        "Uitkomst: 0 = de casus is in orde, 1 = er moet iets worden aangepast.",
        epilog="Voorbeelden:\n  kb uit-issue issue.md\n"
        "  kb uit-issue issue.md --netwerk amsterdamse-stadsdorpen --schrijf\n"
        "  kb uit-issue issue.md --bezet utr-0007,utr-0008 --schrijf\n"
        "  gh issue view 12 --json body --jq .body | kb uit-issue - --json\n",
    )
    from_issue.add_argument(
        "bestand", metavar="BESTAND", help="De tekst van het issue (Markdown); - is invoer."
    )
    add_network_option(from_issue, "Het netwerk (standaard: de keuze in het formulier).")
    add_json_option(from_issue)
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
    add_content_option(from_issue)
    from_issue.set_defaults(handler=cmd_from_issue)


class FormMessageJson(TypedDict):
    veld: str
    ernst: str
    melding: str
    code: str


class FromIssueJson(TypedDict):
    """``kb uit-issue --json``; the workflow casus-uit-issue.yml reads ``id`` and ``bestand``."""

    ok: bool
    bestand: str | None
    id: str | None
    geschreven: bool
    meldingen: list[FormMessageJson]


def cmd_from_issue(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import intake

    registry, broken = registry_or_exit(parser, args.content)
    if broken:
        return EXIT_CONTENT
    check_network(parser, registry, args.netwerk)
    if args.bestand == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.bestand)
        if not path.is_file():
            parser.error(f"'{args.bestand}' bestaat niet.")
        text = path.read_bytes().decode("utf-8", errors="replace")
    reserved = _reserved_ids(parser, args.bezet, args.bezet_bestand)
    draft = intake.draft_from_issue(text, registry)
    outcome = intake.build(args.content, registry, draft, args.netwerk, shared.today(), reserved)
    written = outcome.ok and args.schrijf
    if written:
        outcome.path.parent.mkdir(parents=True, exist_ok=True)
        outcome.path.write_text(outcome.text, encoding="utf-8")
        ledger.record(args.content, shared.today())  # the new address, in the same change
    if args.json:
        data = FromIssueJson(
            ok=outcome.ok,
            bestand=str(outcome.path) if outcome.ok else None,
            id=outcome.case_id if outcome.ok else None,
            geschreven=written,
            meldingen=[
                FormMessageJson(
                    veld=m["veld"], ernst=m["ernst"], melding=m["bericht"], code=m.get("code", "")
                )
                for m in outcome.messages
            ],
        )
        print(jsonout.dumps(data))
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


# -- kb codeowners -------------------------------------------------------------------------


def add_codeowners(commands: Commands) -> None:
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
    add_content_option(owners)
    owners.set_defaults(handler=cmd_codeowners)


def cmd_codeowners(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import codeowners

    require_content(parser, args.content)
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


# -- kb linkcontrole -----------------------------------------------------------------------


def add_links(commands: Commands) -> None:
    links = commands.add_parser(
        "linkcontrole",
        help="Controleer de links naar andere websites in de gebouwde website.",
        description="Zoek alle links naar andere websites in de gebouwde website (map site/)\n"
        "en probeer ze één keer. Dode links komen in een lijst. De uitkomst is altijd 0:\n"
        "een dode link houdt de website niet tegen. Bouw eerst met 'kb bouw'.",
        epilog="Voorbeelden:\n  kb linkcontrole\n  kb linkcontrole site --samenvatting links.md --json\n",
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
        type=decimal_number,
        default=10.0,
        metavar="SECONDEN",
        help="Hoe lang één link hoogstens mag duren, alles samen (standaard: 10).",
    )
    links.add_argument(
        "--totaal",
        type=decimal_number,
        default=300.0,
        metavar="SECONDEN",
        help="Hoe lang de hele controle hoogstens mag duren (standaard: 300). Links die dan "
        "nog niet aan de beurt waren, komen bij 'onzeker': niet gecontroleerd.",
    )
    links.add_argument(
        "--tegelijk",
        type=whole_number,
        default=8,
        metavar="N",
        help="Hoeveel links tegelijk proberen (standaard: 8).",
    )
    add_summary_option(links, "Schrijf het verslag (Markdown) aan het eind van dit bestand.")
    add_json_option(links)
    links.set_defaults(handler=cmd_links)


class LinkCheckJson(TypedDict):
    url: str
    status: str
    http_code: int | None
    reden: str
    paginas: list[str]


class LinksJson(TypedDict):
    """``kb linkcontrole --json``; the workflow links.yml reads it."""

    links: list[LinkCheckJson]


def _page_path(page: str) -> str:
    """A built file ("casussen/x/index.html") as the site path a reader opens."""
    return page.removesuffix("index.html")


def cmd_links(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.tooling import linkcheck as links

    if not args.site.is_dir():
        parser.error(f"de map '{args.site}' bestaat niet. Bouw eerst de website met 'kb bouw'.")
    if args.tegelijk < 1 or args.tijd <= 0 or args.totaal <= 0:
        parser.error("--tegelijk, --tijd en --totaal moeten groter dan 0 zijn.")
    own = os.environ.get("KB_SITE_URL", "").strip()
    found = links.external_links(args.site, own)
    results = links.check_links(found, args.tijd, args.tegelijk, total=args.totaal)
    if args.samenvatting:
        try:
            with args.samenvatting.open("a", encoding="utf-8") as out:
                out.write(links.as_markdown(results))
        except OSError:  # a folder, a folder that does not exist, no permission
            parser.error(f"het bestand '{args.samenvatting}' kan niet worden geschreven.")
    if not args.json:
        print(links.as_text(results))
        return EXIT_OK
    data = LinksJson(
        links=[
            LinkCheckJson(
                url=r.url,
                status=r.status,
                http_code=r.code,
                reden=r.reason,
                paginas=[jsonout.site_link(_page_path(page)) for page in r.pages],
            )
            for r in results
        ]
    )
    print(jsonout.dumps(data))
    return EXIT_OK


COMMANDS: dict[str, AddCommand] = {
    "formulieren": add_forms,
    "uit-issue": add_from_issue,
    "codeowners": add_codeowners,
    "linkcontrole": add_links,
}
