"""Validate, neighbours: what ``kb controleer <files>`` needs of the files it does not report on.

Checking one network's folder still needs every other file's id (a reused id, a link to a
case elsewhere) and the fingerprint of every other case (a duplicate in another network),
but not their findings. Those are read here from the frontmatter's top-level lines
without parsing it, which costs a few microseconds a file instead of a full check.
"""

from __future__ import annotations

import re

from kb_tools.load.documents import FENCE, read_text
from kb_tools.load.files import CASE, ContentFile
from kb_tools.validate.duplicates import Fingerprint, key

_LINE = re.compile(r"^(id|titel|initiatief|plaats|netwerk):[ \t]*(.*)$")
_BLOCK = re.compile(r"[>|][+-]?")  # a folded or literal block: the text follows, indented

_CLOSE = re.compile(r"\n---[ \t]*(?:\n|\Z)")


def _scalar(value: str, following: list[str]) -> str:
    value = value.strip()
    if _BLOCK.fullmatch(value):
        parts = []
        for line in following:
            if line and not line[0].isspace():
                break
            parts.append(line.strip())
        return " ".join(p for p in parts if p)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value.split(" #", 1)[0].strip()


def neighbour(
    item: ContentFile, wanted: set[tuple[str, str]]
) -> tuple[str | None, tuple[int, int], Fingerprint | None]:
    """The id of a case or answer file (with its line and column) and, for a case that
    shares a name, title or place (``wanted``) with a checked case, its fingerprint;
    (None, …) when the file has no readable id (its own check says why)."""
    text, _ = read_text(item.path, item.rel)
    if not text or not text.startswith("---"):
        return None, (1, 1), None
    # Only the frontmatter is split into lines: the body is needed whole, and only rarely.
    close = _CLOSE.search(text, 3)
    if close is None:
        return None, (1, 1), None
    lines = text[: close.start()].split("\n")
    if not FENCE.match(lines[0]):
        return None, (1, 1), None
    end = len(lines)
    values: dict[str, str] = {}
    position = (1, 1)
    for index in range(1, end):
        match = _LINE.match(lines[index])
        if match and match[1] not in values:
            values[match[1]] = _scalar(match[2], lines[index + 1 : end])
            if match[1] == "id":
                position = (index + 1, 1)
    case_id = values.get("id") or None
    if case_id is None or item.kind != CASE:
        return case_id, position, None
    print_ = Fingerprint(
        case_id,
        values.get("netwerk") or "",
        key(values.get("initiatief", "")),
        key(values.get("titel", "")),
        key(values.get("plaats", "")),
        text[close.end() :],  # the body: sketched only if it is compared
    )
    if not wanted.intersection(print_.keys()):
        return case_id, position, None  # no checked case could be its duplicate
    return case_id, position, print_
