"""Check the external links of the built site, with the standard library only.

Every ``<a href="http(s)://...">`` in the site's HTML is tried once: first a HEAD request,
and a GET when HEAD fails (many servers refuse HEAD). A few requests run at the same time.
The result is a report; a dead link never stops the site from being built or published.
"""

from __future__ import annotations

import html
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

USER_AGENT = "kb-links/1.0 (kennisbank zorgzame gemeenschappen; linkcontrole)"
DEAD, DOUBT, OK = "dood", "onzeker", "ok"


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            for name, value in attrs:
                if name == "href" and value:
                    self.hrefs.append(value.strip())


def external_links(site: Path, own_url: str = "") -> dict[str, list[str]]:
    """External URL -> the pages (relative to ``site``) that link to it, sorted."""
    own = own_url.rstrip("/")
    found: dict[str, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Anchors()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for href in parser.hrefs:
            url = urldefrag(href).url
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
                continue
            if own and (url == own or url.startswith(own + "/")):
                continue
            found.setdefault(url, set()).add(page.relative_to(site).as_posix())
    return {url: sorted(pages) for url, pages in sorted(found.items())}


@dataclass
class LinkResult:
    url: str
    status: str  # ok, dood (dead) or onzeker (the server refused us; a person should look)
    code: int | None
    reason: str
    pages: list[str] = field(default_factory=list)


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
        if method == "GET":
            response.read(1024)
        return response.status


def check_url(url: str, timeout: float = 10.0) -> LinkResult:
    """HEAD, then GET if HEAD did not give a success; the GET answer counts."""
    code: int | None = None
    reason = ""
    for method in ("HEAD", "GET"):
        try:
            code = _request(url, method, timeout)
            return LinkResult(url, OK, code, "")
        except urllib.error.HTTPError as exc:
            code, reason = exc.code, f"HTTP {exc.code} {exc.reason}".strip()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            code = None
            why = getattr(exc, "reason", exc)
            reason = "geen antwoord binnen de tijd" if "timed out" in str(why) else str(why)
    if code is not None and (code in (404, 410) or code >= 500):
        return LinkResult(url, DEAD, code, reason)
    if code is not None:  # 401, 403, 429 and the like: blocked, not necessarily gone
        return LinkResult(url, DOUBT, code, reason)
    return LinkResult(url, DEAD, None, reason or "geen verbinding")


def check_links(
    links: dict[str, list[str]],
    timeout: float = 10.0,
    workers: int = 8,
    check: Callable[[str, float], LinkResult] = check_url,
) -> list[LinkResult]:
    """Check every URL once, at most ``workers`` at the same time; results in URL order."""
    urls = list(links)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda u: check(u, timeout), urls))
    for result in results:
        result.pages = links[result.url]
    return results


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "\\|").replace("\n", " ")


def as_markdown(results: Iterable[LinkResult]) -> str:
    results = list(results)
    dead = [r for r in results if r.status == DEAD]
    doubt = [r for r in results if r.status == DOUBT]
    lines = ["## Externe links", ""]
    lines.append(
        f"{len(results)} externe links gecontroleerd: {len(dead)} dood, "
        f"{len(doubt)} onzeker (de server weigerde ons; kijk zelf even)."
    )
    for title, group in (("Dode links", dead), ("Onzekere links", doubt)):
        if not group:
            continue
        lines += ["", f"### {title}", "", "| Link | Antwoord | Op pagina |", "| --- | --- | --- |"]
        for r in group:
            pages = ", ".join(_cell(p) for p in r.pages[:5]) + (" …" if len(r.pages) > 5 else "")
            lines.append(f"| {_cell(r.url)} | {_cell(r.reason)} | {pages} |")
    if not dead and not doubt:
        lines += ["", "Alle externe links werken."]
    return "\n".join(lines) + "\n"


def as_text(results: Iterable[LinkResult]) -> str:
    results = list(results)
    lines = [
        f"{r.status}: {r.url} ({r.reason}) op {', '.join(r.pages[:3])}"
        for r in results
        if r.status != OK
    ]
    dead = sum(1 for r in results if r.status == DEAD)
    doubt = sum(1 for r in results if r.status == DOUBT)
    lines.append(f"{len(results)} externe links gecontroleerd: {dead} dood, {doubt} onzeker.")
    return "\n".join(lines)


def as_json(results: Iterable[LinkResult]) -> str:
    return json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2)
