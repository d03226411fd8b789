"""Commands for the helpdesk: ``zoek`` (search), ``similar`` (similar cases, duplicates)
and ``link`` (a case's or answer's permanent link, to paste in an e-mail).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from kb_tools.cli import jsonout
from kb_tools.cli.shared import (
    EXIT_CONTENT,
    EXIT_OK,
    AddCommand,
    Commands,
    add_content_option,
    add_count_option,
    add_json_option,
    add_network_option,
    check_network,
    check_term,
    require_content,
)
from kb_tools.enrich import build_corpus
from kb_tools.facets import (
    FACETS,
    FACETS_BY_NAME,
    KIND_FILTER,
    KINDS,
    NETWORK_FILTER,
    SEARCH_FILTERS,
)
from kb_tools.progress import Progress, number, seconds
from kb_tools.validate import check_content, report

if TYPE_CHECKING:
    from kb_tools.enrich.corpus import Corpus
    from kb_tools.index.helpdesk import Hit
    from kb_tools.validate.duplicates import Duplicate

# -- kb webadres ---------------------------------------------------------------------------


def add_link(commands: Commands) -> None:
    link = commands.add_parser(
        "webadres",
        help="Toon de vaste link van een casus of antwoord, om te plakken in een e-mail.",
        description="Toon de vaste link van een casus (/c/<nummer>/) of een helpdeskantwoord "
        "(/a/<nummer>/), met een regel om ernaar te verwijzen: titel, wie het publiceerde, "
        "link. Het adres van de website komt uit KB_SITE_URL.",
        epilog="Voorbeelden:\n  kb webadres ams-0001\n  kb webadres hd-0002 --json\n",
    )
    link.add_argument("item_id", metavar="NUMMER", help="Het nummer, zoals ams-0001 of hd-0002.")
    add_json_option(link)
    add_content_option(link)
    link.set_defaults(handler=cmd_link)


class LinkJson(TypedDict):
    """``kb webadres --json``."""

    id: str
    titel: str
    url: str
    citaat: str
    lokaal: bool


def cmd_link(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.render.views import answer_view, case_view
    from kb_tools.urls import absolute, short_link

    require_content(parser, args.content)
    result = check_content(args.content)
    corpus = build_corpus(result.registry, result.cases, result.answers)
    item_id = args.item_id.strip().lower()
    local = not jsonout.site_url()
    site_url = jsonout.LOCAL_SITE_URL if local else jsonout.site_url()
    if item_id in corpus.by_id:
        view = case_view(corpus.by_id[item_id], corpus, site_url)
    elif item_id in corpus.answers_by_id:
        view = answer_view(corpus.answers_by_id[item_id], corpus, site_url, {})
    else:
        parser.error(f"'{args.item_id}' bestaat niet (of heeft fouten; zie 'kb controleer').")
    if local:
        print(
            f"Let op: {site_url} is een adres op deze computer (van 'kb bekijk'); het werkt "
            "niet voor anderen. Zet het adres van de echte website in KB_SITE_URL, "
            "bijvoorbeeld: export KB_SITE_URL=https://kennisbank.voorbeeld.nl/",
            file=sys.stderr,
        )
    if args.json:
        data = LinkJson(
            id=item_id,
            titel=view["title"],
            url=jsonout.site_link(short_link(item_id)),
            citaat=view["citation"],
            lokaal=local,
        )
        print(jsonout.dumps(data))
    else:
        link = absolute(site_url, short_link(item_id))
        print(link)
        print(f"{view['citation']} {link}")
    return EXIT_OK


# -- kb vergelijkbaar ----------------------------------------------------------------------


def add_similar(commands: Commands) -> None:
    similar = commands.add_parser(
        "vergelijkbaar",
        help="Toon de casussen die op een casus lijken, met de reden.",
        description="Toon de casussen die het meest lijken op een casus, met een score en de\n"
        "reden in gewone taal. Met --pairs: casussen die waarschijnlijk dubbel zijn\n"
        "(hetzelfde initiatief, gepubliceerd door twee netwerken).",
        epilog="Voorbeelden:\n  kb vergelijkbaar ams-0001\n  kb vergelijkbaar ams-0001 --aantal 10 --json\n"
        "  kb vergelijkbaar --pairs\n",
    )
    similar.add_argument("case_id", nargs="?", metavar="NUMMER", help="Het nummer van de casus.")
    add_count_option(similar, 5, "Hoeveel casussen (standaard: 5).")
    similar.add_argument(
        "--pairs",
        action="store_true",
        help="Toon waarschijnlijk dubbele casussen in plaats van één casus.",
    )
    add_json_option(similar)
    add_content_option(similar)
    similar.set_defaults(handler=cmd_similar)


class SimilarCaseJson(TypedDict):
    id: str
    titel: str
    url: str
    score: float
    redenen: list[str]


class SimilarJson(TypedDict):
    """``kb vergelijkbaar NUMMER --json``."""

    id: str
    titel: str
    resultaten: list[SimilarCaseJson]


class PairJson(TypedDict):
    eerste: str
    tweede: str
    titels: list[str]
    urls: list[str]
    gelijke_tekst: float
    reden: str


class PairsJson(TypedDict):
    """``kb vergelijkbaar --pairs --json``."""

    paren: list[PairJson]


def _pair_json(pair: Duplicate, corpus: Corpus) -> PairJson:
    ids = (pair.first, pair.second)
    return PairJson(
        eerste=pair.first,
        tweede=pair.second,
        titels=[corpus.by_id[i].title for i in ids],
        urls=[jsonout.site_link(corpus.urls[i]) for i in ids],
        gelijke_tekst=pair.overlap,
        reden=pair.reason,
    )


def cmd_similar(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.enrich.similarity import Similarity
    from kb_tools.validate.duplicates import likely_duplicate_cases

    require_content(parser, args.content)
    if not args.pairs and not args.case_id:
        parser.error(
            "noem een casusnummer, bijvoorbeeld 'kb vergelijkbaar ams-0001', of gebruik --pairs."
        )
    if args.aantal < 1:
        parser.error("--aantal moet minstens 1 zijn.")
    result = check_content(args.content)
    if result.errors:  # with --json, stdout stays for JSON only
        print(
            report.as_text(result.errors, result.files, 0), file=sys.stderr if args.json else None
        )
        return EXIT_CONTENT
    corpus = build_corpus(result.registry, result.cases, result.answers)
    if args.pairs:
        pairs = likely_duplicate_cases(list(corpus.cases))
        if args.json:
            print(jsonout.dumps(PairsJson(paren=[_pair_json(p, corpus) for p in pairs])))
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
        parser.error(f"casus '{args.case_id}' bestaat niet (of heeft fouten; zie 'kb controleer').")
    matches = Similarity(corpus).similar(case_id, args.aantal)
    if args.json:
        data = SimilarJson(
            id=case_id,
            titel=corpus.by_id[case_id].title,
            resultaten=[
                SimilarCaseJson(
                    id=m.case_id,
                    titel=corpus.by_id[m.case_id].title,
                    url=jsonout.site_link(corpus.urls[m.case_id]),
                    score=m.score,
                    redenen=list(m.reasons),
                )
                for m in matches
            ],
        )
        print(jsonout.dumps(data))
        return EXIT_OK
    print(f"Lijkt op {case_id}: {corpus.by_id[case_id].title}")
    for rank, m in enumerate(matches, 1):
        print(f"{rank}. {m.case_id}  {m.score:.2f}  {corpus.by_id[m.case_id].title}")
        print(f"   {m.reason_text()}")
    return EXIT_OK


# -- kb zoek -------------------------------------------------------------------------------


def add_search(commands: Commands) -> None:
    search = commands.add_parser(
        "zoek",
        help="Zoek in de casussen, voor de helpdesk.",
        description="Zoek in alle casussen. U krijgt per casus de titel, het nummer, de vaste\n"
        "link en een stukje tekst. Hoofdletters, accenten en vervoegingen maken niet uit;\n"
        "'vpb' vindt ook vennootschapsbelasting, 'cooperatie' ook zorgcoöperatie.\n"
        "Vraagwoorden zoals 'mag' en 'hoe' tellen niet mee. Bij een tikfout zoekt kb zoek\n"
        "ook op het woord dat er het meest op lijkt ('Ook gezocht op: …').\n"
        "De zoekindex staat in .cache/kb-zoek en wordt vanzelf bijgewerkt.",
        epilog='Voorbeelden:\n  kb zoek "right to challenge"\n'
        "  kb zoek vrijwilligers uitkering --wet participatiewet\n"
        "  kb zoek pgb --netwerk haagse-zorgkracht --json\n"
        "  kb zoek vervoer --soort antwoord\n",
    )
    search.add_argument("query", nargs="*", metavar="WOORDEN", help="Waar zoekt u naar?")
    for facet in FACETS:  # the search filters of the site, under the same names
        if facet.search_filter:
            search.add_argument(
                f"--{facet.name}",
                *([f"--{facet.alias}"] if facet.alias else []),
                dest=facet.name,
                metavar="ID",
                help=f"Alleen resultaten met deze term uit '{facet.heading}'.",
            )
    add_network_option(search, "Alleen casussen van dit netwerk.")
    search.add_argument(
        f"--{KIND_FILTER}",
        choices=[value for value, _ in KINDS],
        help="Alleen casussen (casus) of alleen helpdeskantwoorden (antwoord).",
    )
    add_count_option(search, 10, "Hoeveel resultaten (standaard: 10).")
    add_json_option(search)
    add_content_option(search)
    search.add_argument(
        "--cache",
        type=Path,
        metavar="MAP",
        help="Map voor de zoekindex (standaard: .cache/kb-zoek).",
    )
    search.set_defaults(handler=cmd_search)


class HitJson(TypedDict):
    positie: int
    id: str
    titel: str
    netwerk: str
    url: str
    fragment: str
    gevonden_woorden: list[str]
    score: float


class SearchJson(TypedDict):
    """``kb zoek --json``."""

    vraag: str
    ook_gezocht_op: list[str]
    resultaten: list[HitJson]
    niet_doorzocht: list[str]


_MARKED = re.compile(r"\*\*(.+?)\*\*")


def _hit_json(hit: Hit) -> HitJson:
    """The text view marks the words found with **…**; JSON has plain text and the words."""
    found = list(dict.fromkeys(_MARKED.findall(hit.snippet)))
    return HitJson(
        positie=hit.rank,
        id=hit.id,
        titel=hit.title,
        netwerk=hit.network,
        url=jsonout.site_link(hit.link),
        fragment=_MARKED.sub(r"\1", hit.snippet),
        gevonden_woorden=found,
        score=hit.score,
    )


def cmd_search(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kb_tools.index.helpdesk import CACHE_DIR, SearchIndex

    require_content(parser, args.content)
    query = " ".join(args.query).strip()
    filters = {name: getattr(args, name) for name, _ in SEARCH_FILTERS}
    filters[KIND_FILTER] = getattr(args, KIND_FILTER)
    if not query and not any(filters.values()):
        parser.error("geef een of meer zoekwoorden, of een filter zoals --thema.")
    if args.aantal < 1:
        parser.error("--aantal moet minstens 1 zijn.")
    _check_filters(parser, args.content, filters)
    index = SearchIndex(args.content, args.cache or CACHE_DIR)
    started = time.monotonic()
    read, _ = index.update(progress=_index_progress())
    if read > 500 and not args.json:
        print(
            f"Zoekindex bijgewerkt: {number(read)} bestanden gelezen "
            f"({seconds(time.monotonic() - started)}).",
            file=sys.stderr,
        )
    hits = index.search(query, {k: v for k, v in filters.items() if v}, args.aantal)
    if args.json:
        data = SearchJson(
            vraag=query,
            ook_gezocht_op=list(hits.also),
            resultaten=[_hit_json(h) for h in hits],
            niet_doorzocht=list(index.skipped),
        )
        print(jsonout.dumps(data))
        return EXIT_OK
    if index.skipped:
        print(
            f"Let op: {len(index.skipped)} bestanden met fouten zijn niet doorzocht "
            f"(zie 'kb controleer'): {', '.join(index.skipped[:3])}",
            file=sys.stderr,
        )
    if hits.also:
        print(f"Ook gezocht op: {', '.join(hits.also)}")
    if not hits:
        print("Niets gevonden. Tip: gebruik minder of andere woorden, of haal een filter weg.")
        return EXIT_OK
    for hit in hits:
        print(f"{hit.rank}. {hit.title}")
        print(f"   {hit.id} · {hit.network} · /{hit.link}")
        print(f"   {hit.snippet}")
    return EXIT_OK


def _check_filters(
    parser: argparse.ArgumentParser, content: Path, filters: dict[str, str | None]
) -> None:
    """Unknown terms and networks are usage errors (with did-you-mean), not "Niets gevonden"."""
    from kb_tools.load.registry import load_registry

    if not any(value for name, value in filters.items() if name != KIND_FILTER):
        return  # nothing to check: no need to read the registers
    registry = load_registry(content)[0]
    for name, value in filters.items():
        if name == NETWORK_FILTER:
            check_network(parser, registry, value)
        elif name in FACETS_BY_NAME:
            check_term(parser, registry, name, value)


def _index_progress() -> Callable[[int, int], None]:
    """``progress(done, total)`` for a long index build: the files read, then the writing
    (the index tells only from PROGRESS_EVERY files on, so a small update stays quiet)."""
    shown: list[Progress] = []

    def report(done: int, total: int) -> None:
        if not shown:
            shown.append(Progress())
            shown[0].stage("Zoekindex maken: bestanden lezen", total)
        shown[0].advance(done)
        if done >= total:
            shown[0].stage("Zoekindex maken: opslaan")
            shown[0].close()

    return report


COMMANDS: dict[str, AddCommand] = {
    "webadres": add_link,
    "vergelijkbaar": add_similar,
    "zoek": add_search,
}
