"""``kb linkcontrole``: the external link checker (``enrich.links`` resolves the ``[[id]]`` links
between cases). Every ``http(s)`` link in the built site is tried once, with the standard
library only; the result is a report, and a dead link never stops a build or publication.
"""

from __future__ import annotations

import functools
import html
import http
import http.client
import io
import json
import socket
import time
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
TIMED_OUT = "geen antwoord binnen de tijd"
NOT_CHECKED = "niet gecontroleerd: de tijd was op"


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


class DeadlinePassed(TimeoutError):
    """The link's (or the run's) time is up."""


class _DeadlineSocket:
    """A socket whose every read and write waits at most ``timeout`` seconds and never past
    ``deadline`` (a ``time.monotonic()`` value). http.client reads headers through
    ``makefile``, so the file it gets reads through this object too."""

    def __init__(self, sock: socket.socket, deadline: float, timeout: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._timeout = timeout

    def _arm(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassed("timed out: deadline passed")
        self._sock.settimeout(min(self._timeout, left))

    def recv(self, size: int, flags: int = 0) -> bytes:
        self._arm()
        return self._sock.recv(size, flags)

    def recv_into(self, buffer: bytearray | memoryview, size: int = 0, flags: int = 0) -> int:
        self._arm()
        return self._sock.recv_into(buffer, size, flags)

    def send(self, data: bytes, flags: int = 0) -> int:
        self._arm()
        return self._sock.send(data, flags)

    def sendall(self, data: bytes, flags: int = 0) -> None:
        self._arm()
        self._sock.sendall(data, flags)

    def makefile(self, mode: str = "r", buffering: int | None = None, **_: object) -> io.IOBase:
        if mode != "rb":
            raise ValueError(f"only binary reading, not {mode!r}")
        raw = socket.SocketIO(self, "rb")  # type: ignore[arg-type] - it only needs recv_into
        self._sock._io_refs += 1  # type: ignore[attr-defined] - as socket.makefile does
        return io.BufferedReader(raw, buffering or io.DEFAULT_BUFFER_SIZE)

    def __getattr__(self, name: str):  # noqa: ANN204 - close, fileno, setsockopt, ...
        return getattr(self._sock, name)


class _DeadlineMixin:
    """Connect within the deadline, then use the socket through ``_DeadlineSocket``."""

    def __init__(self, *args, deadline: float, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._deadline = deadline
        # urllib always passes a number; without one, only the deadline bounds a wait
        number = isinstance(self.timeout, int | float)
        self._socket_timeout: float = self.timeout if number else float("inf")

    def connect(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassed("timed out: deadline passed")
        # bounds the TCP connect and, for HTTPS, the whole TLS handshake
        self.timeout = min(self._socket_timeout, left)
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self._deadline, self._socket_timeout)


class _HTTPConnection(_DeadlineMixin, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_DeadlineMixin, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, deadline=self._deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            functools.partial(_HTTPSConnection, deadline=self._deadline),
            req,
            context=self._context,
        )


def _request(url: str, method: str, timeout: float, deadline: float) -> int:
    opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline))
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with opener.open(request, timeout=timeout) as response:  # http(s) only: see external_links
        if method == "GET":
            response.read(1024)
        return response.status


def _phrase(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return ""


def check_url(url: str, timeout: float = 10.0, deadline: float | None = None) -> LinkResult:
    """HEAD, then GET if HEAD did not give a success; the GET answer counts.

    Everything together takes at most ``timeout`` seconds, and ends at ``deadline`` (the
    run's end, a ``time.monotonic()`` value) if that comes first; a link the run's end cut
    off is ``onzeker``, not dead."""
    own_end = time.monotonic() + timeout
    end = own_end if deadline is None else min(own_end, deadline)
    code: int | None = None
    reason = ""
    for method in ("HEAD", "GET"):
        try:
            code = _request(url, method, timeout, end)
            return LinkResult(url, OK, code, "")
        except urllib.error.HTTPError as exc:
            # the standard phrase, never the server's own words (they end up in an issue)
            code, reason = exc.code, f"HTTP {exc.code} {_phrase(exc.code)}".strip()
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            code = None
            why = getattr(exc, "reason", exc)
            if isinstance(why, TimeoutError) or "timed out" in str(why):
                reason = TIMED_OUT
            elif isinstance(exc, http.client.HTTPException):
                reason = "geen geldig HTTP-antwoord"
            else:
                reason = str(why) or type(why).__name__
        if time.monotonic() >= end:
            break
    if deadline is not None and deadline < own_end and time.monotonic() >= deadline:
        return LinkResult(url, DOUBT, None, NOT_CHECKED)
    if code is not None and (code in (404, 410) or code >= 500):
        return LinkResult(url, DEAD, code, reason)
    if code is not None:  # 401, 403, 429 and the like: blocked, not necessarily gone
        return LinkResult(url, DOUBT, code, reason)
    return LinkResult(url, DEAD, None, reason or "geen verbinding")


def check_links(
    links: dict[str, list[str]],
    timeout: float = 10.0,
    workers: int = 8,
    check: Callable[[str, float, float | None], LinkResult] = check_url,
    total: float | None = None,
) -> list[LinkResult]:
    """Check every URL once, at most ``workers`` at the same time; results in URL order.
    ``timeout`` bounds each link, ``total`` (seconds) the whole run: links not checked by
    then are ``onzeker`` with the reason NOT_CHECKED.

    Each link has one hard deadline for everything it does (connect, HEAD, GET, redirects,
    every byte of the headers): the connection's socket is wrapped so that each read and
    write waits at most until that deadline, so a server that trickles one byte at a time
    cannot hold a check. Name lookups (DNS) happen before there is a socket and are not
    bounded this way."""
    urls = list(links)
    deadline = None if total is None else time.monotonic() + total

    def one(url: str) -> LinkResult:
        if deadline is not None and time.monotonic() >= deadline:
            return LinkResult(url, DOUBT, None, NOT_CHECKED)
        return check(url, timeout, deadline)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(one, urls))
    for result in results:
        result.pages = links[result.url]
    return results


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "\\|").replace("\n", " ")


def _not_checked(results: list[LinkResult]) -> str:
    """A sentence about the links the run had no time for, or ''."""
    count = sum(1 for r in results if r.reason == NOT_CHECKED)
    if not count:
        return ""
    return f"{count} {'link' if count == 1 else 'links'} {NOT_CHECKED} (zie --totaal)."


def as_markdown(results: Iterable[LinkResult]) -> str:
    results = list(results)
    dead = [r for r in results if r.status == DEAD]
    doubt = [r for r in results if r.status == DOUBT]
    lines = ["## Externe links", ""]
    lines.append(
        f"{len(results)} externe links gecontroleerd: {len(dead)} dood, "
        f"{len(doubt)} onzeker (de server weigerde ons; kijk zelf even)."
    )
    if _not_checked(results):
        lines[-1] += f" {_not_checked(results)} Die staan bij de onzekere links."
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
    if _not_checked(results):
        lines.append(_not_checked(results))
    return "\n".join(lines)


def as_json(results: Iterable[LinkResult]) -> str:
    return json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2)
