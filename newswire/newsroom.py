"""A sample newsroom served on loopback: feeds and article pages from a manifest directory.

The bundled one (``demo_data/``) holds the two French sample articles; the demo, the
end-to-end tests and the benchmarks serve it (or copies of it under other paths) so the
whole pipeline runs for real without any network.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


@dataclass(frozen=True)
class Page:
    """One article page of the newsroom."""

    path: str
    html: bytes
    title: str
    published: str
    guid: str
    summary: str
    feed: str


def load_manifest(root: Path = DEMO_DATA) -> tuple[dict[str, Any], list[Page]]:
    """Return the feeds of the manifest in ``root`` and its article pages."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    pages = [
        Page(
            path="/" + a["html"],
            html=(root / a["html"]).read_bytes(),
            title=a["title"],
            published=a["published"],
            guid=a["guid"],
            summary=a.get("summary", ""),
            feed=a["feed"],
        )
        for a in manifest["articles"]
    ]
    return manifest["feeds"], pages


def render_rss(base: str, feed_id: str, meta: dict[str, Any], pages: list[Page]) -> bytes:
    """Return an RSS 2.0 document listing ``pages`` with absolute links under ``base``."""
    items = []
    for p in pages:
        pub = format_datetime(datetime.fromisoformat(p.published))
        items.append(
            "<item>"
            f"<title>{escape(p.title)}</title><link>{escape(base + p.path)}</link>"
            f'<guid isPermaLink="false">{escape(p.guid)}</guid>'
            f"<pubDate>{pub}</pubDate><description>{escape(p.summary)}</description>"
            "</item>"
        )
    doc = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(meta.get('title', feed_id))}</title><link>{escape(base)}/</link>"
        f"<language>{escape(meta.get('lang', ''))}</language>"
        f"<description>{escape(meta.get('title', feed_id))}</description>"
        + "".join(items)
        + "</channel></rss>"
    )
    return doc.encode("utf-8")


class Newsroom:
    """A threaded HTTP server on 127.0.0.1 serving one manifest's feeds and pages."""

    def __init__(self, root: Path = DEMO_DATA, host: str = "127.0.0.1", port: int = 0) -> None:
        self.feeds, self.pages = load_manifest(root)
        self.routes: dict[str, tuple[str, bytes]] = {}
        handler = self._handler()
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.base = f"http://{host}:{self.server.server_address[1]}"
        for p in self.pages:
            self.routes[p.path] = ("text/html; charset=utf-8", p.html)
        for fid, meta in self.feeds.items():
            mine = [p for p in self.pages if p.feed == fid]
            self.routes[f"/feeds/{fid}.xml"] = (
                "application/rss+xml; charset=utf-8",
                render_rss(self.base, fid, meta, mine),
            )
        self.hits: dict[str, int] = {}
        self._thread: threading.Thread | None = None

    def feed_urls(self) -> list[str]:
        """Return the absolute URLs of the newsroom's feeds."""
        return [f"{self.base}/feeds/{fid}.xml" for fid in self.feeds]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        room = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                room.hits[path] = room.hits.get(path, 0) + 1
                route = room.routes.get(path)
                if route is None:
                    self.send_error(404)
                    return
                ctype, body = route
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the pipeline logs what it fetched; the server stays quiet

        return Handler

    def start(self) -> Newsroom:
        """Serve in a background thread; return self."""
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def serve(root: Path = DEMO_DATA) -> Iterator[Newsroom]:
    """Yield a running newsroom for ``root``; stop it on exit."""
    room = Newsroom(root).start()
    try:
        yield room
    finally:
        room.stop()
