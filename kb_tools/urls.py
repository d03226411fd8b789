"""Every address of the site, and the one rule for addresses that reach an ``href``.

Site paths are relative to the site root, with directory URLs ("casussen/ams/x/").
Templates pass them through MkDocs' ``url`` filter. External addresses come from
contributors (vocabularies, ``bronnen.yml``, networks, contacts, answers); whatever file
they come from, only http(s) with a host, or mailto with an address, may become a link.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import urlsplit

from kb_tools.layout import ANSWERS_DIR, CASES_DIR, SLUG
from kb_tools.model import Answer, Case

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_URL = 2000
EMAIL_ADDRESS = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}",
    re.ASCII,
)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]{0,31}):", re.I | re.ASCII)
# What a browser drops from an address before it reads the scheme: controls, spaces,
# soft hyphens, zero-width and direction marks ("java\tscript:" is "javascript:").
_IGNORED = re.compile(
    r"[\x00-\x20\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202f"
    r"\u205f-\u206f\u3000\ufeff]"
)
_ANSWER_ID = re.compile(r"hd-[0-9]{4}", re.ASCII)
#: An address in the ledger: a clean path under casussen/ or antwoorden/, ending in "/".
_LEDGER_PATH = re.compile(rf"(?:{CASES_DIR}|{ANSWERS_DIR})(?:/{SLUG})+/", re.ASCII)


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see, after entities and ignored characters are undone;
    "//" for a protocol-relative address, None for a relative one."""
    plain = _IGNORED.sub("", html.unescape(html.unescape(url)))
    match = _SCHEME.match(plain)
    if match:
        return match.group(1).lower()
    if plain.startswith(("//", "\\\\", "/\\", "\\/")):
        return "//"
    return None


def unsafe_scheme(url: str) -> str | None:
    """The scheme of a link target if it may not be followed (javascript:, data:, ...)."""
    scheme = scheme_of(url)
    return scheme if scheme is not None and scheme not in SAFE_SCHEMES else None


def web_url_problem(value: object, allow_mailto: bool = False) -> str | None:
    """Why ``value`` may not be an external link (Dutch), or None for a clean http(s)
    address with a host (or mailto:address when allowed)."""
    if not isinstance(value, str) or not value.strip():
        return "Dit is geen webadres."
    url = value.strip()
    if len(url) > MAX_URL:
        return f"Het adres is {len(url)} tekens lang; hoogstens {MAX_URL} mag."
    if _IGNORED.search(url) or "\\" in url or "<" in url or ">" in url or '"' in url:
        return 'Het adres bevat spaties, onzichtbare tekens of tekens als < > " \\.'
    try:
        parts = urlsplit(url)
    except ValueError:
        return "Het adres is onleesbaar."
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname or "@" in parts.netloc:
            return "Na https:// hoort de naam van een website, zoals https://www.voorbeeld.nl."
        return None
    if scheme == "mailto" and allow_mailto:
        if EMAIL_ADDRESS.fullmatch(parts.path):
            return None
        return "Na mailto: hoort één e-mailadres, zoals mailto:info@voorbeeld.nl."
    allowed = "https://, http:// of mailto:" if allow_mailto else "https:// of http://"
    return f"Een link moet beginnen met {allowed}."


def safe_href(value: object) -> str:
    """The address itself when it may be a link, otherwise "": the last guard before a
    value from content becomes an ``href`` (validation reported it already)."""
    if web_url_problem(value, allow_mailto=True) is None:
        return str(value).strip()
    return ""


def ledger_path_problem(value: object) -> str | None:
    """Why ``value`` is not an address a case or answer can have had (Dutch), or None."""
    if not isinstance(value, str) or not _LEDGER_PATH.fullmatch(value):
        return (
            f"Een adres ziet eruit als '{CASES_DIR}/<netwerk>/<naam>/' of "
            f"'{ANSWERS_DIR}/<naam>/': kleine letters, cijfers en streepjes, met / aan het eind."
        )
    return None


def short_link(item_id: str) -> str:
    """The stable short address of a case (c/<id>/) or a helpdesk answer (a/<id>/)."""
    return f"{'a' if _ANSWER_ID.fullmatch(item_id) else 'c'}/{item_id}/"


def item_src(item: Case | Answer) -> str:
    """Docs-relative source path of a case page, casussen/<netwerk>/<slug>.md, or of an
    answer page, antwoorden/<slug>.md."""
    name = posixpath.basename(item.path.replace("\\", "/"))  # a file's path: never ends in /
    if isinstance(item, Answer):
        return f"{ANSWERS_DIR}/{name}"
    return f"{CASES_DIR}/{item.network}/{name}"


def item_url(item: Case | Answer) -> str:
    """Site path of a case or answer page: casussen/<netwerk>/<slug>/, antwoorden/<slug>/."""
    return item_src(item)[: -len(".md")] + "/"


def term_url(facet: str, term: str) -> str:
    return f"{facet}/{term}/"


def network_url(network_id: str) -> str:
    return f"netwerken/{network_id}/"


def absolute(site_url: str, path: str) -> str:
    return f"{site_url.rstrip('/')}/{path}" if site_url else ""
