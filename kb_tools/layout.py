"""The content folder: what lives where, how files may be named, and how large they may be.

Every file under ``content/`` comes from strangers through pull requests. This module is
the one declaration of the layout that the loader walks (``load.scan_content``), that
``kb controleer`` reports against and that the build publishes from: nothing outside it is
read or copied into the site.
"""

from __future__ import annotations

import re

CASES_DIR = "casussen"
ANSWERS_DIR = "antwoorden"
GUIDE_DIR = "handleiding"
VOCAB_DIR = "vocabulaires"
NETWORKS_FILE = "netwerken.yml"
SOURCES_FILE = "bronnen.yml"
LEDGER_FILE = "gepubliceerd.yml"
SCHEMA_FILE = "casus.schema.json"
LOCK_FILE = "bronnen.lock.yml"
#: Files at the top of content/ that the pipeline reads; none is published as it is.
REGISTRY_FILES = (NETWORKS_FILE, SOURCES_FILE, LEDGER_FILE, SCHEMA_FILE, LOCK_FILE)

MAX_FILE_BYTES = 200_000  # a case, an answer or a guide page
MAX_FRONTMATTER_BYTES = 32_000
MAX_REGISTRY_BYTES = 1_000_000  # a vocabulary, netwerken.yml, bronnen.yml, gepubliceerd.yml
MAX_IMAGE_BYTES = 1_000_000

#: Images by suffix, each with the bytes its file must start with (type by content).
IMAGE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".png": ("png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("jpg", (b"\xff\xd8\xff",)),
    ".jpeg": ("jpg", (b"\xff\xd8\xff",)),
    ".webp": ("webp", (b"RIFF",)),  # and "WEBP" at byte 8, see image_type()
}
IMAGE_SUFFIXES = frozenset(IMAGE_TYPES)

#: Suffixes a browser runs or styles with: never published from content/, whatever folder.
ACTIVE_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".cjs", ".css", ".svg", ".svgz"}
    | {".xml", ".xsl", ".xslt", ".swf", ".wasm", ".php", ".cgi", ".pl", ".py", ".sh"}
)

#: File names of cases, answers, guide pages and images: a lower-case slug and a suffix.
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
FILE_NAME = re.compile(rf"{SLUG}\.(?:md|png|jpg|jpeg|webp)", re.ASCII)
MAX_NAME = 80
#: Names that the site uses itself: a case called index.md would replace a list page.
RESERVED_STEMS = frozenset({"index", "readme"})
FOLDER_NAME = re.compile(SLUG, re.ASCII)


def image_type(data: bytes) -> str | None:
    """'png', 'jpg' or 'webp' by the first bytes of a file, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    return None


def name_problem(name: str) -> str | None:
    """Why a file name may not be used under content/casussen, antwoorden or handleiding
    (Dutch, for a finding), or None when it is fine."""
    if len(name) > MAX_NAME:
        return f"De naam is {len(name)} tekens lang; hoogstens {MAX_NAME} mag."
    if not FILE_NAME.fullmatch(name):
        return (
            "De naam mag alleen kleine letters (a-z), cijfers en streepjes hebben, en moet "
            "eindigen op .md, .png, .jpg of .webp."
        )
    if name.rsplit(".", 1)[0] in RESERVED_STEMS:
        return f"De naam '{name}' gebruikt de website zelf."
    return None
