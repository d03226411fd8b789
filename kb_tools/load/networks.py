"""Load, networks and sources: ``content/netwerken.yml`` (prefixes, maintainers, contact,
an own git source) and ``content/bronnen.yml`` (the documents cases cite).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kb_tools.load.checker import Checker
from kb_tools.load.documents import load_yaml_file
from kb_tools.model import Finding, Network, NetworkSource, Source
from kb_tools.schema import ANSWER_PREFIX
from kb_tools.textscan import printable
from kb_tools.urls import EMAIL_ADDRESS

PREFIX = re.compile(r"[a-z]{2,5}\Z", re.ASCII)
#: A GitHub account or team, as CODEOWNERS names it: @naam or @organisatie/team.
MAINTAINER = re.compile(
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]{1,100})?\Z", re.ASCII
)
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


def load_networks(path: Path, rel: str, provinces: tuple[str, ...]) -> tuple[dict, list[Finding]]:
    data, lines, problems = load_yaml_file(path, rel)
    if problems:
        return {}, problems
    check = Checker(rel, lines)
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


def _network_source(check: Checker, item: dict, key: tuple) -> NetworkSource | None:
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
    check = Checker(rel, lines)
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
