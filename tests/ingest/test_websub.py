"""WebSub end to end on loopback: a hub written here, a feed server advertising it, the real
callback server (uvicorn), the real poller, real Redis and a real database.

The hub behaves as WebSub §5–8 says a hub does: it answers a subscription request with 202,
verifies the subscriber's intent by calling the callback with a challenge, and pushes new
content signed with the subscription's secret.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import redis
from click.testing import CliRunner
from sqlalchemy import Engine, delete, func, select, update
from structlog.testing import capture_logs

from ingest.db import session_factory, transaction
from ingest.feeds import parse_feed
from ingest.feedstore import add_feeds
from ingest.jsonfeed import parse_json_feed
from ingest.poller import Poller
from ingest.queueing import get_queue
from ingest.settings import Settings, load_settings
from ingest.websub.daemon import WebSubDaemon
from ingest.websub.links import HubLink, hub_link, parse_link_header
from ingest.websub.signature import ALGORITHMS, sign, signature_problem
from ingest.websub.store import RENEW_AT, Subscription, SubscriptionStore
from ingest.websub.subscriber import Subscriber
from newswire.cli import main
from schemas.messages import decode_entry
from schemas.tables import Entry, Feed, WebSubSubscription
from tests.ingest.servers import loopback_settings, serve, static

LOOPBACK = ("127.0.0.0/8",)
LEASE_S = 3600


# --------------------------------------------------------------------------- helpers


def _http(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """Send one request with the standard library (the hub's client, not newswire's)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _rss(items: list[str], *, hub: str | None = None, self_url: str | None = None) -> bytes:
    links = ""
    if hub:
        links += f'<atom:link rel="hub" href="{hub}"/>'
    if self_url:
        links += f'<atom:link rel="self" href="{self_url}" type="application/rss+xml"/>'
    entries = "".join(
        f"<item><title>{slug}</title><link>http://127.0.0.1:9/{slug}</link><guid>{slug}</guid>"
        "</item>"
        for slug in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>T</title><link>http://127.0.0.1:9/</link>{links}{entries}"
        "</channel></rss>"
    ).encode()


@dataclass
class HubRequest:
    """One subscription request the hub received (its form fields)."""

    mode: str
    topic: str
    callback: str
    secret: str | None
    lease_seconds: str | None


@dataclass
class Verification:
    """The hub's intent verification of one request, and how the subscriber answered."""

    mode: str
    topic: str
    status: int
    echoed: bool


@dataclass
class LoopbackHub:
    """A WebSub hub on 127.0.0.1: subscriptions, intent verification, signed pushes."""

    host: str = "127.0.0.1"
    port: int = 0
    requests: list[HubRequest] = field(default_factory=list)
    verifications: list[Verification] = field(default_factory=list)
    #: topic → (callback, secret) of verified subscriptions.
    subscribers: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Answer requests without verifying them (a hub that fails silently).
    silent: bool = False
    #: Verify before answering the request (some hubs do), instead of after.
    verify_first: bool = False
    #: Deny the next subscription with this reason instead of verifying it.
    deny_with: str | None = None
    _changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        """Return the hub's URL."""
        return f"http://{self.host}:{self.port}/hub"

    def handle(self, req: HubRequest) -> None:
        """Do what a hub does after accepting ``req``: verify it, or deny it."""
        if self.silent:
            return
        if self.deny_with is not None and req.mode == "subscribe":
            query = {"hub.mode": "denied", "hub.topic": req.topic, "hub.reason": self.deny_with}
            status, _ = _http("GET", f"{req.callback}?{urlencode(query)}")
            self._record(Verification("denied", req.topic, status, echoed=False))
            return
        challenge = secrets.token_hex(8)
        query = {"hub.mode": req.mode, "hub.topic": req.topic, "hub.challenge": challenge}
        if req.mode == "subscribe":
            query["hub.lease_seconds"] = req.lease_seconds or "600"
        status, body = _http("GET", f"{req.callback}?{urlencode(query)}")
        echoed = status == 200 and body == challenge.encode()
        if echoed and req.mode == "subscribe":
            self.subscribers[req.topic] = (req.callback, req.secret or "")
        elif echoed:
            self.subscribers.pop(req.topic, None)
        self._record(Verification(req.mode, req.topic, status, echoed))

    def _record(self, verification: Verification) -> None:
        with self._changed:
            self.verifications.append(verification)
            self._changed.notify_all()

    def wait_verifications(self, n: int, timeout_s: float = 10.0) -> list[Verification]:
        """Return the verifications once there are ``n``; fail after ``timeout_s``."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.verifications) >= n, timeout_s), (
                f"the hub made {len(self.verifications)} verifications, expected {n}"
            )
            return list(self.verifications)

    def publish(
        self,
        topic: str,
        body: bytes,
        *,
        method: str = "sha256",
        secret: str | None = None,
        signature: str | None = "sign",
    ) -> int:
        """Push ``body`` to the topic's subscriber, signed; return the callback's status.

        ``secret`` overrides the subscription's; ``signature`` None sends none, any other
        value than "sign" is sent as the header as is.
        """
        callback, real_secret = self.subscribers[topic]
        headers = {"Content-Type": "application/rss+xml"}
        if signature == "sign":
            headers["X-Hub-Signature"] = sign(secret or real_secret, body, method)
        elif signature is not None:
            headers["X-Hub-Signature"] = signature
        status, _ = _http("POST", callback, body, headers)
        return status


@pytest.fixture()
def hub() -> Iterator[LoopbackHub]:
    state = LoopbackHub()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            req = HubRequest(
                mode=form.get("hub.mode", ""),
                topic=form.get("hub.topic", ""),
                callback=form.get("hub.callback", ""),
                secret=form.get("hub.secret"),
                lease_seconds=form.get("hub.lease_seconds"),
            )
            state.requests.append(req)
            if state.verify_first:
                state.handle(req)
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            if not state.verify_first:
                # Verified after the answer, as hubs usually do: the subscriber must be ready.
                threading.Thread(target=state.handle, args=(req,), daemon=True).start()

        def do_GET(self) -> None:
            state.requests.append(HubRequest("GET", self.path, "", None, None))
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


def _add(engine: Engine, url: str) -> int:
    with transaction(session_factory(engine)) as s:
        add_feeds(s, [url])
        return int(s.scalar(select(Feed.id).where(Feed.url == url)) or 0)


@dataclass
class Rig:
    """Everything a WebSub test needs, running."""

    settings: Settings
    engine: Engine
    conn: redis.Redis
    hub: LoopbackHub
    daemon: WebSubDaemon
    callback_base: str
    feed_url: str
    feed_id: int
    set_feed: Callable[[list[str]], bytes]

    def poller(self) -> Poller:
        return Poller(self.settings, self.engine, self.conn)

    def subscription(self) -> Subscription:
        sub = SubscriptionStore(session_factory(self.engine)).for_feed(self.feed_id)
        assert sub is not None
        return sub

    def fetch_urls(self) -> list[str]:
        return sorted(decode_entry(j.args[0]).url for j in get_queue(self.conn, "fetch").get_jobs())

    def subscribe(self) -> Subscription:
        """Poll the feed, subscribe at its hub, wait for the verification; return the row."""
        self.poller().run_once()
        assert self.daemon.subscriber.run_due() == 1
        [verification] = self.hub.wait_verifications(1)
        assert verification.echoed
        return self.subscription()


@pytest.fixture()
def rig(engine: Engine, redis_conn: redis.Redis, hub: LoopbackHub) -> Iterator[Rig]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}/websub"
    settings = loopback_settings(websub_callback_url=base, websub_lease_s=LEASE_S)
    with serve() as feeds:
        feed_url = feeds.url("/feed.xml")

        def set_feed(items: list[str]) -> bytes:
            body = _rss(items, hub=hub.url, self_url=feed_url)
            feeds.routes["/feed.xml"] = static(body, content_type="application/rss+xml")
            return body

        set_feed(["a1"])
        # The subscriber is driven by the tests (run_due), not by the upkeep thread.
        daemon = WebSubDaemon(settings, engine, redis_conn, upkeep_every_s=None)
        thread = threading.Thread(target=daemon.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not daemon.started:
            assert time.monotonic() < deadline, "the callback server did not start"
            time.sleep(0.02)
        try:
            yield Rig(
                settings,
                engine,
                redis_conn,
                hub,
                daemon,
                base,
                feed_url,
                _add(engine, feed_url),
                set_feed,
            )
        finally:
            daemon.stop()
            thread.join(10)
            sock.close()


# --------------------------------------------------------------------------- units


def test_feeds_advertise_hubs_in_rss_atom_and_json_feed() -> None:
    rss = parse_feed(_rss(["a"], hub="https://hub.example/", self_url="/rss"), url="http://s/x")
    assert rss.hubs == ("https://hub.example/",) and rss.self_url == "http://s/rss"
    atom = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        b'<link rel="hub" href="https://h1.example/"/><link rel="hub" href="https://h2.example/"/>'
        b'<link rel="self" href="https://a.example/atom"/><link href="https://a.example/"/>'
        b"<entry><id>1</id><title>x</title><link href='https://a.example/1'/></entry></feed>",
        url="https://a.example/atom",
    )
    assert atom.hubs == ("https://h1.example/", "https://h2.example/")
    assert hub_link(atom, {}, "https://a.example/atom") == HubLink(
        "https://h1.example/", "https://a.example/atom"
    )
    plain = parse_feed(_rss(["a"]), url="http://s/x")
    assert plain.hubs == () and hub_link(plain, {}, "http://s/x") is None
    jf = parse_json_feed(
        b'{"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://j.example/f.json",'
        b' "hubs": [{"type": "rssCloud", "url": "https://c/"}, {"type": "WebSub",'
        b' "url": "https://hub.example/"}], "items": []}',
        url="https://j.example/f.json",
    )
    assert jf.hubs == ("https://hub.example/",) and jf.self_url == "https://j.example/f.json"


def test_link_headers_name_hub_and_topic_before_the_document() -> None:
    header = (
        '<https://hub.example/a,b>; rel="hub", </feeds/main>; rel="self alternate"; '
        'title="x, y", <https://other.example/>; rel=hub, garbage'
    )
    assert parse_link_header(header) == [
        ("https://hub.example/a,b", frozenset({"hub"})),
        ("/feeds/main", frozenset({"self", "alternate"})),
        ("https://other.example/", frozenset({"hub"})),
    ]
    parsed = parse_feed(_rss(["a"], hub="https://doc-hub.example/"), url="http://s/x")
    link = hub_link(parsed, {"link": header}, "http://s/x")
    assert link == HubLink("https://hub.example/a,b", "http://s/feeds/main")
    # Without Link headers the document's hub, and the fetched URL as the topic.
    assert hub_link(parsed, {}, "http://s/x") == HubLink("https://doc-hub.example/", "http://s/x")
    # A hub that is not http(s) is no hub: here the document's is used instead.
    ftp = hub_link(parsed, {"link": "<ftp://h/>; rel=hub"}, "http://s/x")
    assert ftp == HubLink("https://doc-hub.example/", "http://s/x")
    bad = parse_feed(_rss(["a"], hub="javascript:alert(1)"), url="http://s/x")
    assert hub_link(bad, {}, "http://s/x") is None


@pytest.mark.parametrize("method", sorted(ALGORITHMS))
def test_every_websub_signature_method_is_checked(method: str) -> None:
    body = b"<rss/>"
    assert signature_problem(sign("k", body, method), "k", body) is None
    assert signature_problem(sign("other", body, method), "k", body) == "bad_signature"
    assert signature_problem(sign("k", body + b" ", method), "k", body) == "bad_signature"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "missing_signature"),
        ("", "missing_signature"),
        ("sha256", "malformed_signature"),
        ("md5=0123", "unsupported_signature_method"),
        ("sha256=zz\u00e9", "bad_signature"),
    ],
)
def test_a_bad_signature_header_has_a_reason(header: str | None, reason: str) -> None:
    assert signature_problem(header, "k", b"body") == reason


# --------------------------------------------------------------------------- end to end


def test_a_verified_subscription_and_a_signed_push_enqueue_within_a_second(rig: Rig) -> None:
    [first] = rig.poller().run_once()
    assert first.new_entries == 1
    sub = rig.subscription()
    assert (sub.state, sub.hub_url, sub.topic_url) == ("discovered", rig.hub.url, rig.feed_url)
    assert rig.hub.requests == []  # discovery alone asks nothing of the hub

    with capture_logs() as logs:
        assert rig.daemon.subscriber.run_due() == 1
        [verification] = rig.hub.wait_verifications(1)
    [request] = rig.hub.requests
    assert (request.mode, request.topic) == ("subscribe", rig.feed_url)
    assert request.callback == f"{rig.callback_base}/{sub.token}"
    assert request.secret == sub.secret and len(sub.secret) >= 32
    assert request.lease_seconds == str(LEASE_S)
    assert verification.echoed and verification.status == 200
    sub = rig.subscription()
    assert sub.state == "active" and sub.pending_mode is None and sub.lease_s == LEASE_S
    assert sub.expires_at is not None and sub.expires_at > datetime.now(UTC)
    events = [e["event"] for e in logs]
    assert "websub_subscribe_requested" in events and "websub_subscribed" in events

    body = rig.set_feed(["a1", "a2"])
    fetch_q = get_queue(rig.conn, "fetch")
    with capture_logs() as logs:
        started = time.perf_counter()
        status = rig.hub.publish(rig.feed_url, body)
        while fetch_q.count < 2 and time.perf_counter() - started < 5:
            time.sleep(0.005)
        elapsed = time.perf_counter() - started
    assert status == 200
    assert rig.fetch_urls() == ["http://127.0.0.1:9/a1", "http://127.0.0.1:9/a2"]
    # A correctness bound, not a benchmark: the push is processed before the hub is answered.
    assert elapsed < 1.0, f"the pushed entry took {elapsed:.3f} s to reach the fetch queue"
    [received] = [e for e in logs if e["event"] == "websub_push_received"]
    assert (received["entries"], received["new_entries"]) == (2, 1)
    enqueued = [e for e in logs if e["event"] == "entry_enqueued"]
    assert [e["url"] for e in enqueued] == ["http://127.0.0.1:9/a2"]

    # The poll that follows sees the pushed entry as known: nothing enqueued twice.
    [again] = rig.poller().run_once()
    assert (again.outcome, again.new_entries) == ("changed", 0)
    assert fetch_q.count == 2
    with session_factory(rig.engine)() as s:
        feed = s.get(Feed, rig.feed_id)
        assert feed is not None and feed.entries_seen == 2


def test_a_push_with_a_bad_or_missing_signature_is_logged_and_not_processed(rig: Rig) -> None:
    rig.subscribe()
    body = rig.set_feed(["a1", "forged"])
    with capture_logs() as logs:
        assert rig.hub.publish(rig.feed_url, body, signature=None) == 200
        assert rig.hub.publish(rig.feed_url, body, secret="not-the-secret") == 200
        assert rig.hub.publish(rig.feed_url, body, signature="md5=00") == 200
        assert rig.hub.publish(rig.feed_url, body, method="sha1", secret="nope") == 200
    rejected = [e["reason"] for e in logs if e["event"] == "websub_push_rejected"]
    assert rejected == [
        "missing_signature",
        "bad_signature",
        "unsupported_signature_method",
        "bad_signature",
    ]
    assert not [e for e in logs if e["event"] in ("websub_push_received", "entry_enqueued")]
    assert rig.fetch_urls() == ["http://127.0.0.1:9/a1"]
    with session_factory(rig.engine)() as s:
        assert s.scalar(select(func.count()).select_from(Entry)) == 1
    # The same body correctly signed with any method WebSub names is processed.
    for method in ("sha1", "sha384", "sha512"):
        assert rig.hub.publish(rig.feed_url, body, method=method) == 200
    assert rig.fetch_urls() == ["http://127.0.0.1:9/a1", "http://127.0.0.1:9/forged"]


def test_a_push_too_large_or_not_a_feed_is_ignored_and_an_unknown_callback_is_gone(
    rig: Rig,
) -> None:
    sub = rig.subscribe()
    callback = f"{rig.callback_base}/{sub.token}"
    rig.daemon.callback.max_body = 1000  # small, so the refused body fits the socket buffers
    huge = b"<rss>" + b" " * 2000
    html = b"<html><body>not a feed</body></html>"
    with capture_logs() as logs:
        assert _http("POST", callback, huge, {"X-Hub-Signature": sign(sub.secret, huge)})[0] == 200
        assert _http("POST", callback, html, {"X-Hub-Signature": sign(sub.secret, html)})[0] == 200
        assert _http("POST", f"{rig.callback_base}/nosuchtoken", html)[0] == 410
    rejected = [e["reason"] for e in logs if e["event"] == "websub_push_rejected"]
    assert rejected == ["body_too_large", "not_a_feed", "unknown_subscription"]
    assert rig.fetch_urls() == ["http://127.0.0.1:9/a1"]


def test_an_intent_verification_we_did_not_ask_for_is_404(rig: Rig) -> None:
    rig.hub.silent = True  # the request stays pending: the subscriber awaits a verification
    rig.poller().run_once()
    assert rig.daemon.subscriber.run_due() == 1
    sub = rig.subscription()
    assert (sub.state, sub.pending_mode) == ("requested", "subscribe")
    callback = f"{rig.callback_base}/{sub.token}"

    def verify(token_url: str, **query: str) -> tuple[int, bytes]:
        params = {f"hub.{k}": v for k, v in query.items()}
        return _http("GET", f"{token_url}?{urlencode(params)}")

    with capture_logs() as logs:
        other = "http://127.0.0.1:9/other.xml"
        assert verify(callback, mode="subscribe", topic=other, challenge="c1")[0] == 404
        unknown = f"{rig.callback_base}/unknown"
        assert verify(unknown, mode="subscribe", topic=rig.feed_url, challenge="c2")[0] == 404
        assert verify(callback, mode="unsubscribe", topic=rig.feed_url, challenge="c3")[0] == 404
        assert verify(callback, mode="subscribe", topic=rig.feed_url)[0] == 404
        assert verify(callback, mode="subscribe", topic=rig.feed_url, challenge="ok") == (
            200,
            b"ok",
        )
    reasons = [e["reason"] for e in logs if e["event"] == "websub_verification_rejected"]
    assert reasons == ["topic_mismatch", "unknown_callback", "not_requested", "no_challenge"]
    assert rig.subscription().state == "active"


def test_an_entry_pushed_and_polled_at_the_same_moment_is_enqueued_once(rig: Rig) -> None:
    rig.subscribe()
    body = rig.set_feed(["a1", "both"])
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def push() -> None:
        barrier.wait()
        results["push"] = rig.hub.publish(rig.feed_url, body)

    def poll() -> None:
        barrier.wait()
        results["poll"] = rig.poller().poll_feed(rig.feed_id)

    with capture_logs() as logs:
        threads = [threading.Thread(target=push), threading.Thread(target=poll)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert results["push"] == 200 and results["poll"] is not None
    assert rig.fetch_urls() == ["http://127.0.0.1:9/a1", "http://127.0.0.1:9/both"]
    enqueued = [e["url"] for e in logs if e["event"] == "entry_enqueued"]
    assert enqueued == ["http://127.0.0.1:9/both"]
    with session_factory(rig.engine)() as s:
        assert s.scalar(select(func.count()).select_from(Entry)) == 2


def test_without_the_callback_setting_no_request_goes_to_a_hub(
    engine: Engine, redis_conn: redis.Redis, hub: LoopbackHub
) -> None:
    settings = loopback_settings()
    assert settings.websub_callback_url is None
    with serve() as feeds:
        url = feeds.url("/feed.xml")
        body = _rss(["a1"], hub=hub.url, self_url=url)
        feeds.routes["/feed.xml"] = static(body, content_type="application/rss+xml")
        feed_id = _add(engine, url)
        Poller(settings, engine, redis_conn).run_once()
        feeds.routes["/feed.xml"] = static(body + b" ", content_type="application/rss+xml")
        Poller(settings, engine, redis_conn).run_once()
    # The hub is remembered (for when the operator turns WebSub on) but never contacted.
    sub = SubscriptionStore(session_factory(engine)).for_feed(feed_id)
    assert sub is not None and sub.state == "discovered"
    assert Subscriber.from_settings(settings, session_factory(engine)) is None
    with pytest.raises(ValueError, match="WebSub is off"):
        WebSubDaemon(settings, engine, redis_conn)
    result = CliRunner().invoke(main, ["websub"], env={"NEWSWIRE_WEBSUB_CALLBACK_URL": ""})
    assert result.exit_code == 2 and "WebSub is off" in result.output
    assert hub.requests == [] and hub.verifications == []


def test_link_headers_are_discovered_by_the_poller(engine: Engine, redis_conn: redis.Redis) -> None:
    with serve() as feeds:
        url = feeds.url("/feed.xml")
        link = f'<http://127.0.0.1:9/hub>; rel="hub", <{url}?canonical>; rel="self"'
        feeds.routes["/feed.xml"] = static(
            _rss(["a1"]), content_type="application/rss+xml", headers={"Link": link}
        )
        feed_id = _add(engine, url)
        Poller(loopback_settings(), engine, redis_conn).run_once()
    sub = SubscriptionStore(session_factory(engine)).for_feed(feed_id)
    assert sub is not None
    assert (sub.hub_url, sub.topic_url) == ("http://127.0.0.1:9/hub", f"{url}?canonical")


def test_a_lease_is_renewed_before_it_ends_and_a_deleted_feed_is_unsubscribed(
    rig: Rig,
) -> None:
    rig.hub.verify_first = True  # the hub verifies before it answers: the claim comes first
    sub = rig.subscribe()
    assert rig.daemon.subscriber.run_due() == 0  # nothing due before the renewal time
    assert sub.expires_at is not None
    renew_at = datetime.now(UTC) + timedelta(seconds=LEASE_S * RENEW_AT + 1)
    assert rig.daemon.subscriber.run_due(now=renew_at) == 1
    rig.hub.wait_verifications(2)
    first, renewal = rig.hub.requests
    assert renewal.mode == "subscribe"
    assert (renewal.callback, renewal.secret) == (first.callback, first.secret)
    renewed = rig.subscription()
    assert renewed.state == "active" and renewed.expires_at is not None
    assert renewed.expires_at >= sub.expires_at

    with transaction(session_factory(rig.engine)) as s:
        s.execute(delete(Feed).where(Feed.id == rig.feed_id))
    with capture_logs() as logs:
        assert rig.daemon.subscriber.run_due() == 1
        [*_, last] = rig.hub.wait_verifications(3)
    assert rig.hub.requests[-1].mode == "unsubscribe"
    assert (last.mode, last.echoed) == ("unsubscribe", True)
    assert rig.feed_url not in rig.hub.subscribers
    assert "websub_unsubscribed" in [e["event"] for e in logs]
    assert SubscriptionStore(session_factory(rig.engine)).by_token(sub.token) is None


def test_a_denied_subscription_is_recorded_and_logged(rig: Rig) -> None:
    rig.hub.deny_with = "topic not served here"
    rig.poller().run_once()
    with capture_logs() as logs:
        assert rig.daemon.subscriber.run_due() == 1
        [denial] = rig.hub.wait_verifications(1)
    assert denial.mode == "denied" and denial.status == 200
    sub = rig.subscription()
    assert sub.state == "denied" and sub.next_action_at > datetime.now(UTC) + timedelta(hours=12)
    [logged] = [e for e in logs if e["event"] == "websub_denied"]
    assert logged["reason"] == "topic not served here"


def test_a_hub_that_refuses_or_never_verifies_is_retried_with_backoff(rig: Rig) -> None:
    rig.hub.silent = True
    rig.poller().run_once()
    assert rig.daemon.subscriber.run_due() == 1
    later = datetime.now(UTC) + timedelta(hours=2)
    with capture_logs() as logs:
        assert rig.daemon.subscriber.run_due(now=later) == 1
    [timeout] = [e for e in logs if e["event"] == "websub_subscribe_failed"]
    assert timeout["reason"] == "verification_timeout" and timeout["attempts"] == 1
    assert len(rig.hub.requests) == 2
    # A hub that is down (nothing listens on the discard port): recorded, retried later.
    with transaction(session_factory(rig.engine)) as s:
        s.execute(
            update(WebSubSubscription)
            .where(WebSubSubscription.feed_id == rig.feed_id)
            .values(hub_url="http://127.0.0.1:9/hub")
        )
    much_later = later + timedelta(days=1)
    with capture_logs() as logs:
        assert rig.daemon.subscriber.run_due(now=much_later) == 0
    failed = [e for e in logs if e["event"] == "websub_subscribe_failed"]
    assert failed[-1]["reason"] == "connection_refused" and failed[-1]["retry_in_s"] > 0
    after = rig.subscription()
    assert after.state == "failed" and after.next_action_at > much_later


def test_a_hub_on_a_private_address_is_refused_unless_allowed(
    engine: Engine, hub: LoopbackHub
) -> None:
    # The hub URL comes from a feed: as untrusted as the feed URL, through the same guard.
    settings = load_settings({}, overrides={"websub_callback_url": "https://news.example/cb"})
    feed_id = _add(engine, "http://127.0.0.1:9/feed.xml")
    store = SubscriptionStore(session_factory(engine))
    store.remember(feed_id, HubLink(hub.url, "http://127.0.0.1:9/feed.xml"))
    subscriber = Subscriber.from_settings(settings, session_factory(engine))
    assert subscriber is not None
    with capture_logs() as logs:
        assert subscriber.run_due() == 0
    [failed] = [e for e in logs if e["event"] == "websub_subscribe_failed"]
    assert failed["reason"] == "blocked_address"
    assert hub.requests == []
    sub = store.for_feed(feed_id)
    assert sub is not None and sub.state == "failed" and sub.attempts == 1


def test_newswire_run_starts_the_callback_server_only_when_configured(tmp_path: Path) -> None:
    from newswire.supervisor import Supervisor

    def roles(settings: Settings, until_idle: bool) -> list[str]:
        sup = Supervisor(settings, "redis://127.0.0.1:9/0", workers=2, until_idle=until_idle)
        sup.engine.dispose()
        return [c.role for c in sup.children]

    off = Settings(data_dir=tmp_path)
    on = Settings(data_dir=tmp_path, websub_callback_url="https://news.example/websub")
    assert roles(off, False) == ["poller", "worker-0", "worker-1"]
    assert roles(on, False) == ["poller", "worker-0", "worker-1", "websub"]
    assert roles(on, True) == ["poller", "worker-0", "worker-1"]


def test_newswire_websub_runs_as_a_daemon_and_stops_on_sigterm(
    tmp_path: Path, redis_url: str
) -> None:
    from ingest.db import upgrade

    database = f"sqlite:///{tmp_path / 'newswire.db'}"
    upgrade(database)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(
        NEWSWIRE_DATA_DIR=str(tmp_path),
        NEWSWIRE_DATABASE_URL=database,
        NEWSWIRE_REDIS_URL=redis_url,
        NEWSWIRE_LOG_FORMAT="json",
        NEWSWIRE_WEBSUB_CALLBACK_URL=f"http://127.0.0.1:{port}/websub",
        NEWSWIRE_WEBSUB_PORT=str(port),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "newswire", "websub"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.communicate()[0].decode()
            try:
                status, _ = _http("GET", f"http://127.0.0.1:{port}/websub/nosuchtoken")
                break
            except OSError:
                assert time.monotonic() < deadline, "newswire websub did not start"
                time.sleep(0.1)
        assert status == 404
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, output
    events = [json.loads(line)["event"] for line in output.splitlines() if line.startswith("{")]
    assert "websub_server_started" in events and "websub_server_stopped" in events
    assert "websub_verification_rejected" in events
