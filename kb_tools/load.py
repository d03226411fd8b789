"""Stage 1, load: read content files into records, once per build.

Reading never raises for content problems: it returns the record it could make
and a list of findings (encoding, size, frontmatter, YAML syntax). A byte-order
mark and CRLF line endings are accepted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlsafe
from .model import ERROR, WARNING, Document, Finding

MAX_FILE_BYTES = 200_000
MAX_FRONTMATTER_BYTES = 32_000
CASES_DIR = "casussen"
ANSWERS_DIR = "antwoorden"
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})
_FENCE = re.compile(r"^---[ \t]*$")


@dataclass(frozen=True)
class LoadResult:
    document: Document | None
    findings: tuple[Finding, ...]


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd + os.sep):
        return Path(absolute[len(cwd) + 1 :]).as_posix()
    return Path(absolute).as_posix()


def finding(
    file: str,
    line: int | None,
    code: str,
    message: str,
    hint: str = "",
    *,
    column=None,
    severity=ERROR,
) -> Finding:
    return Finding(file, line, column, code, severity, message, hint)


def read_text(path: Path, rel: str) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8 text with Unix line endings, or explain why that is impossible."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                finding(
                    rel,
                    None,
                    "bestand-te-groot",
                    f"Het bestand is {size // 1000} kB. Het mag hoogstens "
                    f"{MAX_FILE_BYTES // 1000} kB zijn.",
                    "Maak de tekst korter of splits hem in twee casussen. "
                    "Zet afbeeldingen in een eigen bestand.",
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        return None, [
            finding(
                rel,
                None,
                "bestand-onleesbaar",
                f"Het bestand kan niet worden gelezen ({exc.strerror or exc}).",
                "Controleer of het bestand bestaat en of u het mag lezen.",
            )
        ]
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
    if not _FENCE.match(lines[0]):
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
        (i for i in range(1, len(lines)) if _FENCE.match(lines[i]) or lines[i] == "..."), None
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


def load_yaml_file(path: Path, rel: str) -> tuple[Any, dict, list[Finding]]:
    """Load a whole YAML file (vocabulary or registry) with 1-based file lines."""
    text, problems = read_text(path, rel)
    if text is None:
        return None, {}, problems
    parsed = yamlsafe.parse(text)
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
    return parsed.value, lines, []


def iter_case_files(content_dir: Path) -> Iterator[Path]:
    """Every file under ``content/casussen`` and ``content/antwoorden`` in a stable order,
    dotfiles excluded."""
    for folder in (CASES_DIR, ANSWERS_DIR):
        root = content_dir / folder
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    yield Path(dirpath) / name


def is_answer(rel: str) -> bool:
    """Is this content path (relative, with /) a helpdesk answer?"""
    return f"/{ANSWERS_DIR}/" in f"/{rel.replace(chr(92), '/')}"


def classify(path: Path) -> str:
    """'case' for Markdown, 'asset' for images, 'other' for anything an editor did not mean."""
    suffix = path.suffix.lower()
    if suffix == ".md":
        return "case"
    if suffix in IMAGE_SUFFIXES:
        return "asset"
    return "other"


def unexpected_file(rel: str, path: Path) -> Finding:
    hint = (
        "Een casus eindigt op .md. Hernoem het bestand."
        if path.suffix.lower() in {".markdown", ".txt", ".mdown"}
        else "Zet hier alleen casussen (.md) en afbeeldingen (png, jpg, webp)."
    )
    return finding(
        rel,
        None,
        "bestand-onbekend",
        "Dit bestand is geen casus en geen afbeelding en wordt niet gepubliceerd.",
        hint,
        severity=WARNING,
    )
