"""The ledger of published addresses (``content/gepubliceerd.yml``), part of enrich.

Helpdesk staff paste links into e-mails, so a published URL must keep working. The
ledger lists, per case or answer id, its first publication date and every URL it ever
had. It is content like any other, so it is validated like content: a mapping of ids,
each with a date, a list of clean site paths under casussen/ or antwoorden/, and maybe
the id that replaces it; no key twice, nothing else.

A build turns old URLs into redirects, fails when an address would disappear or now
shows another case, and refuses an id that comes back for a different case (an id is
never reused). ``kb controleer --vorige`` compares with the addresses of an earlier commit
(``kb adressen --export``), so a pull request cannot delete an entry together with its
case. Every path that adds cases (``kb adressen --bijwerken``, the intake, network
sources) writes the ledger with ``write``, through a YAML library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kb_tools.enrich.corpus import Corpus
from kb_tools.layout import LEDGER_FILE
from kb_tools.load.documents import load_yaml_file
from kb_tools.load.files import display_path, finding
from kb_tools.model import Answer, Case, Finding
from kb_tools.schema import ANSWER_ID_PATTERN, DATE_PATTERN, ID_PATTERN
from kb_tools.textscan import printable
from kb_tools.urls import ledger_path_problem, short_link

__all__ = ["LEDGER_FILE", "Entry", "load_ledger", "review", "write"]

HEADER = """\
# Alle adressen die ooit op de website stonden, per casus en per helpdeskantwoord.
# Een adres mag nooit verdwijnen: kb bouw maakt van een oud adres een doorverwijzing.
# Is een casus verwijderd? Zet dan bij die casus: vervangen_door: <id van een andere casus>.
# Nieuwe casussen voegt u toe met: kb adressen --bijwerken
"""
ENTRY_KEYS = ("gepubliceerd", "adressen", "vervangen_door")
HINT = (
    "Elke regel ziet eruit als:\n"
    "ams-0001:\n  gepubliceerd: 2026-11-23\n  adressen:\n"
    "    - casussen/amsterdamse-stadsdorpen/naam-van-de-casus/"
)


class _Dumper(yaml.SafeDumper):
    """The ledger's own style: dates unquoted (they are read as text), list items indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _published(item: Case | Answer) -> str:
    return (item.date if isinstance(item, Answer) else item.published).isoformat()


def _is_id(value: object) -> bool:
    return isinstance(value, str) and bool(
        ID_PATTERN.match(value) or ANSWER_ID_PATTERN.match(value)
    )


@dataclass
class Entry:
    id: str
    published: str
    urls: list[str] = field(default_factory=list)
    replaced_by: str | None = None
    line: int | None = None


def load_ledger(content_dir: Path) -> tuple[dict[str, Entry], list[Finding]]:
    """The entries of the ledger, and a finding for everything in it that is not an entry."""
    path = content_dir / LEDGER_FILE
    rel = display_path(path)
    if not path.exists() and not path.is_symlink():
        return {}, []
    data, lines, problems = load_yaml_file(path, rel)
    if data is None and not problems:
        return {}, []  # an empty file: nothing published yet
    findings = list(problems)
    if data is not None and not isinstance(data, dict):
        findings.append(
            finding(
                rel,
                1,
                "adressen-ongeldig",
                f"{LEDGER_FILE} is geen lijst van casusnummers met hun adressen.",
                HINT,
            )
        )
        return {}, findings
    entries: dict[str, Entry] = {}
    for case_id, value in (data or {}).items():

        def bad(key: tuple, message: str, hint: str = HINT, at: object = case_id) -> None:
            line = lines.get((at, *key), lines.get((at,), (None, None)))[0]
            findings.append(finding(rel, line, "adressen-ongeldig", message, hint))

        shown = printable(str(case_id), 40)
        if not _is_id(case_id):
            bad((), f"'{shown}' is geen nummer van een casus of antwoord.")
            continue
        if not isinstance(value, dict):
            bad((), f"Bij {shown} horen 'gepubliceerd' en 'adressen'.")
            continue
        ok = True
        for key in value:
            if key not in ENTRY_KEYS:
                bad((key,), f"{shown} heeft een onbekend veld '{printable(str(key), 40)}'.")
                ok = False
        published = value.get("gepubliceerd")
        if not isinstance(published, str) or not DATE_PATTERN.match(published):
            bad(("gepubliceerd",), f"{shown}: 'gepubliceerd' is geen datum (JJJJ-MM-DD).")
            ok = False
        urls = value.get("adressen")
        if not isinstance(urls, list) or not urls:
            bad(("adressen",), f"{shown}: 'adressen' moet een lijst met minstens één adres zijn.")
            ok = False
            urls = []
        for index, url in enumerate(urls):
            problem = ledger_path_problem(url)
            if problem:
                bad(
                    ("adressen", index),
                    f"{shown}: '{printable(str(url), 80)}' is geen adres van de website.",
                    problem,
                )
                ok = False
        replaced = value.get("vervangen_door")
        if replaced is not None and not _is_id(replaced):
            bad(
                ("vervangen_door",),
                f"{shown}: 'vervangen_door' moet één nummer zijn, zoals ams-0002.",
                "Schrijf bijvoorbeeld: vervangen_door: ams-0002",
            )
            ok = False
        if ok:
            entries[case_id] = Entry(
                id=case_id,
                published=published,
                urls=list(dict.fromkeys(urls)),
                replaced_by=replaced,
                line=lines.get((case_id,), (None, None))[0],
            )
    return entries, findings


def check_ledger(
    ledger: dict[str, Entry], corpus: Corpus, content_dir: Path
) -> tuple[dict[str, tuple[str, str]], list[Finding]]:
    """Redirects {old_url: (new_url, title)} for moved or replaced cases, and problems."""
    rel = display_path(content_dir / LEDGER_FILE)
    redirects: dict[str, tuple[str, str]] = {}
    findings: list[Finding] = []
    owner = {url: item_id for item_id, url in corpus.urls.items()}
    for entry in ledger.values():
        for url in entry.urls:
            now = owner.get(url)
            if now is not None and now != entry.id:
                findings.append(
                    finding(
                        rel,
                        entry.line,
                        "adres-hergebruikt",
                        f"Het adres {url} was van {entry.id}, maar nu staat daar {now}. Wie "
                        f"de oude link van {entry.id} volgt, komt bij iets anders uit.",
                        f"Geef het bestand van {now} een andere naam.",
                    )
                )
        case = corpus.item(entry.id)
        if case is not None:
            if entry.published and entry.published != _published(case):
                findings.append(
                    finding(
                        case.path,
                        1,
                        "id-hergebruikt",
                        f"De id {entry.id} was al gepubliceerd op {entry.published} voor een "
                        "andere casus. Een id wordt nooit opnieuw gebruikt.",
                        "Geef deze casus een nieuw nummer. Is het dezelfde casus? Zet dan "
                        f"'gepubliceerd: {entry.published}' terug.",
                    )
                )
            for url in entry.urls:
                if url != corpus.urls[case.id] and url not in owner:
                    redirects[url] = (corpus.urls[case.id], case.title)
            continue
        target = corpus.item(entry.replaced_by or "")
        if target is not None and target.id != entry.id:
            for url in [*entry.urls, short_link(entry.id)]:
                if url not in owner:
                    redirects[url] = (corpus.urls[target.id], target.title)
            continue
        findings.append(
            finding(
                rel,
                entry.line,
                "adres-verdwenen",
                f"{'Antwoord' if entry.id.startswith('hd-') else 'Casus'} {entry.id} is "
                "verdwenen, maar het adres "
                f"{entry.urls[0] if entry.urls else short_link(entry.id)} staat al online.",
                "Zet de casus terug, of zet bij deze casus in gepubliceerd.yml "
                "'vervangen_door: <id>' zodat lezers ergens uitkomen.",
            )
        )
    return redirects, findings


def published(ledger: dict[str, Entry], corpus: Corpus) -> dict[str, list[str]]:
    """Every address this content keeps online, per id: the ledger's and the current ones."""
    addresses: dict[str, list[str]] = {k: list(v.urls) for k, v in ledger.items()}
    for item_id, url in corpus.urls.items():
        urls = addresses.setdefault(item_id, [])
        if url not in urls:
            urls.append(url)
    return {k: addresses[k] for k in sorted(addresses)}


def export(ledger: dict[str, Entry], corpus: Corpus, pages: list[str] = ()) -> str:
    """The published addresses as JSON, for ``kb controleer --vorige`` on a later commit: per
    case and answer id its addresses, and the addresses of the guide pages (``pages``)."""
    data = {"adressen": published(ledger, corpus), "paginas": sorted(pages)}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def compare(
    previous: dict[str, Any],
    ledger: dict[str, Entry],
    corpus: Corpus,
    source: str,
    pages: list[str] = (),
    previous_pages: list[str] = (),
) -> list[Finding]:
    """An address online in an earlier commit that this content no longer keeps."""
    now = published(ledger, corpus)
    findings = [
        finding(
            display_path(Path(source)),
            None,
            "adres-verwijderd",
            f"De pagina {printable(str(url), 100)} stond online, maar deze wijziging haalt "
            "haar weg.",
            "Zet de pagina van de handleiding terug. Een adres mag nooit verdwijnen.",
        )
        for url in sorted(set(previous_pages) - set(pages))
        if isinstance(url, str)
    ]
    for item_id, urls in sorted(previous.items()):
        if not isinstance(urls, list):
            continue
        for url in urls:
            if url not in now.get(item_id, []):
                findings.append(
                    finding(
                        display_path(Path(source)),
                        None,
                        "adres-verwijderd",
                        f"Het adres {printable(str(url), 100)} van {printable(str(item_id), 20)} "
                        "stond online, maar deze wijziging haalt het weg (uit de inhoud én "
                        "uit gepubliceerd.yml).",
                        f"Zet {item_id} terug in {LEDGER_FILE}, met 'vervangen_door: <id>' als "
                        "de casus weg is. Een adres mag nooit verdwijnen.",
                    )
                )
    return findings


def read_previous(path: Path) -> tuple[dict[str, Any] | None, Finding | None]:
    """The export of ``kb adressen --export`` on an earlier commit ("adressen" and
    "paginas")."""
    rel = display_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data.get("adressen"), dict) or not isinstance(
            data.get("paginas", []), list
        ):
            raise TypeError
        return data, None
    except (OSError, ValueError, KeyError, TypeError):
        return None, finding(
            rel,
            None,
            "adressen-ongeldig",
            "Dit bestand is geen uitvoer van 'kb adressen --export'.",
            "Maak het op de vorige versie met: kb adressen --export vorige.json",
        )


def guide_pages(uris: list[str]) -> list[str]:
    """The site addresses of guide pages, from their paths inside content/."""
    return [uri[: -len(".md")] + "/" for uri in uris]


def review(
    content_dir: Path, corpus: Corpus
) -> tuple[dict[str, Entry], dict[str, tuple[str, str]], list[Finding]]:
    """Load and check the ledger: (entries, redirects for moved cases, problems)."""
    entries, problems = load_ledger(content_dir)
    redirects, more = check_ledger(entries, corpus, content_dir)
    return entries, redirects, problems + more


def missing(ledger: dict[str, Entry], corpus: Corpus) -> list[str]:
    """Case and answer ids whose current URL is not yet in the ledger."""
    return sorted(
        c.id
        for c in (*corpus.cases, *corpus.answers)
        if c.id not in ledger or corpus.urls[c.id] not in ledger[c.id].urls
    )


def updated(ledger: dict[str, Entry], corpus: Corpus) -> str:
    """The ledger text with every current URL added; nothing is ever removed."""
    entries = {k: Entry(v.id, v.published, list(v.urls), v.replaced_by) for k, v in ledger.items()}
    for case in (*corpus.cases, *corpus.answers):
        entry = entries.setdefault(case.id, Entry(case.id, _published(case)))
        if corpus.urls[case.id] not in entry.urls:
            entry.urls.append(corpus.urls[case.id])
    data = {}
    for case_id in sorted(entries):
        entry = entries[case_id]
        value: dict[str, Any] = {"gepubliceerd": entry.published}
        if entry.replaced_by:
            value["vervangen_door"] = entry.replaced_by
        value["adressen"] = entry.urls
        data[case_id] = value
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )
    return HEADER + body


def write(content_dir: Path, ledger: dict[str, Entry], corpus: Corpus) -> int:
    """Add every current address to the ledger file (atomically); returns how many ids
    were missing."""
    absent = missing(ledger, corpus)
    if absent:
        path = content_dir / LEDGER_FILE
        tmp = path.with_name(LEDGER_FILE + ".tmp")
        tmp.write_text(updated(ledger, corpus), encoding="utf-8")
        tmp.replace(path)
    return len(absent)


def record(content_dir: Path, today: date | None = None) -> tuple[int, list[Finding]]:
    """Check the content and add every current address to the ledger: what every path
    that adds cases runs (the intake, network sources, ``kb adressen --bijwerken``).
    Returns (ids added, errors that kept the ledger as it was)."""
    from kb_tools.enrich import build_corpus
    from kb_tools.validate import check_content

    result = check_content(content_dir, today=today)
    if result.errors:
        return 0, result.errors
    corpus = build_corpus(result.registry, result.cases, result.answers)
    entries, _, problems = review(content_dir, corpus)
    errors = [f for f in problems if f.severity == "error"]
    if errors:
        return 0, errors
    return write(content_dir, entries, corpus), []
