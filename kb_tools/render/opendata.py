"""Files next to the HTML: open data (JSON, CSV), the Atom feed and redirect pages.

Output is deterministic: sorted keys, no build timestamps, so two builds of the same
content give the same bytes.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from kb_tools.enrich.corpus import Corpus
from kb_tools.layout import SCHEMA_FILE
from kb_tools.model import Case
from kb_tools.schema import FIELDS, json_schema
from kb_tools.urls import short_link

FEED_SIZE = 50
#: One column per field with a single value or a list of terms, in the order of the case
#: format, then the addresses. Structured fields (figures, sources, contact) are in the JSON.
CSV_KINDS = frozenset({"id", "text", "network", "term", "terms", "active", "date"})
CSV_FIELDS = (*(f.name for f in FIELDS if f.kind in CSV_KINDS), "url", "korte_link")


#: A cell that starts with one of these is a formula to Excel and LibreOffice (OWASP,
#: "CSV Injection"): it is written with a ' in front, which they show as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value for one CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def case_record(case: Case, corpus: Corpus, base: str) -> dict[str, Any]:
    # The corpus holds only public contact details (enrich.privacy).
    meta = {k: _plain(v) for k, v in case.meta.items()}
    meta["url"] = base + corpus.urls[case.id]
    meta["korte_link"] = base + short_link(case.id)
    return meta


def write_open_data(corpus: Corpus, site_dir: Path, site_url: str) -> list[Path]:
    """data/casussen.json, data/casussen.csv, data/vocabulaires.json, data/netwerken.json."""
    base = site_url.rstrip("/") + "/" if site_url else "/"
    data_dir = site_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    records = [case_record(c, corpus, base) for c in sorted(corpus.cases, key=lambda c: c.id)]
    written = []

    def dump(name: str, value: Any) -> None:
        path = data_dir / name
        path.write_text(
            # allow_nan=False: Infinity or NaN would make the file invalid JSON. Validation
            # refuses such figures; this makes sure none gets through.
            json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False) + "\n",
            encoding="utf-8",
        )
        written.append(path)

    dump("casussen.json", {"aantal": len(records), "casussen": records})
    vocabularies = {
        vocab.id: {
            "naam": vocab.name,
            "veld": vocab.field,
            "beschrijving": vocab.description,
            "termen": [
                {
                    "id": t.id,
                    "label": t.label,
                    "beschrijving": t.description,
                    "synoniemen": list(t.synonyms),
                    **{k: _plain(v) for k, v in t.extra.items()},
                }
                for t in vocab.terms
            ],
        }
        for vocab in corpus.registry.vocabularies.values()
    }
    dump("vocabulaires.json", vocabularies)
    dump(
        "netwerken.json",
        [
            {
                "id": n.id,
                "naam": n.name,
                "voorvoegsel": n.prefix,
                "regio": n.region,
                "provincies": list(n.provinces),
                "beschrijving": n.description,
                "url": base + f"netwerken/{n.id}/",
            }
            for n in corpus.registry.networks.values()
        ],
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for record in records:
        row = []
        for name in CSV_FIELDS:
            value = record.get(name, "")
            row.append(csv_cell("; ".join(value) if isinstance(value, list) else value))
        writer.writerow(row)
    # The BOM makes Excel open the file as UTF-8, so ë and ö stay readable.
    (data_dir / "casussen.csv").write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    written.append(data_dir / "casussen.csv")
    return written


def write_feed(corpus: Corpus, site_dir: Path, site_url: str, title: str) -> Path:
    """An Atom feed of the newest cases; its date is the newest case's, not the build's."""
    base = site_url.rstrip("/") + "/" if site_url else "/"
    newest = corpus.cases[:FEED_SIZE]
    updated = max((c.updated or c.published for c in newest), default=None)
    entries = []
    for case in newest:
        url = base + corpus.urls[case.id]
        entries.append(
            "  <entry>\n"
            f"    <title>{escape(case.title)}</title>\n"
            f'    <link href="{escape(url)}"/>\n'
            f"    <id>{escape(base + short_link(case.id))}</id>\n"
            f"    <published>{case.published.isoformat()}T00:00:00Z</published>\n"
            f"    <updated>{(case.updated or case.published).isoformat()}T00:00:00Z</updated>\n"
            f"    <author><name>{escape(corpus.network(case.network).name)}</name></author>\n"
            f"    <summary>{escape(case.summary)}</summary>\n"
            "  </entry>\n"
        )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">\n'
        f"  <title>{escape(title)}: nieuwe casussen</title>\n"
        f'  <link href="{escape(base)}feed.xml" rel="self"/>\n'
        f'  <link href="{escape(base)}nieuw/"/>\n'
        f"  <id>{escape(base)}feed.xml</id>\n"
        f"  <updated>{updated.isoformat() if updated else '2000-01-01'}T00:00:00Z</updated>\n"
        + "".join(entries)
        + "</feed>\n"
    )
    path = site_dir / "feed.xml"
    path.write_text(feed, encoding="utf-8")
    return path


def redirect_page(target: str, title: str) -> str:
    """A page that sends the browser on to ``target`` (relative), with a link as fallback."""
    target_html = html.escape(target, quote=True)
    return (
        "<!doctype html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={target_html}">\n'
        f'<link rel="canonical" href="{target_html}">\n'
        '<meta name="robots" content="noindex">\n'
        "</head>\n<body>\n"
        f'<p>Deze pagina staat nu op <a href="{target_html}">{html.escape(title)}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def write_redirects(site_dir: Path, redirects: dict[str, tuple[str, str]]) -> list[Path]:
    """Write one redirect page per old URL: {old_url: (new_url, title)}, all site-relative."""
    written = []
    root = Path(site_dir).resolve()
    for old, (new, title) in sorted(redirects.items()):
        depth = old.strip("/").count("/") + 1
        target = "../" * depth + new
        path = site_dir / old.strip("/") / "index.html"
        if root not in path.resolve().parents or any(
            (site_dir / parent).is_file()
            for parent in path.relative_to(site_dir).parents
            if parent.parts
        ):
            # The ledger's addresses are checked; this never writes outside the site or
            # through a file, whatever reaches it.
            continue
        if path.exists():
            continue  # a real page lives here again; never overwrite it
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(redirect_page(target, title), encoding="utf-8")
        written.append(path)
    return written


def write_site_data(
    corpus: Corpus,
    site_dir: Path,
    site_url: str,
    title: str,
    redirects: dict[str, tuple[str, str]],
) -> None:
    """Everything besides the pages: open data, the feed, the case schema and the redirect
    pages of old addresses."""
    write_open_data(corpus, site_dir, site_url)
    write_feed(corpus, site_dir, site_url, title)
    # Made from the registry, as `kb schema` makes content/casus.schema.json: no file from
    # content/ is copied as it is.
    schema = json.dumps(json_schema(corpus.registry), ensure_ascii=False, indent=2)
    (site_dir / "data" / SCHEMA_FILE).write_text(schema + "\n", encoding="utf-8")
    write_redirects(site_dir, redirects)
