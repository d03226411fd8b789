"""Stage 1, load: the registries that cases are checked against.

Vocabularies (``content/vocabulaires/*.yml``), the network registry
(``content/netwerken.yml``) and the source documents (``content/bronnen.yml``) are
content too, edited by people: they get the same findings as cases.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

from kb_tools.layout import NETWORKS_FILE, RESERVED_STEMS, SOURCES_FILE, VOCAB_DIR
from kb_tools.load.documents import load_yaml_file
from kb_tools.load.files import display_path, finding, link_finding
from kb_tools.model import Finding, Network, NetworkSource, Registry, Source, Term, Vocabulary
from kb_tools.schema import ANSWER_PREFIX, FACETS, FACETS_BY_NAME, UNKNOWN
from kb_tools.textscan import printable, text_problems
from kb_tools.urls import EMAIL_ADDRESS, web_url_problem

__all__ = ["NETWORKS_FILE", "SOURCES_FILE", "VOCAB_DIR", "load_registry"]

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z", re.ASCII)
PREFIX = re.compile(r"[a-z]{2,5}\Z", re.ASCII)
#: A GitHub account or team, as CODEOWNERS names it: @naam or @organisatie/team.
MAINTAINER = re.compile(
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]{1,100})?\Z", re.ASCII
)
TEXT_MAX = 2000  # a description in a registry; names and labels are shorter in practice
#: Registries feed every page and the text analysis of every case: their size is bounded
#: (the largest real one has 21 terms of at most 10 synonyms).
MAX_TERMS = 300
MAX_SYNONYMS = 25
MAX_SYNONYM = 80
MAX_ITEMS = 500  # networks in netwerken.yml, documents in bronnen.yml

#: Extra fields a term may have, by kind: url (official text), text, a number, or a choice.
TERM_EXTRA: dict[str, Any] = {
    "url": "url",
    "officiele_titel": "text",
    "afkorting": "text",
    "hoofdthema": "text",
    "eenheid": ("aantal", "euro"),
    "maximum": "number",
}
NETWORK_KEYS = (
    "id naam voorvoegsel regio provincies beschrijving beheerders bron website email contactpagina"
).split()
SOURCE_KEYS = "id titel uitgever jaar bestand beschrijving url".split()
#: Git addresses a network source may use: https, ssh, or a local path / file:// (tests).
SOURCE_URL = re.compile(r"^(https://|ssh://|git@)\S+$")
#: A repository on this machine (file:// or a path) only when KB_BRONNEN_LOKAAL is set: the
#: tests and a maintainer trying a source use that; a pull request can't set it.
LOCAL_SOURCE_URL = re.compile(r"^(file://|/)\S+$")
SOURCE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")

#: Vocabularies the case format depends on; a missing one is an error.
REQUIRED_VOCABULARIES = (*(f.name for f in FACETS), "kengetallen")


class _Checker:
    """Collects findings while reading a hand-written registry file."""

    def __init__(self, rel: str, lines: dict) -> None:
        self.rel = rel
        self.lines = lines
        self.findings: list[Finding] = []

    def line(self, *key: Any) -> int | None:
        path = tuple(key)
        while path:
            if path in self.lines:
                return self.lines[path][0]
            path = path[:-1]
        return 1

    def error(self, key: tuple, code: str, message: str, hint: str) -> None:
        self.findings.append(finding(self.rel, self.line(*key), code, message, hint))

    def text(self, data: dict, key: tuple, name: str, required: bool = True) -> str:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(
                    key,
                    "register-veld-ontbreekt",
                    f"Het veld '{name}' ontbreekt of is leeg.",
                    f"Vul '{name}' in.",
                )
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(
                (*key, name),
                "register-veld-type",
                f"Het veld '{name}' moet tekst zijn.",
                "Schrijf een gewone tekst na de dubbele punt.",
            )
            return ""
        return self.checked((*key, name), name, str(value).strip())

    def checked(self, key: tuple, name: str, text: str) -> str:
        """Text that the site shows: the same rule as for cases (no HTML, nothing
        invisible); a text that breaks it is reported and not used."""
        problems = text_problems(text)
        if len(text) > TEXT_MAX:
            problems.append(("te-lang", f"is {len(text)} tekens lang; hoogstens {TEXT_MAX} mag"))
        for code, what in problems:
            self.error(
                key,
                code,
                f"Het veld '{name}' {what}.",
                "Schrijf gewone tekst, zonder < en >. Typ geplakte tekst opnieuw.",
            )
        return "" if problems else text

    def url(self, data: dict, key: tuple, name: str, allow_mailto: bool = False) -> str | None:
        """An optional web address: only https:// or http:// (or mailto:) with a host."""
        value = data.get(name)
        if value is None or value == "":
            return None
        problem = web_url_problem(value, allow_mailto)
        if problem:
            shown = printable(value, 80) if isinstance(value, str) else type(value).__name__
            self.error(
                (*key, name),
                "link-onveilig",
                f"Het adres in '{name}' ({shown}) kan niet: {problem}",
                "Gebruik een gewoon webadres dat met https:// begint.",
            )
            return None
        return value.strip()

    def unknown_keys(self, data: dict, key: tuple, allowed: list[str] | tuple[str, ...]) -> None:
        for name in data:
            if name not in allowed:
                self.error(
                    (*key, name),
                    "register-veld-onbekend",
                    f"Het veld '{printable(str(name), 40)}' bestaat hier niet.",
                    f"Toegestaan: {', '.join(allowed)}.",
                )

    def text_list(
        self, data: dict, key: tuple, name: str, most: int = MAX_SYNONYMS
    ) -> tuple[str, ...]:
        value = data.get(name) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(
                (*key, name),
                "register-veld-type",
                f"Het veld '{name}' moet een lijst met teksten zijn.",
                "Schrijf het als [a, b].",
            )
            return ()
        if len(value) > most:
            self.error(
                (*key, name),
                "register-te-groot",
                f"'{name}' heeft {len(value)} waarden; hoogstens {most} mag.",
                "Houd de lijst kort: de woorden die mensen echt gebruiken.",
            )
            value = value[:most]
        texts = []
        for index, text in enumerate(value):
            text = self.checked((*key, name, index), name, text.strip())
            if len(text) > MAX_SYNONYM:
                self.error(
                    (*key, name, index),
                    "register-te-groot",
                    f"Een waarde in '{name}' is {len(text)} tekens; hoogstens {MAX_SYNONYM} mag.",
                    "Een synoniem is een woord of een korte woordgroep.",
                )
            elif text:
                texts.append(text)
        return tuple(texts)

    def items(self, data: Any, name: str) -> list[tuple[int, dict]]:
        value = data.get(name) if isinstance(data, dict) else None
        if not isinstance(value, list):
            self.error(
                (name,),
                "register-opbouw",
                f"Het bestand moet een lijst '{name}' hebben.",
                "Kijk naar een ander bestand in dezelfde map als voorbeeld.",
            )
            return []
        most = MAX_TERMS if name == "termen" else MAX_ITEMS
        if len(value) > most:
            self.error(
                (name,),
                "register-te-groot",
                f"'{name}' heeft {len(value)} onderdelen; hoogstens {most} mag.",
                "Splits het bestand, of haal onderdelen weg die niemand gebruikt.",
            )
            value = value[:most]
        result = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                result.append((index, item))
            else:
                self.error(
                    (name, index),
                    "register-opbouw",
                    f"Onderdeel {index + 1} van '{name}' is geen reeks velden.",
                    "Begin elk onderdeel met '- id: ...'.",
                )
        return result

    def unique_id(self, seen: dict, value: str, key: tuple, what: str) -> bool:
        if value in RESERVED_STEMS:
            self.error(
                key,
                "register-id",
                f"De id '{value}' gebruikt de website zelf (voor een overzichtspagina).",
                "Kies een andere id, bijvoorbeeld met een woord erbij.",
            )
            return False
        if not SLUG.match(value):
            self.error(
                key,
                "register-id",
                f"De id '{value}' is ongeldig.",
                "Gebruik kleine letters, cijfers en streepjes, bijvoorbeeld 'zorg-thuis'.",
            )
            return False
        if value in seen:
            self.error(
                key,
                "register-id-dubbel",
                f"De {what} '{value}' staat twee keer in dit bestand.",
                "Elke id mag maar één keer voorkomen.",
            )
            return False
        seen[value] = True
        return True


def load_vocabulary(path: Path, rel: str) -> tuple[Vocabulary | None, list[Finding]]:
    data, lines, problems = load_yaml_file(path, rel)
    if problems:
        return None, problems
    check = _Checker(rel, lines)
    if not isinstance(data, dict):
        check.error((), "register-opbouw", "De woordenlijst is leeg of onleesbaar.", "")
        return None, check.findings
    check.unknown_keys(data, (), ["naam", "veld", "beschrijving", "termen"])
    terms: list[Term] = []
    seen: dict[str, bool] = {}
    for index, item in check.items(data, "termen"):
        key = ("termen", index)
        term_id = check.text(item, key, "id")
        if not term_id or not check.unique_id(seen, term_id, (*key, "id"), "term"):
            continue
        extra = _term_extra(check, item, key)
        terms.append(
            Term(
                id=term_id,
                label=check.text(item, key, "label"),
                description=check.text(item, key, "beschrijving"),
                synonyms=check.text_list(item, key, "synoniemen"),
                extra=extra,
            )
        )
    field_name = data.get("veld")
    vocab = Vocabulary(
        id=path.stem,
        name=check.text(data, (), "naam"),
        field=field_name if isinstance(field_name, str) else None,
        description=check.text(data, (), "beschrijving"),
        terms=tuple(terms),
        path=rel,
    )
    return vocab, check.findings


def _term_extra(check: _Checker, item: dict, key: tuple) -> dict[str, Any]:
    """The extra fields of a term, each checked by its kind (TERM_EXTRA)."""
    check.unknown_keys(item, key, ["id", "label", "beschrijving", "synoniemen", *TERM_EXTRA])
    extra: dict[str, Any] = {}
    for name, kind in TERM_EXTRA.items():
        if name not in item or item[name] is None:
            continue
        value = item[name]
        if kind == "url":
            url = check.url(item, key, name)
            if url:
                extra[name] = url
        elif kind == "text":
            text = check.text(item, key, name, required=False)
            if text:
                extra[name] = text
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                check.error(
                    (*key, name),
                    "register-veld-type",
                    f"'{name}' moet een heel getal groter dan 0 zijn.",
                    "Schrijf alleen cijfers, bijvoorbeeld 100000.",
                )
            else:
                extra[name] = value
        elif value in kind:
            extra[name] = value
        else:
            check.error(
                (*key, name),
                "register-veld-type",
                f"'{name}' moet een van deze zijn: {', '.join(kind)}.",
                "",
            )
    return extra


def load_networks(path: Path, rel: str, provinces: tuple[str, ...]) -> tuple[dict, list[Finding]]:
    data, lines, problems = load_yaml_file(path, rel)
    if problems:
        return {}, problems
    check = _Checker(rel, lines)
    networks: dict[str, Network] = {}
    seen: dict[str, bool] = {}
    prefixes: dict[str, str] = {}
    for index, item in check.items(data, "netwerken"):
        key = ("netwerken", index)
        network_id = check.text(item, key, "id")
        if not network_id or not check.unique_id(seen, network_id, (*key, "id"), "netwerk"):
            continue
        prefix = check.text(item, key, "voorvoegsel")
        if prefix and not PREFIX.match(prefix):
            check.error(
                (*key, "voorvoegsel"),
                "register-voorvoegsel",
                f"Het voorvoegsel '{prefix}' is ongeldig.",
                "Gebruik 2 tot 5 kleine letters, bijvoorbeeld 'ams'.",
            )
        elif prefix == ANSWER_PREFIX:
            check.error(
                (*key, "voorvoegsel"),
                "register-voorvoegsel",
                f"Het voorvoegsel '{prefix}' is voor helpdeskantwoorden (hd-0001).",
                "Kies een ander voorvoegsel voor het netwerk.",
            )
        elif prefix in prefixes:
            check.error(
                (*key, "voorvoegsel"),
                "register-voorvoegsel",
                f"Het voorvoegsel '{prefix}' is al van netwerk '{prefixes[prefix]}'.",
                "Elk netwerk heeft een eigen voorvoegsel.",
            )
        prefixes.setdefault(prefix, network_id)
        region_provinces = check.text_list(item, key, "provincies")
        for province in region_provinces:
            if provinces and province not in provinces:
                check.error(
                    (*key, "provincies"),
                    "register-provincie",
                    f"De provincie '{province}' bestaat niet.",
                    "Gebruik een id uit content/vocabulaires/provincie.yml.",
                )
        check.unknown_keys(item, key, NETWORK_KEYS)
        maintainers = check.text_list(item, key, "beheerders")
        for index, maintainer in enumerate(maintainers):
            if not MAINTAINER.match(maintainer):
                check.error(
                    (*key, "beheerders", index),
                    "register-beheerder",
                    f"'{printable(maintainer, 60)}' is geen GitHub-account of -team.",
                    "Schrijf @naam of @organisatie/team, zonder spaties.",
                )
        maintainers = tuple(m for m in maintainers if MAINTAINER.match(m))
        email = item.get("email")
        if email is not None and (
            not isinstance(email, str) or not EMAIL_ADDRESS.fullmatch(email.strip())
        ):
            check.error(
                (*key, "email"),
                "register-veld-type",
                f"'{printable(str(email), 60)}' is geen e-mailadres.",
                "Schrijf het als info@netwerk.nl.",
            )
            email = None
        if not maintainers:
            check.error(
                key,
                "register-veld-ontbreekt",
                f"Netwerk '{network_id}' heeft geen beheerders.",
                "Noem minstens één GitHub-account of -team bij 'beheerders'.",
            )
        source = _network_source(check, item, key) if "bron" in item else None
        networks[network_id] = Network(
            source=source,
            id=network_id,
            name=check.text(item, key, "naam"),
            prefix=prefix,
            region=check.text(item, key, "regio"),
            provinces=region_provinces,
            description=check.text(item, key, "beschrijving"),
            maintainers=maintainers,
            website=check.url(item, key, "website"),
            email=email.strip() if isinstance(email, str) else None,
            contact_page=check.url(item, key, "contactpagina"),
        )
    return networks, check.findings


def _network_source(check: _Checker, item: dict, key: tuple) -> NetworkSource | None:
    """The optional 'bron:' of a network: url, ref (default main) and map (default: root)."""
    value = item.get("bron")
    key = (*key, "bron")
    if not isinstance(value, dict):
        check.error(
            key,
            "register-bron",
            "Het veld 'bron' moet velden hebben: url, ref en map.",
            "Schrijf bijvoorbeeld: bron: {url: https://github.com/uw-netwerk/casussen, "
            "ref: main, map: casussen}",
        )
        return None
    unknown = sorted(set(value) - {"url", "ref", "map"})
    if unknown:
        check.error(
            key,
            "register-bron",
            f"Onbekend veld in 'bron': {', '.join(map(str, unknown))}.",
            "Een bron heeft alleen url, ref en map.",
        )
    url = check.text(value, key, "url")
    ref = check.text(value, key, "ref", required=False) or "main"
    folder = check.text(value, key, "map", required=False).strip("/")
    ok = True
    local = os.environ.get("KB_BRONNEN_LOKAAL") and LOCAL_SOURCE_URL.match(url or "")
    if url and not SOURCE_URL.match(url) and not local:
        check.error(
            (*key, "url"),
            "register-bron",
            f"Het adres '{url}' is geen git-adres.",
            "Gebruik een adres dat begint met https://, bijvoorbeeld "
            "https://github.com/uw-netwerk/casussen.",
        )
        ok = False
    if not SOURCE_REF.match(ref) or ".." in ref:
        check.error(
            (*key, "ref"),
            "register-bron",
            f"De ref '{ref}' is ongeldig.",
            "Noem een tak of label, bijvoorbeeld 'main'.",
        )
        ok = False
    parts = folder.split("/") if folder else []
    if any(p in ("", ".", "..") or p.startswith(".") or "\\" in p for p in parts):
        check.error(
            (*key, "map"),
            "register-bron",
            f"De map '{folder}' is ongeldig.",
            "Noem een map in de repository, zonder '..', bijvoorbeeld 'casussen'.",
        )
        ok = False
    if not url or not ok:
        return None
    return NetworkSource(url=url, ref=ref, folder=folder)


def load_sources(path: Path, rel: str) -> tuple[dict, list[Finding]]:
    data, lines, problems = load_yaml_file(path, rel)
    if problems:
        return {}, problems
    check = _Checker(rel, lines)
    sources: dict[str, Source] = {}
    seen: dict[str, bool] = {}
    for index, item in check.items(data, "bronnen"):
        key = ("bronnen", index)
        source_id = check.text(item, key, "id")
        if not source_id or not check.unique_id(seen, source_id, (*key, "id"), "bron"):
            continue
        check.unknown_keys(item, key, SOURCE_KEYS)
        year = item.get("jaar")
        sources[source_id] = Source(
            id=source_id,
            title=check.text(item, key, "titel"),
            publisher=check.text(item, key, "uitgever", required=False),
            year=year if isinstance(year, int) else None,
            file=check.text(item, key, "bestand", required=False) or None,
            description=check.text(item, key, "beschrijving", required=False),
            url=check.url(item, key, "url"),
        )
    return sources, check.findings


def _facet_findings(vocab: Vocabulary) -> list[Finding]:
    """A facet's vocabulary has "onbekend" exactly when the facet declares it, and names
    the facet as its field; otherwise pages and search would treat its terms wrongly."""
    facet = FACETS_BY_NAME.get(vocab.id)
    if facet is None:
        return []
    problems = []
    if vocab.field != facet.name:
        problems.append(
            (
                f"Deze woordenlijst hoort bij het veld '{facet.name}', niet bij "
                f"'{printable(str(vocab.field), 40)}'.",
                f"Schrijf bovenaan: veld: {facet.name}",
            )
        )
    if facet.unknown != (vocab.get(UNKNOWN) is not None):
        problems.append(
            (
                f"De woordenlijst '{facet.name}' moet de term '{UNKNOWN}' hebben."
                if facet.unknown
                else f"De woordenlijst '{facet.name}' kent geen term '{UNKNOWN}'.",
                f"Voeg de term '{UNKNOWN}' toe (niet vermeld)."
                if facet.unknown
                else f"Haal de term '{UNKNOWN}' weg; laat het veld in een casus dan leeg.",
            )
        )
    return [finding(vocab.path, None, "woordenlijst-facet", m, h) for m, h in problems]


def load_registry(content_dir: Path) -> tuple[Registry, list[Finding]]:
    """Read vocabularies, networks and sources; every problem becomes a finding."""
    findings: list[Finding] = []
    vocabularies: dict[str, Vocabulary] = {}
    vocab_dir = content_dir / VOCAB_DIR
    paths: list[Path] = []
    if vocab_dir.is_symlink():
        # A linked folder would let files from anywhere on the machine be read.
        findings.append(link_finding(display_path(vocab_dir)))
    elif vocab_dir.is_dir():
        with os.scandir(vocab_dir) as entries:
            paths = sorted(Path(e.path) for e in entries if e.name.endswith(".yml"))
    for path in paths:
        vocab, problems = load_vocabulary(path, display_path(path))
        findings.extend(problems)
        if vocab is not None:
            vocabularies[vocab.id] = vocab
            findings.extend(_facet_findings(vocab))
    for name in REQUIRED_VOCABULARIES:
        if name not in vocabularies:
            findings.append(
                finding(
                    display_path(vocab_dir / f"{name}.yml"),
                    None,
                    "woordenlijst-ontbreekt",
                    f"De woordenlijst '{name}' ontbreekt of is onleesbaar.",
                    "Zet het bestand terug; casussen gebruiken deze lijst.",
                )
            )
    provinces = vocabularies["provincie"].ids() if "provincie" in vocabularies else ()
    networks: dict[str, Network] = {}
    sources: dict[str, Source] = {}
    for name, loader in ((NETWORKS_FILE, "networks"), (SOURCES_FILE, "sources")):
        path = content_dir / name
        rel = display_path(path)
        if not path.is_file():
            findings.append(
                finding(rel, None, "register-ontbreekt", f"Het bestand {name} ontbreekt.", "")
            )
            continue
        if loader == "networks":
            networks, problems = load_networks(path, rel, provinces)
        else:
            sources, problems = load_sources(path, rel)
        findings.extend(problems)
    return Registry(vocabularies, networks, sources), findings


def copy_registry(source: Path, target: Path) -> None:
    """Copy vocabularies, networks and sources, so a corpus is checked against real terms."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / VOCAB_DIR, target / VOCAB_DIR, dirs_exist_ok=True)
    for name in (NETWORKS_FILE, SOURCES_FILE):
        shutil.copy2(source / name, target / name)
