"""Validate, references: the links, images and [[id]] references in one Markdown body.

Links and images are found by the site's own Markdown parser (``markup.LinkParser``), so
``kb controleer`` and the site agree on what a link is; code is masked first, because the site
shows links inside code as text. [[id]] references are resolved later, across all files.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import PurePosixPath

from kb_tools.layout import IMAGE_SUFFIXES
from kb_tools.markup import LinkParser
from kb_tools.model import WARNING, Document
from kb_tools.schema import ID_PATTERN
from kb_tools.textscan import unsafe_url

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_BACKTICKS = re.compile(r"`+")
#: [[ams-0007]] or [[ams-0007|eigen tekst]]: the documented way to link to a case or answer.
ITEM_LINK = re.compile(r"\[\[([^\[\]|\n]{1,80}?)(?:\|([^\[\]\n]{0,200}))?\]\]")
_WEB = re.compile(r"(?:https?://|mailto:|#)", re.I)


@dataclass(frozen=True)
class ItemRef:
    """A [[id]] link in a body, to be resolved once all documents are known."""

    target: str
    line: int
    column: int


def mask_code(text: str) -> str:
    """Blank out fenced code blocks and code spans, keeping offsets and newlines.

    Linear: each backtick run is looked at once. A run opens a code span that the next run
    of the same length in the same paragraph closes (as Markdown reads it)."""
    if "`" not in text and "~~~" not in text:
        return text
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    pos = 0
    while True:
        match = _FENCE_OPEN.search(text, pos)
        if not match:
            break
        fence = match.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        line_end = text.find("\n", match.end())
        close = closing.search(text, line_end + 1) if line_end != -1 else None
        end = close.end() if close else len(text)
        blank(match.start(), end)
        pos = end
    masked = "".join(chars)
    for start, end in _code_spans(masked):
        blank(start, end)
    return "".join(chars)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every code span as Markdown's backtick pattern finds them, in
    O(n log n): a span opens inside a run when a later whole run has exactly as many
    backticks as the rest of the opening run; the leftmost start and the earliest such
    closing run win (Python-Markdown's ``(`+)(.+?)(?<!`)\\1(?!`)``)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_len: dict[int, list[int]] = {}
    same: list[int] = [-1] * len(runs)  # the next run of the same length
    seen: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        same[i] = seen.get(length, -1)
        seen[length] = i
    for i, (a, b) in enumerate(runs):
        by_len.setdefault(b - a, []).append(i)
    spans = []
    i = 0
    while i < len(runs):
        a, b = runs[i]
        k, j = b - a, same[i]
        if j == -1:
            for k in range(b - a - 1, 0, -1):  # the largest shorter closing run after i
                later = by_len.get(k)
                if later:
                    x = bisect.bisect_right(later, i)
                    if x < len(later):
                        j = later[x]
                        break
        if j == -1:
            i += 1
            continue
        spans.append((b - k, runs[j][1]))
        i = j + 1
    return spans


class Positions:
    """Offset to (file line, column); computed only when a finding needs it."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.starts: list[int] = []

    def at(self, offset: int) -> tuple[int, int]:
        if not self.starts:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


_parser: LinkParser | None = None


def link_parser() -> LinkParser:
    """One parser per process (building it costs more than parsing a case)."""
    global _parser
    if _parser is None:
        _parser = LinkParser()
    return _parser


def item_links(masked: str, pos: Positions, add) -> list[ItemRef]:
    refs = []
    if "[[" not in masked:
        return refs
    for match in ITEM_LINK.finditer(masked):
        target = match.group(1).strip()
        if ID_PATTERN.match(target):
            line, column = pos.at(match.start())
            refs.append(ItemRef(target, line, column))
        else:
            add(
                match.start(),
                "verwijzing-ongeldig",
                f"[[{target[:40]}]] is geen geldig casusnummer.",
                "Schrijf een nummer tussen dubbele blokhaken, bijvoorbeeld [[ams-0007]].",
            )
    return refs


def own_path(rel: str) -> str:
    """The document's path inside content/: from its last casussen/, antwoorden/ or
    handleiding/ folder."""
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in ("casussen", "antwoorden", "handleiding"):
            return "/".join(parts[index:])
    return parts[-1] if parts else rel


def check_links(
    body: str,
    masked: str,
    doc: Document,
    files: Collection[str] | None,
    kind: str,
    add: Callable,
) -> None:
    """Every link and image the site would make of this body, as its parser finds them."""
    found = link_parser().links(body)
    if not found:
        return
    here = posixpath.dirname(own_path(doc.rel))
    cursor = 0
    for link in found:
        offset = _locate(masked, link.target, cursor)
        if offset is None:
            offset = _locate(masked, link.text, cursor)
        if offset is None:
            offset = cursor
        else:
            cursor = offset
        url = link.target.strip()
        scheme = unsafe_url(url)
        shown = url[:60]
        if scheme:
            add(
                offset,
                "link-onveilig",
                f"De link gebruikt '{scheme}', dat is niet toegestaan: {shown}",
                "Gebruik alleen links die beginnen met https://, http:// of mailto:.",
            )
        elif link.image:
            check_image(offset, url, link.text, here, files, add)
        elif url and not _WEB.match(url):
            target = _resolve(here, url)
            if target is None or (files is not None and target not in files):
                add(
                    offset,
                    "link-relatief",
                    f"De link '{shown}' wijst naar een bestand dat niet op de website staat.",
                    "Verwijs naar een casus met [[ams-0007]], of gebruik een volledig "
                    "webadres dat met https:// begint.",
                )


def _locate(masked: str, needle: str, start: int) -> int | None:
    """Where a link's address (or text) is written, from ``start`` on."""
    needle = needle.strip()[:200]
    if not needle:
        return None
    found = masked.find(needle, start)
    if found == -1:
        found = masked.find(needle)
    return None if found == -1 else found


def _resolve(here: str, url: str) -> str | None:
    """The path inside content/ that a relative link points at, or None when it leaves
    content/ or is an absolute path."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    if not path or path.startswith("/"):
        return None if path.startswith("/") else here
    joined = posixpath.normpath(posixpath.join(here, path))
    if joined.startswith("../") or joined == "..":
        return None
    return joined


def check_image(
    offset: int,
    url: str,
    alt: str,
    here: str,
    files: Collection[str] | None,
    add: Callable,
) -> None:
    if re.match(r"(?:[a-z][a-z0-9+.-]*:)?//", url, re.I) or re.match(r"https?:", url, re.I):
        add(
            offset,
            "afbeelding-extern",
            "De afbeelding komt van een andere website.",
            "Lezers mogen niet gevolgd worden door andere websites. Zet de afbeelding naast de "
            "casus en verwijs ernaar met '![beschrijving](naam.jpg)'.",
        )
        return
    if not alt.strip():
        add(
            offset,
            "afbeelding-beschrijving",
            "De afbeelding heeft geen beschrijving.",
            "Schrijf tussen de blokhaken wat er te zien is, voor wie niet goed ziet: ![...](...).",
            WARNING,
        )
    path = url.split("#", 1)[0].split("?", 1)[0]
    if PurePosixPath(path.lower()).suffix not in IMAGE_SUFFIXES:
        add(
            offset,
            "afbeelding-soort",
            f"'{url[:60]}' is geen png-, jpg- of webp-afbeelding.",
            "Sla de afbeelding op als png, jpg of webp.",
        )
        return
    target = _resolve(here, path)
    if target is None:
        add(
            offset,
            "afbeelding-pad",
            f"De afbeelding '{url[:60]}' ligt buiten de map content/.",
            "Zet de afbeelding in dezelfde map als de casus.",
        )
    elif files is not None and target not in files:
        add(
            offset,
            "afbeelding-ontbreekt",
            f"De afbeelding '{url[:60]}' bestaat niet.",
            "Controleer de bestandsnaam (hoofdletters tellen mee) en of het bestand is toegevoegd.",
        )
