"""`kb linkcontrole`: external links of the built site, checked against a local server only."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kb_tools.cli import main
from kb_tools.tooling import linkcheck as links


class Handler(BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        path = self.path
        if path == "/traag":
            time.sleep(1.5)
        if path == "/alleen-get" and self.command == "HEAD":
            self.send_response(405)
        elif path == "/omleiding":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif path in ("/ok", "/alleen-get", "/traag"):
            self.send_response(200)
        elif path == "/verboden":
            self.send_response(403)
        elif path == "/kapot":
            self.send_response(500)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:  # noqa: N802 - http.server API
        self._quietly(body=False)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self._quietly(body=True)

    def _quietly(self, body: bool) -> None:
        try:
            self._answer(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def make_site(tmp_path: Path, server: str) -> Path:
    site = tmp_path / "site"
    (site / "c" / "ams-0001").mkdir(parents=True)
    (site / "index.html").write_text(
        f'<a href="{server}/ok">ok</a> <a href="{server}/weg#kop">weg</a>'
        f'<a href="/c/ams-0001/">intern</a> <a href="mailto:a@b.nl">mail</a>'
        f'<a href="https://kennisbank.example/c/ams-0001/">eigen site</a>',
        encoding="utf-8",
    )
    (site / "c" / "ams-0001" / "index.html").write_text(
        "".join(
            f'<a href="{server}/{p}">x</a>'
            for p in ("ok", "alleen-get", "omleiding", "verboden", "kapot", "weg")
        ),
        encoding="utf-8",
    )
    return site


def test_collects_external_links_once_with_their_pages(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path, server)
    found = links.external_links(site, "https://kennisbank.example/")
    assert found[f"{server}/weg"] == ["c/ams-0001/index.html", "index.html"]
    assert f"{server}/ok" in found
    assert not any("kennisbank.example" in url or "mailto" in url for url in found)
    assert len(found) == 6


def test_head_then_get_redirects_and_dead_links(server: str) -> None:
    assert links.check_url(f"{server}/ok").status == links.OK
    assert links.check_url(f"{server}/alleen-get").status == links.OK  # HEAD 405, GET 200
    assert links.check_url(f"{server}/omleiding").status == links.OK
    dead = links.check_url(f"{server}/weg")
    assert (dead.status, dead.code) == (links.DEAD, 404)
    assert links.check_url(f"{server}/kapot").status == links.DEAD
    assert links.check_url(f"{server}/verboden").status == links.DOUBT


def test_timeouts_and_refused_connections_are_dead(server: str) -> None:
    slow = links.check_url(f"{server}/traag", timeout=0.3)
    assert slow.status == links.DEAD and "tijd" in slow.reason
    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as closed:
        port = closed.server_address[1]
    assert links.check_url(f"http://127.0.0.1:{port}/", timeout=2).status == links.DEAD


def test_concurrency_is_limited() -> None:
    running, peak, lock = [0], [0], threading.Lock()

    def fake(url: str, timeout: float, deadline: float | None) -> links.LinkResult:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return links.LinkResult(url, links.OK, 200, "")

    found = {f"https://voorbeeld.nl/{i}": ["index.html"] for i in range(12)}
    results = links.check_links(found, workers=3, check=fake)
    assert [r.url for r in results] == list(found)
    assert 1 < peak[0] <= 3


def test_cli_reports_in_the_summary_and_never_fails(
    tmp_path: Path, server: str, monkeypatch, capsys
) -> None:
    site = make_site(tmp_path, server)
    summary = tmp_path / "summary.md"
    summary.write_text("eerder\n", encoding="utf-8")
    monkeypatch.setenv("KB_SITE_URL", "https://kennisbank.example/")
    code = main(["links", str(site), "--samenvatting", str(summary), "--tijd", "5"])
    out = capsys.readouterr().out
    assert code == 0
    assert "6 externe links gecontroleerd: 2 dood, 1 onzeker." in out
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("eerder\n## Externe links")
    assert f"| {server}/weg | HTTP 404" in text and "### Onzekere links" in text


def test_cli_needs_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["links", str(tmp_path / "geen-site")])
    assert exc.value.code == 2


class Trickle:
    """A hostile server on 127.0.0.1: it answers every request with a header line that
    never ends, one byte every 0.3 s, so a per-socket timeout alone never fires. After
    ``CAP`` bytes it gives up and closes, so a client without a deadline still returns
    (with another reason) instead of hanging the test run."""

    CAP = 30

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stop = threading.Event()
        self.sent: list[int] = []  # bytes sent so far, per connection
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with self.lock:
            index = len(self.sent)
            self.sent.append(0)
        with conn:
            try:
                conn.recv(65536)
                for byte in (b"HTTP/1.1 200 OK\r\nX-Langzaam: " + b"a" * self.CAP)[: self.CAP]:
                    if self.stop.wait(0.3):
                        break
                    conn.sendall(bytes([byte]))
                    with self.lock:
                        self.sent[index] += 1
            except OSError:  # the client hung up: that is what a deadline does
                pass

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture
def trickle() -> Iterator[Trickle]:
    server = Trickle()
    yield server
    server.close()


def test_a_trickling_server_is_cut_off_by_the_link_deadline(trickle: Trickle) -> None:
    result = links.check_url(f"{trickle.url}/druppel", timeout=1.0)
    assert result.status == links.DEAD
    assert result.reason == "geen antwoord binnen de tijd"
    # The check ended long before the server ran out of bytes: it did not wait for the
    # whole (never-ending) answer.
    with trickle.lock:
        assert trickle.sent and all(n < Trickle.CAP for n in trickle.sent)


def test_the_run_deadline_reports_the_links_it_did_not_check(
    tmp_path: Path, trickle: Trickle, capsys
) -> None:
    found = {f"{trickle.url}/{i}": ["index.html"] for i in range(4)}
    results = links.check_links(found, timeout=1.0, workers=1, total=1.5)
    assert [r.url for r in results] == list(found)
    first, *rest = results
    assert (first.status, first.reason) == (links.DEAD, "geen antwoord binnen de tijd")
    assert rest and all((r.status, r.reason) == (links.DOUBT, links.NOT_CHECKED) for r in rest), (
        rest
    )
    assert links.NOT_CHECKED == "niet gecontroleerd: de tijd was op"
    # Through the command line, in the text output and in the summary.
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "".join(f'<a href="{url}">x</a>' for url in found), encoding="utf-8"
    )
    summary = tmp_path / "summary.md"
    args = ["links", str(site), "--tijd", "1", "--totaal", "1.5", "--tegelijk", "1"]
    assert main([*args, "--samenvatting", str(summary)]) == 0
    out = capsys.readouterr().out
    assert f"onzeker: {trickle.url}/3 (niet gecontroleerd: de tijd was op)" in out
    assert "3 links niet gecontroleerd: de tijd was op" in out
    text = summary.read_text(encoding="utf-8")
    assert "niet gecontroleerd: de tijd was op" in text


def test_garbage_from_a_server_is_a_dead_link_not_a_crash() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        for _ in range(2):  # HEAD and GET
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"GEEN HTTP\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    result = links.check_url(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=5)
    thread.join(5)
    listener.close()
    assert (result.status, result.reason) == (links.DEAD, "geen geldig HTTP-antwoord")


def test_the_reason_never_repeats_the_servers_own_words() -> None:
    """The reason ends up in a GitHub issue: a server must not write into it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        for _ in range(2):  # HEAD and GET
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 404 @everyone ![x](https://evil/x.png)\r\nContent-Length: 0\r\n\r\n"
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    result = links.check_url(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=5)
    thread.join(5)
    listener.close()
    assert (result.status, result.code, result.reason) == (links.DEAD, 404, "HTTP 404 Not Found")
