"""Hostile servers against the real poller and fetcher, each a real loopback server.

Complements tests/ingest/test_safehttp.py (redirects, drips, bombs, address aliases) with
DNS answering differently the second time, XML entity attacks, a feedparser regex slowdown,
random bytes, TLS failures, and the whole feedparser test corpus served over loopback.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import Engine, select

from ingest.db import session_factory, transaction
from ingest.feedstore import add_feeds
from ingest.hostlimits import HostPolicy
from ingest.poller import Poller, PollerOptions
from ingest.safehttp import BlockedAddress, ConnectError, FetchError, FetchLimits, fetch
from schemas.tables import Entry, Feed
from tests.ingest.servers import (
    TestServer,
    _make_handler,
    _QuietServer,
    loopback_settings,
    redirect,
    serve,
    static,
)

FAST = PollerOptions(threads=8, host_policy=HostPolicy(max_concurrent=4, min_gap_s=0.0))
RSS_TYPE = "application/rss+xml"


def _poll_one(engine: Engine, conn: redis.Redis, url: str) -> tuple[Any, float]:
    with transaction(session_factory(engine)) as s:
        add_feeds(s, [url])
    start = time.monotonic()
    [out] = Poller(loopback_settings(), engine, conn, FAST).run_once()
    return out, time.monotonic() - start


def _texts(engine: Engine) -> str:
    with session_factory(engine)() as s:
        rows = s.execute(select(Entry.title, Entry.summary)).all()
        titles = list(s.scalars(select(Feed.title)))
    return " ".join(str(v) for row in rows for v in row) + " ".join(str(t) for t in titles)


# -- DNS answering differently the second time ----------------------------------------------


def test_dns_rebinding_between_requests_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # One port on two loopback addresses: 127.0.0.1 is allowed ("public"), 127.0.0.2 is not.
    with serve({"/": static(b"secret")}, host="127.0.0.2") as inside:
        state = TestServer(host="127.0.0.1", port=inside.port, routes={})
        state.routes["/"] = static(b"public", headers={"Connection": "close"})
        httpd = _QuietServer(("127.0.0.1", inside.port), _make_handler(state))
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
        thread.daemon = True
        thread.start()
        answers = iter(["127.0.0.1", "127.0.0.2", "127.0.0.1", "127.0.0.2"])
        real = socket.getaddrinfo

        def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
            if host == "rebind.test":
                host = next(answers)
            return real(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        try:
            url = f"http://rebind.test:{inside.port}/"
            first = fetch(url, allowed_networks=["127.0.0.1/32"])
            assert first.body == b"public"
            with pytest.raises(BlockedAddress) as err:
                fetch(url, allowed_networks=["127.0.0.1/32"])
            assert err.value.address == "127.0.0.2"
            assert inside.requests == []  # not a byte reached the internal server
        finally:
            httpd.shutdown()
            httpd.server_close()


def test_redirect_hop_to_a_rebound_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve({"/": static(b"secret")}, host="127.0.0.2") as inside:
        with serve() as outside:
            outside.routes["/feed"] = redirect(f"http://rebind.test:{inside.port}/")
            real = socket.getaddrinfo

            def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
                return real("127.0.0.2" if host == "rebind.test" else host, *args, **kwargs)

            monkeypatch.setattr(socket, "getaddrinfo", resolver)
            with pytest.raises(BlockedAddress):
                fetch(outside.url("/feed"), allowed_networks=["127.0.0.1/32"])
        assert inside.requests == []


# -- XML entity attacks ---------------------------------------------------------------------

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
    )
    + b']><rss version="2.0"><channel><title>&j;</title><item><title>&j;</title>'
    b"<link>http://127.0.0.1:9/x</link></item></channel></rss>"
)


def test_billion_laughs_feed_is_not_expanded(engine: Engine, redis_conn: redis.Redis) -> None:
    with serve({"/f.xml": static(LAUGHS, content_type=RSS_TYPE)}) as srv:
        out, elapsed = _poll_one(engine, redis_conn, srv.url("/f.xml"))
    assert elapsed < 10
    assert out.outcome in ("changed", "error")
    assert "lol" * 1000 not in _texts(engine)  # 10^9 "lol"s never built


def test_external_entities_are_not_fetched_or_read(engine: Engine, redis_conn: redis.Redis) -> None:
    with serve({"/secret": static(b"TOPSECRET")}) as canary:
        body = (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY net SYSTEM "'
            + canary.url("/secret").encode()
            + b'"><!ENTITY file SYSTEM "file:///etc/hostname">]><rss version="2.0"><channel>'
            b"<title>t &net; &file;</title><item><title>i &net; &file;</title>"
            b"<link>http://127.0.0.1:9/x</link></item></channel></rss>"
        )
        with serve({"/f.xml": static(body, content_type=RSS_TYPE)}) as srv:
            out, _ = _poll_one(engine, redis_conn, srv.url("/f.xml"))
        assert canary.requests == []  # no outbound request for the entity
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    texts = _texts(engine)
    assert "TOPSECRET" not in texts
    assert not hostname or hostname not in texts
    assert out.outcome in ("changed", "error")


# -- parser slowdowns, garbage, TLS ---------------------------------------------------------


def test_author_field_regex_slowdown_is_bounded(engine: Engine, redis_conn: redis.Redis) -> None:
    # feedparser matches an e-mail address inside author strings with a backtracking regex.
    author = ("a" * 40 + ".") * 2000 + "@" + "b." * 20000
    items = "".join(
        f"<item><title>t{i}</title><link>http://127.0.0.1:9/{i}</link><author>{author}</author>"
        "</item>"
        for i in range(3)
    ).encode()
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>a</title>' + items
    body += b"</channel></rss>"
    with serve({"/f.xml": static(body, content_type=RSS_TYPE)}) as srv:
        out, elapsed = _poll_one(engine, redis_conn, srv.url("/f.xml"))
    assert elapsed < 15, elapsed
    assert out.outcome in ("changed", "error")


def test_random_bytes_are_a_clear_error(engine: Engine, redis_conn: redis.Redis) -> None:
    junk = random.Random(7).randbytes(200_000)
    with serve({"/f.xml": static(junk, content_type=RSS_TYPE)}) as srv:
        out, _ = _poll_one(engine, redis_conn, srv.url("/f.xml"))
    assert out.outcome == "error" and out.reason
    with session_factory(engine)() as s:
        feed = s.scalars(select(Feed)).one()
    assert feed.error_count == 1 and feed.last_error


def test_plain_http_on_an_https_url_is_a_tls_error() -> None:
    with serve({"/": static(b"hello")}) as srv, pytest.raises(ConnectError) as err:
        fetch(f"https://127.0.0.1:{srv.port}/", allowed_networks=["127.0.0.0/8"])
    assert err.value.reason in ("tls_error", "connection_reset")


def test_garbage_tls_handshake_is_a_clear_error() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    port = sock.getsockname()[1]
    stop = threading.Event()

    def garbage() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            conn.sendall(random.Random(1).randbytes(4096))
            conn.close()

    thread = threading.Thread(target=garbage, daemon=True)
    thread.start()
    try:
        with pytest.raises(FetchError) as err:
            fetch(
                f"https://127.0.0.1:{port}/",
                allowed_networks=["127.0.0.0/8"],
                limits=FetchLimits(deadline_s=5),
            )
        assert err.value.transient and err.value.reason
    finally:
        stop.set()
        thread.join(2)
        sock.close()


# -- the feedparser corpus ------------------------------------------------------------------


def test_feedparser_corpus_over_loopback(
    engine: Engine, redis_conn: redis.Redis, shared_dir: Path
) -> None:
    corpus = shared_dir / "eval" / "feeds" / "feedparser-tests"
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))
    if not files:
        pytest.skip("feedparser test corpus not present")
    ctype = {".xml": "application/xml", ".json": "application/feed+json"}
    routes = {
        f"/c/{i}{p.suffix}": static(p.read_bytes(), content_type=ctype[p.suffix])
        for i, p in enumerate(files)
    }
    with serve(routes) as srv:
        with transaction(session_factory(engine)) as s:
            add_feeds(s, [srv.url(path) for path in routes])
        opts = PollerOptions(threads=16, host_policy=HostPolicy(max_concurrent=16, min_gap_s=0))
        outcomes = Poller(loopback_settings(), engine, redis_conn, opts).run_once()
    assert len(outcomes) == len(files)  # every file checked, none crashed the poller
    kinds = Counter(
        "refused" if o.outcome == "error" else ("malformed" if o.reason else "parsed")
        for o in outcomes
    )
    reasons = Counter(o.reason for o in outcomes if o.outcome == "error")
    print(
        f"feedparser corpus: {len(files)} files, {dict(kinds)}; refused by reason {dict(reasons)}"
    )
    assert "feed_check_crashed" not in reasons
    assert kinds["parsed"] + kinds["malformed"] > len(files) // 2
