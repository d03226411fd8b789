"""PyYAML's errors in B1 Dutch, for ``yamlsafe``: what is wrong and how to fix it, for
every scanner, parser and composer error a content file can trigger. An editor never
sees PyYAML's English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

_QUOTE_HINT = 'Zet de hele waarde tussen aanhalingstekens, bijvoorbeeld: titel: "{example}".'
GENERIC = (
    "deze regel kan niet worden gelezen",
    "Kijk op deze regel naar dubbele punten, aanhalingstekens, haakjes en inspringing. Zet "
    'tekst met een dubbele punt tussen aanhalingstekens: titel: "Zorg: samen doen".',
)

#: PyYAML's errors (libyaml's words and the pure-Python loader's) -> (what is wrong, how to
#: fix it), in B1 Dutch; matched on the error's ``problem`` or ``context``, first match wins.
#: ``True`` as third item: the error shows where the unclosed thing starts (context_mark).
_PROBLEMS: tuple[tuple[tuple[str, ...], str, str, bool], ...] = (
    (
        ("tab character", "'\\t'"),
        "er staat een tab in de inspringing",
        "Spring in met spaties, niet met de Tab-toets. Veel editors zetten tabs om in spaties.",
        False,
    ),
    (
        ("unknown escape character",),
        "er staat een \\ met een teken dat YAML niet kent",
        "Schrijf \\\\ voor een schuine streep, of zet de waarde tussen enkele aanhalingstekens (').",
        False,
    ),
    (
        ("while scanning a quoted scalar", "double-quoted scalar"),
        "een aanhalingsteken wordt niet afgesloten",
        "Zet aan het eind van de waarde hetzelfde aanhalingsteken (\" of ') als aan het "
        'begin. Staat er een " in de tekst zelf, zet de waarde dan tussen enkele '
        "aanhalingstekens (').",
        True,
    ),
    (
        ("mapping values are not allowed",),
        "er staat een dubbele punt (:) midden in een waarde, of de regel springt te ver in",
        _QUOTE_HINT.format(example="Zorg: samen doen")
        + " Een nieuw veld springt even ver in als de velden erboven.",
        False,
    ),
    (
        ("',' or ']'",),
        "een lijst die met [ begint, wordt niet afgesloten met ]",
        "Zet ] aan het eind van de lijst, op dezelfde regel: thema: [vervoer, burenhulp]. "
        "Staat er een dubbele punt in een waarde, zet die waarde dan tussen aanhalingstekens.",
        True,
    ),
    (
        ("',' or '}'",),
        "een groep die met { begint, wordt niet afgesloten met }",
        "Zet } aan het eind, op dezelfde regel, of schrijf elk veld op een eigen regel.",
        True,
    ),
    (
        ("'-' indicator", "block collection"),
        "een lijst met streepjes (-) houdt niet goed op",
        "Zet elk item op een eigen regel met - ervoor, even ver ingesprongen. Een veld na de "
        "lijst springt even ver in als het veld boven de lijst.",
        False,
    ),
    (
        ("could not find expected ':'",),
        "op deze regel staat tekst zonder veldnaam en dubbele punt",
        "Begin een veld met zijn naam en een dubbele punt (naam: waarde). Hoort de tekst bij "
        "de waarde erboven, zet dan de hele waarde tussen aanhalingstekens.",
        False,
    ),
    (
        ("did not find expected key", "expected <block end>", "while parsing a block mapping"),
        "de inspringing klopt niet, of er staat tekst na een afsluitend aanhalingsteken",
        "Laat velden op hetzelfde niveau even ver inspringen, met spaties. Staat er tekst na "
        "het aanhalingsteken waarmee een waarde eindigt, zet dan de hele waarde tussen "
        "aanhalingstekens.",
        False,
    ),
    (
        ("alias", "anchor"),
        "er staat een * of & (een verwijzing in YAML)",
        _QUOTE_HINT.format(example="*nieuw* project"),
        False,
    ),
    (
        ("constructor for the tag", "tag handle", "while parsing a tag", "while scanning a tag"),
        "een waarde begint met !",
        _QUOTE_HINT.format(example="!Samen"),
        False,
    ),
    (
        ("another document", "document start", "document indicator"),
        "er staat een regel met --- of ... midden in de tekst",
        "Haal die regel weg. In een casus staat --- alleen boven en onder de kop.",
        False,
    ),
    (
        ("node content",),
        "er ontbreekt een waarde, of er staat een ] of } te veel",
        "Zet na de dubbele punt een waarde, of haal het losse haakje weg. Begint de waarde "
        "met ] of }, zet haar dan tussen aanhalingstekens.",
        False,
    ),
    (
        ("directive",),
        "er staat een regel die met % begint",
        "Haal die regel weg, of zet de waarde tussen aanhalingstekens.",
        False,
    ),
    (
        ("block scalar",),
        "na | of > mag op dezelfde regel niets anders staan",
        "Zet de tekst op de regels eronder, verder ingesprongen dan de veldnaam.",
        False,
    ),
    (
        ("merge keys",),
        "samenvoegen met << is niet toegestaan",
        "Schrijf elke waarde gewoon uit.",
        False,
    ),
    (
        ("unexpected end of stream",),
        "de tekst houdt onverwacht op",
        "Kijk of elk aanhalingsteken en elk haakje ook wordt afgesloten.",
        False,
    ),
)


@dataclass(frozen=True)
class Place:
    """A 0-based line and column, like PyYAML's marks."""

    line: int
    column: int


#: A value that opens a quote it does not close on its line ("titel: "Buren…").
_OPEN_QUOTE = re.compile(r"""^[ ]*(?:- +)?(?:[^\s:#'"][^:#]*: +)?(["'])(?!.*\1[ ]*(?:#.*)?$)""")


def _unclosed_quote(text: str, error_line: int) -> Place | None:
    """Where a quote opens that is the cause of an error on ``error_line``, or None.

    YAML lets a quoted value run on over lines, so an unclosed quote ends at the next
    quote of the file, often many lines further, and the error is reported there. The
    cause is a line that opens a quote it does not close, whose quote ends on the error
    line (or never)."""
    lines = text.split("\n")
    offset = 0
    for number, line in enumerate(lines[:error_line]):
        match = _OPEN_QUOTE.match(line)
        if match:
            quote = match.group(1)
            closing = _CLOSING[quote].search(text, offset + match.end(1))
            end_line = text.count("\n", 0, closing.start()) if closing else error_line
            if end_line >= error_line:
                return Place(number, match.start(1))
            return None  # a quoted value over several lines, closed well before the error
        offset += len(line) + 1
    return None


_CLOSING = {'"': re.compile(r'(?<!\\)"'), "'": re.compile(r"'(?!')")}


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, str, Any]:
    """What is wrong in B1 Dutch, how to fix it and the mark to report, for one error of
    PyYAML; an error not in ``_PROBLEMS`` gets a general Dutch text (never English)."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    opened = _unclosed_quote(text, mark.line) if mark is not None else None
    if opened is not None:
        return (*_QUOTE_RULE[1:3], opened)
    if "cannot start any token" in problem and mark is not None:
        lines = text.split("\n")
        line = lines[mark.line] if mark.line < len(lines) else ""
        sign = line[mark.column : mark.column + 1]
        if sign == "\t":
            return (*_PROBLEMS[0][1:3], mark)
        visible = sign.isprintable() and sign.strip() != ""
        return (
            f"een waarde begint met '{sign}'"
            if visible
            else "een waarde begint met een teken dat niet mag",
            _QUOTE_HINT.format(example=f"{sign if visible else ''}Samen verder"),
            mark,
        )
    for needles, dutch, hint, at_start in _PROBLEMS:
        if any(n in problem or n in context for n in needles):
            start = exc.context_mark if at_start and exc.context_mark else mark
            return dutch, hint, start
    return (*GENERIC, mark)


_QUOTE_RULE = next(rule for rule in _PROBLEMS if "quoted scalar" in rule[0][0])


def reader_line(text: str, position: int) -> tuple[int, int]:
    """0-based line and column of a character position in ``text``."""
    before = text[:position]
    return before.count("\n"), position - (before.rfind("\n") + 1)
