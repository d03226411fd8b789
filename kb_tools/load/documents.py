"""Load, documents: read one text file (case, answer, guide page, registry) into a record.

Reading never raises for content problems: it returns the record it could make and a list
of findings (encoding, size, frontmatter, YAML syntax, duplicate keys). A byte-order mark
and CRLF line endings are accepted; frontmatter lines are the file's real lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb_tools.layout import (
    MAX_FILE_BYTES,
    MAX_FRONTMATTER_BYTES,
    MAX_REGISTRY_BYTES,
)
from kb_tools.load import yamlsafe
from kb_tools.load.files import finding, read_bytes, refusal
from kb_tools.model import Document, Finding
from kb_tools.textscan import printable

FENCE = re.compile(r"^---[ \t]*$")


def read_text(
    path: Path, rel: str, limit: int = MAX_FILE_BYTES
) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8 text with Unix line endings, or explain why that is impossible."""
    data = read_bytes(path, limit)
    if isinstance(data, tuple):
        return None, [refusal(rel, data[0], data[1], limit)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            finding(
                rel,
                line,
                "codering",
                "Het bestand is niet opgeslagen als UTF-8. Daardoor zijn letters als ë of ö onleesbaar.",
                "Sla het bestand op als 'UTF-8' (in Kladblok: Opslaan als, Codering: UTF-8).",
                column=column,
            )
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [
            finding(
                rel,
                line,
                "codering",
                "Het bestand bevat een nul-teken. Het lijkt geen tekstbestand.",
                "Sla de casus op als gewone tekst (Markdown, UTF-8).",
            )
        ]
    return text, []


@dataclass(frozen=True)
class LoadResult:
    document: Document | None
    findings: tuple[Finding, ...]


def parse_document(path: Path, rel: str, text: str) -> LoadResult:
    """Split frontmatter from body and parse the frontmatter with real file lines."""
    if not text.strip():
        return LoadResult(
            None,
            (
                finding(
                    rel,
                    1,
                    "bestand-leeg",
                    "Het bestand is leeg.",
                    "Begin met een kop tussen twee regels met ---. Zie de handleiding.",
                ),
            ),
        )
    lines = text.split("\n")
    if not FENCE.match(lines[0]):
        return LoadResult(
            None,
            (
                finding(
                    rel,
                    1,
                    "kop-ontbreekt",
                    "Het bestand begint niet met een kop (een regel met ---).",
                    "Zet op de eerste regel --- en sluit de kop af met nog een regel ---.",
                ),
            ),
        )
    end = next(
        (i for i in range(1, len(lines)) if FENCE.match(lines[i]) or lines[i] == "..."), None
    )
    if end is None:
        return LoadResult(
            None,
            (
                finding(
                    rel,
                    1,
                    "kop-niet-afgesloten",
                    "De kop wordt niet afgesloten.",
                    "Zet na het laatste veld een regel met alleen ---.",
                ),
            ),
        )
    yaml_text = "\n".join(lines[1:end])
    if len(yaml_text.encode("utf-8")) > MAX_FRONTMATTER_BYTES:
        return LoadResult(
            None,
            (
                finding(
                    rel,
                    1,
                    "yaml-te-groot",
                    f"De kop is groter dan {MAX_FRONTMATTER_BYTES // 1000} kB.",
                    "Een casus heeft een korte kop. Zet lange tekst in het verhaal eronder.",
                ),
            ),
        )
    parsed = yamlsafe.parse(yaml_text)
    if isinstance(parsed, yamlsafe.YamlProblem):
        return LoadResult(
            None,
            (
                finding(
                    rel,
                    parsed.line + 2,
                    parsed.code,
                    parsed.message,
                    parsed.hint,
                    column=parsed.column + 1,
                ),
            ),
        )
    if not isinstance(parsed.value, dict):
        kind = "leeg" if parsed.value is None else "een lijst of losse tekst"
        return LoadResult(
            None,
            (
                finding(
                    rel,
                    2,
                    "kop-geen-mapping",
                    f"De kop is {kind}, geen reeks velden.",
                    "Schrijf elk veld als 'naam: waarde' op een eigen regel, bijvoorbeeld 'titel: ...'.",
                ),
            ),
        )
    file_lines = {key: (line + 2, column + 1) for key, (line, column) in parsed.lines.items()}
    findings = tuple(
        finding(
            rel,
            line + 2,
            "veld-dubbel",
            f"Het veld '{key[-1]}' staat twee keer in de kop.",
            "Laat één van de twee weg; anders telt alleen de laatste.",
            column=column + 1,
        )
        for key, line, column in parsed.duplicate_keys
    )
    body = "\n".join(lines[end + 1 :])
    document = Document(path, rel, parsed.value, file_lines, body, end + 2)
    return LoadResult(document, findings)


def load_document(path: Path, rel: str) -> LoadResult:
    text, problems = read_text(path, rel)
    if text is None:
        return LoadResult(None, tuple(problems))
    return parse_document(path, rel, text)


def load_yaml_file(
    path: Path, rel: str, limit: int = MAX_REGISTRY_BYTES
) -> tuple[Any, dict, list[Finding]]:
    """Load a whole YAML file (vocabulary or registry) with 1-based file lines; a key
    written twice is a finding (otherwise the second would silently win)."""
    text, problems = read_text(path, rel, limit)
    if text is None:
        return None, {}, problems
    parsed = yamlsafe.parse(text, max_nodes=yamlsafe.MAX_REGISTRY_NODES, part="Dit bestand")
    if isinstance(parsed, yamlsafe.YamlProblem):
        return (
            None,
            {},
            [
                finding(
                    rel,
                    parsed.line + 1,
                    parsed.code,
                    parsed.message,
                    parsed.hint,
                    column=parsed.column + 1,
                )
            ],
        )
    lines = {key: (line + 1, column + 1) for key, (line, column) in parsed.lines.items()}
    duplicates = [
        finding(
            rel,
            line + 1,
            "register-dubbel",
            f"'{printable(str(key[-1]), 60)}' staat twee keer in dit bestand, op hetzelfde niveau.",
            "Laat één van de twee weg of voeg ze samen; anders telt alleen de laatste.",
            column=column + 1,
        )
        for key, line, column in parsed.duplicate_keys
    ]
    return parsed.value, lines, duplicates
