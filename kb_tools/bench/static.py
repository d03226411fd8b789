"""A quiet static file server for a built site on 127.0.0.1, for `kb meten` and tests.

It counts the bytes it sends per path, so a measurement can say what a page cost the
browser, whatever the browser did in workers.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Served:
    url: str  # the site's base URL, ending in "/"
    sent: dict[str, int] = field(default_factory=dict)  # path -> bytes of the files sent
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> dict[str, int]:
        """The bytes sent per path since the last call."""
        with self.lock:
            sent, self.sent = self.sent, {}
        return sent


class _Handler(SimpleHTTPRequestHandler):
    served: Served

    def log_message(self, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        start = source.tell()
        super().copyfile(source, outputfile)
        path = urlsplit(self.path).path
        with self.served.lock:
            self.served.sent[path] = self.served.sent.get(path, 0) + source.tell() - start


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a browser that closes mid-request (favicon, shutdown) is not our error


@contextmanager
def serve(site: Path) -> Iterator[Served]:
    served = Served("")
    handler = type("Handler", (_Handler,), {"served": served})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
