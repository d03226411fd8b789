"""Load, registry checker: the rules every registry file shares (ids, texts, lists, unknown
keys, size bounds), so vocabularies, networks and sources give the same findings as cases.
"""

from __future__ import annotations

import re
from typing import Any

from kb_tools.layout import RESERVED_STEMS
from kb_tools.load.files import finding
from kb_tools.model import Finding
from kb_tools.textscan import printable, text_problems
from kb_tools.urls import web_url_problem

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z", re.ASCII)
TEXT_MAX = 2000  # a description in a registry; names and labels are shorter in practice
#: Registries feed every page and the text analysis of every case: their size is bounded
#: (the largest real one has 21 terms of at most 10 synonyms).
MAX_TERMS = 300
MAX_SYNONYMS = 25
MAX_SYNONYM = 80
MAX_ITEMS = 500  # networks in netwerken.yml, documents in bronnen.yml


class Checker:
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
