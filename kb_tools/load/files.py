"""Load, files: what every file under ``content/`` is, and the one safe way to read it.

``scan_content`` walks ``content/`` once and says what every file is (case, answer,
guide page, image, registry), refusing what may never be read or published: symbolic
links, devices, files a browser would run (.html, .js, .css), badly named files and
images that are not what their name says. ``read_bytes`` never follows a link and never
blocks on a pipe.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kb_tools.layout import (
    ACTIVE_SUFFIXES,
    ANSWERS_DIR,
    CASES_DIR,
    FOLDER_NAME,
    GUIDE_DIR,
    IMAGE_SUFFIXES,
    IMAGE_TYPES,
    MAX_FILE_BYTES,
    MAX_IMAGE_BYTES,
    REGISTRY_FILES,
    VOCAB_DIR,
    image_type,
    name_problem,
)
from kb_tools.model import ERROR, WARNING, Finding
from kb_tools.textscan import printable

__all__ = ["ANSWERS_DIR", "CASES_DIR", "IMAGE_SUFFIXES", "MAX_FILE_BYTES"]  # used elsewhere
#: What a file under content/ is.
CASE, ANSWER, GUIDE, IMAGE, VOCABULARY, REGISTRY, OTHER = (
    "casus",
    "antwoord",
    "handleiding",
    "afbeelding",
    "woordenlijst",
    "register",
    "anders",
)
_KINDS = {CASES_DIR: CASE, ANSWERS_DIR: ANSWER, GUIDE_DIR: GUIDE}
#: Kinds that MkDocs may publish as they are (guide pages are rendered, images copied).
PUBLISHED_AS_IS = frozenset({GUIDE, IMAGE})
MAX_ENTRIES = 100_000  # files and folders under content/: more is not a knowledge base


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd + os.sep):
        return printable(Path(absolute[len(cwd) + 1 :]).as_posix(), 400)
    return printable(Path(absolute).as_posix(), 400)


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


def read_bytes(path: Path, limit: int) -> bytes | tuple[str, int]:
    """The bytes of a regular file, never through a symbolic link; or (reason, size) with
    reason 'groot', 'link', 'soort' or an error text."""
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            return ("link", 0)
        return (exc.strerror or str(exc), 0)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return ("soort", 0)
        if info.st_size > limit:
            return ("groot", info.st_size)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # grew while we read it
                return ("groot", size)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return (exc.strerror or str(exc), 0)
    finally:
        os.close(fd)


def refusal(rel: str, reason: str, size: int, limit: int) -> Finding:
    if reason == "groot":
        return finding(
            rel,
            None,
            "bestand-te-groot",
            f"Het bestand is {size // 1000} kB. Het mag hoogstens {limit // 1000} kB zijn.",
            "Maak de tekst korter of splits hem in twee casussen. "
            "Zet afbeeldingen in een eigen bestand.",
        )
    if reason == "link":
        return link_finding(rel)
    if reason == "soort":
        return kind_finding(rel)
    return finding(
        rel,
        None,
        "bestand-onleesbaar",
        f"Het bestand kan niet worden gelezen ({reason}).",
        "Controleer of het bestand bestaat en of u het mag lezen.",
    )


def link_finding(rel: str) -> Finding:
    return finding(
        rel,
        None,
        "bestand-link",
        "Dit is een snelkoppeling (symbolische link) naar een ander bestand of een andere "
        "map. De kennisbank leest en publiceert die nooit.",
        "Zet het echte bestand hier neer in plaats van een link, of haal de link weg.",
    )


def kind_finding(rel: str) -> Finding:
    return finding(
        rel,
        None,
        "bestand-soort",
        "Dit is geen gewoon bestand (maar bijvoorbeeld een apparaat of een pijp).",
        "Haal het weg. In content/ horen alleen tekstbestanden en afbeeldingen.",
    )


# -- the content folder ------------------------------------------------------------------


@dataclass(frozen=True)
class ContentFile:
    """One file under content/: where it is on disk, its path inside content/ (``uri``,
    with /), how findings name it (``rel``) and what it is (``kind``)."""

    path: Path
    uri: str
    rel: str
    kind: str


@dataclass
class Inventory:
    """Every file under content/ that may be read, and findings for every one that may not."""

    files: list[ContentFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def of(self, *kinds: str) -> list[ContentFile]:
        return [f for f in self.files if f.kind in kinds]

    def published_as_is(self) -> set[str]:
        """The ``uri`` of every file MkDocs may publish itself (guide pages and images),
        only when it has no error of its own."""
        bad = {f.file for f in self.findings if f.severity == ERROR}
        return {f.uri for f in self.files if f.kind in PUBLISHED_AS_IS and f.rel not in bad}


def kind_of(uri: str) -> str:
    """What a file is by where it sits in content/ and its suffix (``uri`` with /)."""
    top, slash, rest = uri.partition("/")
    dot = uri.rfind(".")
    suffix = uri[dot:].lower() if dot > uri.rfind("/") else ""
    if not slash:
        return REGISTRY if uri in REGISTRY_FILES else OTHER
    if top == VOCAB_DIR:
        return VOCABULARY if "/" not in rest and suffix == ".yml" else OTHER
    if top in _KINDS:
        if suffix in IMAGE_SUFFIXES:
            return IMAGE
        if suffix == ".md":
            return _KINDS[top]
    return OTHER


def kind_of_path(path: Path) -> str:
    """The kind of a file named outside a content folder (``kb controleer path``, the intake's
    draft): by the last casussen/ or antwoorden/ in its path."""
    parts = path.parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in (CASES_DIR, ANSWERS_DIR, GUIDE_DIR):
            return kind_of("/".join(parts[index:]))
    return CASE if path.suffix.lower() == ".md" else OTHER


def scan_content(content_dir: Path) -> Inventory:
    """Walk content/ once, without following links; hidden files and folders are skipped,
    as MkDocs skips them."""
    inventory = Inventory()
    root = Path(content_dir)
    shown_root = display_path(root)  # every file's name in a finding starts with this
    entries = 0
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                listing = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            inventory.findings.append(refusal(display_path(folder), exc.strerror or str(exc), 0, 0))
            continue
        subfolders = []
        for entry in listing:
            if entry.name.startswith("."):
                continue
            entries += 1
            if entries > MAX_ENTRIES:
                inventory.findings.append(
                    finding(
                        display_path(root),
                        None,
                        "bestand-te-veel",
                        f"content/ heeft meer dan {MAX_ENTRIES} bestanden en mappen.",
                        "Haal bestanden weg die niet bij de kennisbank horen.",
                    )
                )
                return inventory
            uri = f"{prefix}{entry.name}"
            path = Path(entry.path)
            rel = f"{shown_root}/{printable(uri, 400)}"
            if entry.is_symlink():
                inventory.findings.append(link_finding(rel))
            elif entry.is_dir(follow_symlinks=False):
                problem = _folder_problem(entry.name, prefix)
                if problem:
                    inventory.findings.append(problem_finding(rel, problem, folder=True))
                subfolders.append((path, uri + "/"))
            elif not entry.is_file(follow_symlinks=False):
                inventory.findings.append(kind_finding(rel))
            else:
                inventory.findings.extend(_file_findings(path, uri, rel, entry))
                inventory.files.append(ContentFile(path, uri, rel, kind_of(uri)))
        stack.extend(reversed(subfolders))
    inventory.files.sort(key=lambda f: f.uri)
    return inventory


def scan_path(path: Path, root: Path | None = None) -> ContentFile | Finding:
    """One file named on the command line (or a draft), checked like a file in the folder.
    Inside ``root`` (content/), a file reached through a linked folder is a link too."""
    rel = display_path(path)
    if path.is_symlink() or (root is not None and _through_link(path, root)):
        return link_finding(rel)
    if not path.is_file():
        return kind_finding(rel)
    return ContentFile(path, path.name, rel, kind_of_path(path))


def _through_link(path: Path, root: Path) -> bool:
    """Is one of the folders between ``root`` and ``path`` a symbolic link?"""
    top, here = Path(os.path.abspath(root)), Path(os.path.abspath(path))
    if not here.is_relative_to(top):
        return False
    return any(folder.is_symlink() for folder in here.parents if folder.is_relative_to(top))


def _folder_problem(name: str, prefix: str) -> str | None:
    if FOLDER_NAME.fullmatch(name) and len(name) <= 80:
        return None
    return "De naam van een map mag alleen kleine letters (a-z), cijfers en streepjes hebben."


def problem_finding(rel: str, problem: str, folder: bool = False) -> Finding:
    what = "map" if folder else "bestand"
    return finding(
        rel,
        None,
        "bestandsnaam",
        f"Deze naam kan niet voor een {what} op de website. {problem}",
        f"Hernoem het {what}, bijvoorbeeld naar 'buurtbus-lierop{'' if folder else '.md'}'. "
        "De website maakt van de naam het adres van de pagina.",
    )


def _file_findings(path: Path, uri: str, rel: str, entry: os.DirEntry) -> list[Finding]:
    """What is wrong with one file before its text is read: type, name, image content."""
    suffix = PurePosixPath(uri).suffix.lower()
    kind = kind_of(uri)
    if suffix in ACTIVE_SUFFIXES:
        return [
            finding(
                rel,
                None,
                "bestand-verboden",
                f"Bestanden met '{printable(suffix, 20)}' worden nooit gepubliceerd: een browser "
                "voert ze uit of gebruikt ze voor de opmaak.",
                "Haal het bestand weg. Schrijf tekst in Markdown (.md); afbeeldingen mogen als "
                "png, jpg of webp.",
            )
        ]
    if kind == OTHER:
        return [unexpected_file(rel, path)]
    found = []
    if kind in (CASE, ANSWER, GUIDE, IMAGE):
        problem = name_problem(path.name)
        if problem:
            found.append(problem_finding(rel, problem))
    if kind == IMAGE:
        found.extend(_image_findings(path, suffix, rel, entry.stat(follow_symlinks=False).st_size))
    return found


def _image_findings(path: Path, suffix: str, rel: str, size: int) -> list[Finding]:
    if size > MAX_IMAGE_BYTES:
        return [
            finding(
                rel,
                None,
                "afbeelding-te-groot",
                f"De afbeelding is {size // 1000} kB. Hoogstens {MAX_IMAGE_BYTES // 1000} kB mag.",
                "Maak de afbeelding kleiner, bijvoorbeeld 1200 pixels breed, als jpg of webp.",
            )
        ]
    data = read_bytes(path, MAX_IMAGE_BYTES)
    if isinstance(data, tuple):
        return [refusal(rel, data[0], data[1], MAX_IMAGE_BYTES)]
    expected = IMAGE_TYPES[suffix][0]
    actual = image_type(data[:16])
    if actual == expected:
        return []
    what = f"een {actual}-afbeelding" if actual else "geen png-, jpg- of webp-afbeelding"
    return [
        finding(
            rel,
            None,
            "afbeelding-inhoud",
            f"Het bestand heet .{suffix[1:]}, maar het is {what}.",
            "Sla de afbeelding opnieuw op als png, jpg of webp, met de juiste naam. Andere "
            "bestanden mogen niet als afbeelding worden gepubliceerd.",
        )
    ]


def is_answer(rel: str) -> bool:
    """Is this content path (relative, with /) a helpdesk answer?"""
    return f"/{ANSWERS_DIR}/" in f"/{rel.replace(chr(92), '/')}"


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
