"""Scanners for text from strangers, shared by every stage that reads it: raw HTML,
invisible characters, personal data (Dutch phone numbers, e-mail addresses, BSN).

Every pattern here runs on text of up to 200 kB that anyone can write, so every pattern
is linear: repetition is bounded or cannot overlap, and no pattern backtracks over a
run it already matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from kb_tools.urls import EMAIL_ADDRESS, unsafe_scheme

# A tag as a browser would read it: "<name", "</name" or a comment/doctype/processing opener.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>?|<!--|<!|<\?")
_UNSAFE_TAGS = frozenset(
    "script iframe frame frameset object embed applet style link meta base form input button "
    "textarea select option svg math template noscript img video audio source track picture "
    "portal dialog".split()
)
_EVENT_ATTR = re.compile(r"(?:^|[\s/\"'])on[a-z]+\s*=", re.I)
_STYLE_ATTR = re.compile(r"(?:^|[\s/\"'])(?:style|srcdoc|formaction|href|src)\s*=", re.I)
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")

#: Characters nobody sees but that change what text says or how it is shown: controls
#: (not tab or newline), format characters such as zero-width spaces, joiners and
#: direction marks (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069), soft hyphens, line and
#: paragraph separators, tag characters, private use and non-characters (Unicode 14
#: categories Cc, Cf, Co, Zl, Zp).
INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ue000-\uf8ff\ufdd0-\ufdef"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\U000f0000-\U0010ffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 15))
    + "]"
)

# No e-mail address starts inside another word: the look-behind keeps the search linear
# on a line of 'a' x 190,000 followed by '@'.
EMAIL = re.compile(rf"(?<![A-Za-z0-9._%+-]){EMAIL_ADDRESS.pattern}", re.ASCII)
# Dutch numbers: 06-12345678, 020 123 4567, +31 6 1234 5678, 0031 (0)20 1234567.
PHONE = re.compile(
    r"(?<![\w+.,/-])(?:\+31|0031)[\s-]?(?:\(0\)[\s-]?)?[1-9](?:[\s-]?[0-9]){8}(?![\w-])"
    r"|(?<![\w+.,/-])0[1-9](?:[\s-]?[0-9]){8}(?![\w-])"
)
_DIGIT_RUN = re.compile(r"[0-9][0-9\s.()-]{7,}[0-9]")
BSN = re.compile(
    r"(?<![\w.,-])([0-9]{3})[.\s]?([0-9]{2})[.\s]?([0-9]{2})[.\s]?([0-9]{2})(?![\w,-]|\.[0-9])"
)


@dataclass(frozen=True)
class Tag:
    text: str
    name: str
    unsafe: bool
    start: int


def html_tags(text: str) -> Iterator[Tag]:
    """Raw HTML in text. Autolinks like <https://...> are links, not tags."""
    if "<" not in text:
        return
    for match in _TAG.finditer(text):
        raw = match.group(0)
        name = (match.group(2) or "").lower()
        if AUTOLINK.match(text, match.start()):
            continue  # <https://example.org>: a link, checked as a link by the caller
        if name and "@" in (match.group(3) or "") and " " not in (match.group(3) or ""):
            continue  # <info@example.org>: an e-mail autolink (personal data is checked apart)
        attrs = match.group(3) or ""
        unsafe = (
            (not name and raw != "<!--")
            or name in _UNSAFE_TAGS
            or bool(_EVENT_ATTR.search(attrs))
            or bool(_STYLE_ATTR.search(attrs))
            or "javascript:" in attrs.lower()
        )
        yield Tag(raw, name or raw, unsafe, match.start())


#: Characters that Python calls printable but that show as nothing: Hangul fillers, the
#: combining grapheme joiner, Khmer and Mongolian blanks, the braille blank, and variation
#: selectors (allowed only right after a symbol such as an emoji, which they belong to).
BLANK_LOOKING = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\uffa0\ufe00-\ufe0f"
    "\U000e0100-\U000e01ef]"
)
_SELECTORS = frozenset(chr(c) for c in range(0xFE00, 0xFE10)) | frozenset(
    chr(c) for c in range(0xE0100, 0xE01F0)
)


def invisibles(text: str) -> Iterator[re.Match[str]]:
    """Every invisible character in ``text``, in order. Almost all text has none:
    ``str.isprintable`` (in C) rules out every INVISIBLE character at once, and the
    printable blanks are few."""
    found: list[re.Match[str]] = []
    if not text.replace("\n", "").replace("\t", "").isprintable():
        found.extend(INVISIBLE.finditer(text))
    for match in BLANK_LOOKING.finditer(text):
        start = match.start()
        if match.group(0) in _SELECTORS and start and unicodedata.category(text[start - 1]) == "So":
            continue  # the selector of an emoji: ❤️
        found.append(match)
    found.sort(key=lambda m: m.start())
    return iter(found)


def invisible(text: str) -> re.Match[str] | None:
    """The first invisible character in ``text``, if any."""
    return next(invisibles(text), None)


def describe_invisible(char: str) -> str:
    """'U+200B' for a message: the character itself would not show."""
    return f"U+{ord(char):04X}"


def text_problems(text: str) -> list[tuple[str, str]]:
    """(finding code, what is wrong in Dutch) for text that is shown on the site: the one
    rule for titles, labels, names and descriptions, whatever file they come from."""
    problems = []
    hidden = invisible(text)
    if hidden:
        problems.append(
            (
                "tekst-onzichtbaar",
                f"bevat een onzichtbaar teken ({describe_invisible(hidden.group(0))})",
            )
        )
    for tag in html_tags(text):
        problems.append(
            ("html-onveilig" if tag.unsafe else "html", f"bevat HTML ({tag.text[:40]})")
        )
    return problems


def unsafe_url(url: str) -> str | None:
    """The scheme of a link target if it is not http(s)/mailto (see ``urls.scheme_of``)."""
    return unsafe_scheme(url)


def is_bsn(digits: str) -> bool:
    """The Dutch 11-test (elfproef) for citizen service numbers."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def personal_data(text: str) -> Iterator[tuple[str, int, str]]:
    """(kind, offset, match) for every phone number, e-mail address and valid BSN."""
    if "@" in text:
        for match in EMAIL.finditer(text):
            yield "e-mailadres", match.start(), match.group(0)
    # Both number patterns need a run of digits; most texts have none, so look for one first.
    if _DIGIT_RUN.search(text):
        for match in PHONE.finditer(text):
            yield "telefoonnummer", match.start(), match.group(0)
        for match in BSN.finditer(text):
            if is_bsn("".join(match.groups())):
                yield "burgerservicenummer", match.start(), match.group(0)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")  # controls, bidi, zero-width, ...


def printable(text: str, limit: int = 160) -> str:
    """Text from strangers (a file name, a value, git's message) safe to print: control
    characters, newlines, bidi and zero-width characters shown escaped (``\n``,
    ``\u202e``), a backslash doubled, at most ``limit`` characters with '…'. Every file
    name and repeated value in a message goes through here."""
    if text.isprintable() and "\\" not in text and len(text) <= limit:
        return text  # the common case: nothing to escape (isprintable: no Cc, Cf, Z*, ...)
    pieces: list[str] = []
    length = 0
    for index, ch in enumerate(text):
        if ch in _ESCAPES:
            piece = _ESCAPES[ch]
        elif unicodedata.category(ch) in _HIDDEN:
            code = ord(ch)
            piece = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
            if code > 0xFFFF:
                piece = f"\\U{code:08x}"
        else:
            piece = ch
        last = index == len(text) - 1
        if length + len(piece) > (limit if last else limit - 1):
            return "".join(pieces) + "…"  # never half an escape
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)


def fold(text: str) -> str:
    """Lower case without diacritics: the one folding of text for search, suggestions and
    file names ("Coöperatie" -> "cooperatie")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
