"""Text scanners shared by the frontmatter and body rules: HTML, link schemes and
personal data (Dutch phone numbers, e-mail addresses, BSN numbers).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

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
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Dutch numbers: 06-12345678, 020 123 4567, +31 6 1234 5678, 0031 (0)20 1234567.
PHONE = re.compile(
    r"(?<![\w+.,/-])(?:\+31|0031)[\s-]?(?:\(0\)[\s-]?)?[1-9](?:[\s-]?\d){8}(?![\w-])"
    r"|(?<![\w+.,/-])0[1-9](?:[\s-]?\d){8}(?![\w-])"
)
_DIGIT_RUN = re.compile(r"\d[\d\s.()-]{7,}\d")
BSN = re.compile(r"(?<![\w.,-])(\d{3})[.\s]?(\d{2})[.\s]?(\d{2})[.\s]?(\d{2})(?![\w,-]|\.\d)")


@dataclass(frozen=True)
class Tag:
    text: str
    name: str
    unsafe: bool
    start: int


def html_tags(text: str) -> Iterator[Tag]:
    """Raw HTML in text. Autolinks like <https://...> are links, not tags."""
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


def unsafe_url(url: str) -> str | None:
    """The scheme of a link if it is not http(s)/mailto, after undoing entity tricks."""
    plain = _INVISIBLE.sub("", html.unescape(html.unescape(url)))
    match = _SCHEME.match(plain)
    if match and match.group(1).lower() not in SAFE_SCHEMES:
        return match.group(1).lower()
    if plain.startswith("//") or plain.startswith("\\\\"):
        return "//"
    return None


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
