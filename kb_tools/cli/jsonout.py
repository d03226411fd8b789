"""What every ``--json`` output of ``kb`` shares: how it is written and how a link in it
looks. The keys of each output are declared once, as a ``TypedDict`` beside the handler
that makes it; ``content/handleiding/json-uitvoer.md`` documents them and
``tests/test_json_output.py`` holds code, output and guide together.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlsplit

from kb_tools.urls import absolute

#: Where ``kb bekijk`` shows the site (as in mkdocs.yml); only valid on this computer.
LOCAL_SITE_URL = "http://127.0.0.1:8000/"


class SiteUrlError(ValueError):
    """KB_SITE_URL is no web address kb can put links under (a usage error, in Dutch)."""


def site_url() -> str:
    """The public address of the site from ``KB_SITE_URL``, or "" when it is not set.
    Only http(s)://host/path: every url field and the terminal show what it gives."""
    value = os.environ.get("KB_SITE_URL", "").strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:  # "Invalid IPv6 URL": a [ in the host
        parts = urlsplit("")
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or "?" in value
        or "#" in value
        or not all(c.isprintable() and not c.isspace() for c in value)
    ):
        raise SiteUrlError(
            "KB_SITE_URL is geen webadres. Zet er het adres van de website in, zonder ? of "
            "#, bijvoorbeeld: export KB_SITE_URL=https://kennisbank.voorbeeld.nl/"
        )
    return value


def site_link(path: str) -> str:
    """A site path as every JSON output gives it: with a leading slash ("/c/ams-0001/"),
    or the full address when ``KB_SITE_URL`` is set."""
    path = path.lstrip("/")
    base = site_url()
    return absolute(base, path) if base else f"/{path}"


def dumps(data: Any) -> str:
    """JSON as kb prints it: UTF-8 text as it is (no \\u escapes), indented."""
    return json.dumps(data, ensure_ascii=False, indent=2)
