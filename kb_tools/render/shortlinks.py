"""The short, stable addresses ``c/<id>/`` and ``a/<id>/`` as copies of the page itself.

A redirect page (meta refresh) costs a second document request, about 0.6 s on a phone;
GitHub Pages serves only files, so there is no server redirect either. Instead, as each page
is built (``write_short_page``), ``c/<id>/index.html`` is the built page of the case with
three changes:

- ``<base href>`` points at the long address's folder, so every relative link, image,
  stylesheet and script resolves as on the long page (also ``fetch`` and ``new URL(x,
  document.baseURI)`` in scripts);
- links to a part of the page (``href="#tips"``) name the short page itself, so they scroll
  instead of loading the long page (with ``<base>``, ``#tips`` would mean the long page);
- Material's own root (``"base"`` in its ``__config``, which its script resolves against
  ``location``, not the base) is the short page's, and a ``<link rel="canonical">`` names
  the long address when the theme did not already (it does when the site URL is known).

Old addresses from the ledger stay redirect pages (``opendata.write_redirects``): they are
rare, and a reader who followed one learns the new address. Output is deterministic.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from kb_tools.enrich.corpus import Corpus
from kb_tools.urls import short_link

#: A link to a part of the same page (templates and Markdown write it so).
_FRAGMENT_HREF = ' href="#'
_CHARSET = '<meta charset="utf-8">'
#: A short address: ids are checked (validate), this keeps any other path out.
_SHORT = re.compile(r"[ac]/[a-z0-9][a-z0-9-]{0,80}/", re.ASCII)


def short_pages(corpus: Corpus) -> dict[str, str]:
    """Short address -> the page it shows, for every published case and answer."""
    return {short_link(item.id): corpus.urls[item.id] for item in (*corpus.cases, *corpus.answers)}


def _up(path: str) -> str:
    """From the folder of a site path ("c/ams-0001/") up to the site root ("../../")."""
    return "../" * (path.strip("/").count("/") + 1)


def short_page(page: str, long_path: str, short_path: str, site_url: str = "") -> str:
    """The built page of ``long_path`` as it is served at ``short_path``."""
    base = html.escape(_up(short_path) + long_path, quote=True)
    head = f'<base href="{base}">'
    if 'rel="canonical"' not in page:
        canonical = f"{site_url.rstrip('/')}/{long_path}" if site_url else f"/{long_path}"
        head += f'\n    <link rel="canonical" href="{html.escape(canonical, quote=True)}">'
    # After the charset, which stays first; nothing before <base> holds an address.
    at = page.find(_CHARSET)
    at = at + len(_CHARSET) if at >= 0 else page.index("<head>") + len("<head>")
    page = page[:at] + "\n    " + head + page[at:]
    # Resolved against <base> (the long page's folder): the short page itself.
    self_link = html.escape(_up(long_path) + short_path, quote=True)
    page = page.replace(_FRAGMENT_HREF, f' href="{self_link}#')
    long_root, short_root = _up(long_path).rstrip("/"), _up(short_path).rstrip("/")
    return page.replace(f'"base": "{long_root}"', f'"base": "{short_root}"', 1)


def write_short_page(
    site_dir: Path, short: str, long: str, page: str, site_url: str = ""
) -> Path | None:
    """Write ``short/index.html`` from ``page``, the built page of ``long``; only at a short
    address, never over a page the build made. Returns the file written, if any."""
    if not _SHORT.fullmatch(short) or ".." in long.split("/"):
        return None
    target = site_dir / short / "index.html"
    if target.exists() and "<base href=" not in target.read_text(encoding="utf-8")[:2000]:
        return None  # a page the build made; an earlier copy (mkdocs serve --dirty) is redone
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(short_page(page, long, short, site_url), encoding="utf-8")
    return target
