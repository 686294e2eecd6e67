"""Real loopback HTTP servers for tests: a route table served by a threaded http.server.

Usage::

    with serve({"/feed.xml": static(b"<rss/>", content_type="application/rss+xml")}) as srv:
        fetch(srv.url("/feed.xml"), allowed_networks=["127.0.0.0/8"])

Route handlers are plain callables on the request handler, so a test can add its own.
Hostile handlers (drip, endless body, gzip bomb, stall) are bounded in bytes and time and
stop when the client goes away.
"""

from __future__ import annotations

import gzip
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ingest.settings import Settings, load_settings

Handler = Callable[[BaseHTTPRequestHandler], None]

#: Hostile handlers never run longer than this, whatever the client does.
MAX_HANDLER_SECONDS = 30.0


@dataclass
class SeenRequest:
    """One request the server received: path and lower-cased headers."""

    path: str
    headers: dict[str, str]
    #: (address, port) of the client's end: one port, one TCP connection.
    client: tuple[str, int] = ("", 0)


@dataclass
class TestServer:
    """A running loopback server; mutate ``routes`` freely, read ``requests`` after."""

    host: str
    port: int
    routes: dict[str, Handler]
    requests: list[SeenRequest] = field(default_factory=list)

    __test__ = False  # not a pytest test class

    def url(self, path: str = "/") -> str:
        """Return the absolute URL of ``path`` on this server."""
        return f"http://{self.host}:{self.port}{path}"


def _send_head(
    req: BaseHTTPRequestHandler,
    status: int,
    headers: Mapping[str, str] | None = None,
) -> None:
    req.send_response(status)
    for key, value in (headers or {}).items():
        req.send_header(key, value)
    req.end_headers()


def static(
    body: bytes,
    *,
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> Handler:
    """Return a handler answering ``body`` with ``status`` and a correct Content-Length."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        _send_head(
            req,
            status,
            {"Content-Type": content_type, "Content-Length": str(len(body)), **(headers or {})},
        )
        req.wfile.write(body)

    return handle


def gzipped(body: bytes, *, content_type: str = "text/html; charset=utf-8") -> Handler:
    """Return a handler answering ``body`` gzip-encoded."""
    data = gzip.compress(body)
    return static(data, content_type=content_type, headers={"Content-Encoding": "gzip"})


def deflated(body: bytes, *, raw: bool = False) -> Handler:
    """Return a handler answering ``body`` deflate-encoded (zlib-wrapped, or raw if asked)."""
    if raw:
        comp = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = comp.compress(body) + comp.flush()
    else:
        data = zlib.compress(body)
    return static(data, headers={"Content-Encoding": "deflate"})


def conditional(body: bytes, *, etag: str, last_modified: str) -> Handler:
    """Return a handler honouring If-None-Match / If-Modified-Since with a 304."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if (
            req.headers.get("If-None-Match") == etag
            or req.headers.get("If-Modified-Since") == last_modified
        ):
            _send_head(req, 304, validators)
            return
        _send_head(req, 200, {"Content-Length": str(len(body)), **validators})
        req.wfile.write(body)

    return handle


def redirect(location: str, *, status: int = 302) -> Handler:
    """Return a handler redirecting to ``location`` (absolute or relative)."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        _send_head(req, status, {"Location": location, "Content-Length": "0"})

    return handle


def status(code: int, *, headers: Mapping[str, str] | None = None) -> Handler:
    """Return a handler answering a bare ``code`` with ``headers``."""
    return static(f"status {code}".encode(), status=code, headers=headers)


def endless(*, chunk: bytes = b"x" * 65536, max_bytes: int = 256 * 1024 * 1024) -> Handler:
    """Return a handler streaming an unbounded body (no Content-Length) until the client quits."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        _send_head(req, 200, {"Content-Type": "text/html", "Connection": "close"})
        sent = 0
        stop = time.monotonic() + MAX_HANDLER_SECONDS
        try:
            while sent < max_bytes and time.monotonic() < stop:
                req.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            return
        req.close_connection = True

    return handle


def gzip_bomb(*, decoded_bytes: int = 200 * 1024 * 1024) -> Handler:
    """Return a handler sending a small gzip body that inflates to ``decoded_bytes`` of zeros."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [comp.compress(block) for _ in range(decoded_bytes // len(block))]
    data = b"".join(parts) + comp.flush()
    return static(data, headers={"Content-Encoding": "gzip"})


def drip(*, interval_s: float = 1.0, total_bytes: int = 1000) -> Handler:
    """Return a handler sending one body byte every ``interval_s`` (a slow-loris server)."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        _send_head(req, 200, {"Content-Length": str(total_bytes)})
        stop = time.monotonic() + MAX_HANDLER_SECONDS
        try:
            for _ in range(total_bytes):
                if time.monotonic() > stop:
                    return
                req.wfile.write(b"x")
                req.wfile.flush()
                time.sleep(interval_s)
        except OSError:
            return

    return handle


def stall(*, seconds: float = 10.0) -> Handler:
    """Return a handler that sends nothing for ``seconds`` (bounded), then closes."""

    def handle(req: BaseHTTPRequestHandler) -> None:
        time.sleep(min(seconds, MAX_HANDLER_SECONDS))

    return handle


def _make_handler(server: TestServer) -> type[BaseHTTPRequestHandler]:
    class RouteHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server.requests.append(
                SeenRequest(
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    (str(self.client_address[0]), int(self.client_address[1])),
                )
            )
            handler = server.routes.get(path)
            if handler is None:
                static(b"not found", status=404)(self)
                return
            handler(self)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return RouteHandler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up on hostile handlers is expected; other errors still print."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(
    routes: Mapping[str, Handler] | None = None, host: str = "127.0.0.1"
) -> Iterator[TestServer]:
    """Run a threaded HTTP server on ``host`` (random port); yield it; stop it on exit."""
    state = TestServer(host=host, port=0, routes=dict(routes or {}))
    httpd = _QuietServer((host, 0), _make_handler(state))
    state.port = int(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def loopback_settings(**overrides: object) -> Settings:
    """Return settings allowed to fetch from loopback (the test servers), plus ``overrides``."""
    return load_settings({}, overrides={"allow_private_networks": ("127.0.0.0/8",), **overrides})
