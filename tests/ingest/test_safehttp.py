"""safehttp.fetch against real servers on 127.0.0.1, including hostile ones."""

from __future__ import annotations

import gzip
import resource
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from ingest.safehttp import (
    BlockedAddress,
    BodyTooLarge,
    ConnectError,
    FetchError,
    FetchLimits,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    TooManyRedirects,
    fetch,
    post_form,
)
from tests.ingest.servers import (
    TestServer,
    conditional,
    deflated,
    drip,
    endless,
    gzip_bomb,
    gzipped,
    redirect,
    serve,
    stall,
    static,
    status,
)

LOOPBACK = ["127.0.0.0/8"]
PAGE = b"<html><body><p>" + b"hello newswire " * 200 + b"</p></body></html>"


@pytest.fixture()
def srv() -> Iterator[TestServer]:
    with serve() as server:
        yield server


def test_plain_200(srv: TestServer) -> None:
    srv.routes["/a"] = static(PAGE, headers={"X-Thing": "1"})
    res = fetch(srv.url("/a"), allowed_networks=LOOPBACK)
    assert res.status == 200
    assert res.body == PAGE
    assert res.url == srv.url("/a")
    assert res.headers["x-thing"] == "1"
    assert res.headers["content-type"].startswith("text/html")
    assert res.redirects == ()
    assert not res.not_modified
    sent = srv.requests[0].headers
    assert sent["user-agent"].startswith("newswire/")
    assert "gzip" in sent["accept-encoding"]


def test_accept_header_sent(srv: TestServer) -> None:
    srv.routes["/a"] = static(PAGE)
    fetch(srv.url("/a"), allowed_networks=LOOPBACK, accept="application/rss+xml")
    assert srv.requests[0].headers["accept"] == "application/rss+xml"


def test_gzip_body_is_decoded(srv: TestServer) -> None:
    srv.routes["/g"] = gzipped(PAGE)
    res = fetch(srv.url("/g"), allowed_networks=LOOPBACK)
    assert res.body == PAGE
    assert res.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize("raw", [False, True])
def test_deflate_body_is_decoded(srv: TestServer, raw: bool) -> None:
    srv.routes["/d"] = deflated(PAGE, raw=raw)
    assert fetch(srv.url("/d"), allowed_networks=LOOPBACK).body == PAGE


def test_concatenated_gzip_members(srv: TestServer) -> None:
    body = gzip.compress(b"first ") + gzip.compress(b"second")
    srv.routes["/m"] = static(body, headers={"Content-Encoding": "gzip"})
    assert fetch(srv.url("/m"), allowed_networks=LOOPBACK).body == b"first second"


def test_corrupt_gzip_is_a_permanent_error(srv: TestServer) -> None:
    srv.routes["/bad"] = static(b"this is not gzip", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError) as info:
        fetch(srv.url("/bad"), allowed_networks=LOOPBACK)
    assert info.value.reason == "bad_content_encoding"
    assert not info.value.transient


def test_conditional_get_304(srv: TestServer) -> None:
    etag, lm = '"v1"', "Wed, 01 Jan 2025 00:00:00 GMT"
    srv.routes["/feed"] = conditional(PAGE, etag=etag, last_modified=lm)
    first = fetch(srv.url("/feed"), allowed_networks=LOOPBACK)
    assert first.status == 200
    assert first.headers["etag"] == etag
    assert "if-none-match" not in srv.requests[0].headers

    again = fetch(srv.url("/feed"), allowed_networks=LOOPBACK, etag=etag)
    assert again.status == 304
    assert again.not_modified
    assert again.body == b""
    assert srv.requests[1].headers["if-none-match"] == etag

    by_date = fetch(srv.url("/feed"), allowed_networks=LOOPBACK, last_modified=lm)
    assert by_date.not_modified
    assert srv.requests[2].headers["if-modified-since"] == lm


def test_header_lines_repeated_by_the_server_are_all_kept(srv: TestServer) -> None:
    def handle(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        for key, value in (
            ("Link", '<https://hub.example/>; rel="hub"'),
            ("Link", '<https://a.example/feed>; rel="self"'),
            ("Cache-Control", "max-age=600"),
            ("Cache-Control", "no-transform"),
            ("Content-Length", str(len(PAGE))),
        ):
            req.send_header(key, value)
        req.end_headers()
        req.wfile.write(PAGE)

    srv.routes["/feed"] = handle
    res = fetch(srv.url("/feed"), allowed_networks=LOOPBACK)
    assert res.headers["link"] == (
        '<https://hub.example/>; rel="hub", <https://a.example/feed>; rel="self"'
    )
    assert res.headers["cache-control"] == "max-age=600, no-transform"


def test_a_304_keeps_its_connection_for_the_next_check(srv: TestServer) -> None:
    etag, lm = '"v1"', "Wed, 01 Jan 2025 00:00:00 GMT"
    srv.routes["/feed"] = conditional(PAGE, etag=etag, last_modified=lm)
    for _ in range(3):
        assert fetch(srv.url("/feed"), allowed_networks=LOOPBACK, etag=etag).not_modified
    # ...and the connection a 304 left is still sound for a full response.
    full = fetch(srv.url("/feed"), allowed_networks=LOOPBACK)
    assert full.status == 200 and full.body == PAGE
    assert len({r.client for r in srv.requests}) == 1, [r.client for r in srv.requests]

    stale = fetch(srv.url("/feed"), allowed_networks=LOOPBACK, etag='"old"')
    assert stale.status == 200
    assert stale.body == PAGE


def test_redirect_chain_relative_and_absolute(srv: TestServer) -> None:
    srv.routes["/r1"] = redirect("/r2", status=301)
    srv.routes["/r2"] = redirect(srv.url("/dir/r3"), status=307)
    srv.routes["/dir/r3"] = redirect("../final?x=1", status=308)
    srv.routes["/final"] = static(PAGE)
    res = fetch(srv.url("/r1"), allowed_networks=LOOPBACK)
    assert res.status == 200
    assert res.body == PAGE
    assert res.url == srv.url("/final?x=1")
    assert res.redirects == (srv.url("/r2"), srv.url("/dir/r3"), srv.url("/final?x=1"))


def test_redirect_loop(srv: TestServer) -> None:
    srv.routes["/a"] = redirect("/b")
    srv.routes["/b"] = redirect("/a")
    with pytest.raises(TooManyRedirects) as info:
        fetch(srv.url("/a"), allowed_networks=LOOPBACK)
    assert info.value.reason == "redirect_loop"
    assert not info.value.transient


def test_too_many_redirects(srv: TestServer) -> None:
    for i in range(10):
        srv.routes[f"/h{i}"] = redirect(f"/h{i + 1}", status=302)
    srv.routes["/h10"] = static(PAGE)
    with pytest.raises(TooManyRedirects) as info:
        fetch(srv.url("/h0"), allowed_networks=LOOPBACK, limits=FetchLimits(max_redirects=3))
    assert info.value.reason == "too_many_redirects"
    assert len(srv.requests) == 4  # the original request and three followed hops
    # Ten hops are fine when allowed.
    res = fetch(srv.url("/h0"), allowed_networks=LOOPBACK, limits=FetchLimits(max_redirects=10))
    assert len(res.redirects) == 10


def test_redirect_to_non_http_scheme(srv: TestServer) -> None:
    srv.routes["/r"] = redirect("file:///etc/passwd")
    with pytest.raises(InvalidURL) as info:
        fetch(srv.url("/r"), allowed_networks=LOOPBACK)
    assert info.value.reason == "redirect_unsupported_scheme"


@pytest.mark.parametrize(
    "target", ["http://[::1]:{port}/x", "http://169.254.169.254/latest/meta-data/"]
)
def test_redirect_from_allowed_host_to_blocked_address(srv: TestServer, target: str) -> None:
    srv.routes["/r"] = redirect(target.format(port=srv.port))
    with pytest.raises(BlockedAddress) as info:
        fetch(srv.url("/r"), allowed_networks=LOOPBACK)
    assert info.value.reason == "blocked_address"
    assert not info.value.transient
    assert len(srv.requests) == 1


def test_content_length_over_cap(srv: TestServer) -> None:
    srv.routes["/big"] = static(b"y" * 50_000)
    with pytest.raises(BodyTooLarge) as info:
        fetch(srv.url("/big"), allowed_networks=LOOPBACK, limits=FetchLimits(max_body_bytes=10_000))
    assert info.value.reason == "content_length_too_large"


def test_endless_body_over_cap(srv: TestServer) -> None:
    srv.routes["/endless"] = endless()
    started = time.monotonic()
    with pytest.raises(BodyTooLarge) as info:
        fetch(
            srv.url("/endless"),
            allowed_networks=LOOPBACK,
            limits=FetchLimits(max_body_bytes=1_000_000),
        )
    assert info.value.reason == "body_too_large"
    assert time.monotonic() - started < 5


def test_gzip_bomb_fails_with_bounded_memory(srv: TestServer) -> None:
    srv.routes["/bomb"] = gzip_bomb(decoded_bytes=512 * 1024 * 1024)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    with pytest.raises(BodyTooLarge) as info:
        fetch(
            srv.url("/bomb"),
            allowed_networks=LOOPBACK,
            limits=FetchLimits(max_decoded_bytes=4 * 1024 * 1024),
        )
    assert info.value.reason == "decoded_too_large"
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 64, f"peak RSS grew by {grown_mib:.0f} MiB"


def test_drip_server_fails_at_total_deadline(srv: TestServer) -> None:
    srv.routes["/drip"] = drip(interval_s=0.5, total_bytes=100)
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as info:
        fetch(srv.url("/drip"), allowed_networks=LOOPBACK, limits=FetchLimits(deadline_s=2.0))
    took = time.monotonic() - started
    assert info.value.transient
    assert info.value.reason == "deadline_exceeded"
    assert 1.9 < took < 3.0


def test_stalled_headers_fail_at_total_deadline(srv: TestServer) -> None:
    srv.routes["/stall"] = stall(seconds=10)
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(srv.url("/stall"), allowed_networks=LOOPBACK, limits=FetchLimits(deadline_s=1.0))
    assert time.monotonic() - started < 2.0


def test_loopback_refused_by_default(srv: TestServer) -> None:
    srv.routes["/a"] = static(PAGE)
    with pytest.raises(BlockedAddress) as info:
        fetch(srv.url("/a"))
    assert info.value.address == "127.0.0.1"
    assert srv.requests == []


def test_name_resolving_to_loopback_refused_at_connect_time(srv: TestServer) -> None:
    # "localhost" is not a literal, so only the connect-time peer check can refuse it.
    srv.routes["/a"] = static(PAGE)
    with pytest.raises(BlockedAddress) as info:
        fetch(f"http://localhost:{srv.port}/a")
    assert info.value.address in ("127.0.0.1", "::1")
    assert srv.requests == []
    # Allowing only ::1 still refuses the IPv4 peer the socket really reached.
    with pytest.raises((BlockedAddress, ConnectError)):
        fetch(f"http://localhost:{srv.port}/a", allowed_networks=["::1/128"])
    assert srv.requests == []


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "0.0.0.0",
        "127.1",
        "2130706433",
        "0x7f.1",
        "0x7f000001",
        "017700000001",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::]",
        "169.254.169.254",
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "100.64.0.1",
        "224.0.0.1",
        "[fe80::1]",
        "[fc00::1]",
    ],
)
def test_every_alias_of_a_private_address_is_refused(host: str) -> None:
    started = time.monotonic()
    with pytest.raises(BlockedAddress):
        fetch(f"http://{host}:9/x", limits=FetchLimits(deadline_s=3.0))
    # Refused before any connection attempt: no timeout was waited for.
    assert time.monotonic() - started < 1.0


def test_allowed_networks_admit_loopback(srv: TestServer) -> None:
    srv.routes["/a"] = static(PAGE)
    assert fetch(srv.url("/a"), allowed_networks=["127.0.0.0/8"]).status == 200
    # A different policy does not reuse the admitted connection.
    with pytest.raises(BlockedAddress):
        fetch(srv.url("/a"), allowed_networks=["10.0.0.0/8"])


def test_connection_refused() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(ConnectError) as info:
        fetch(f"http://127.0.0.1:{port}/", allowed_networks=LOOPBACK)
    assert info.value.reason == "connection_refused"
    assert info.value.transient
    assert info.value.__cause__ is not None


def test_dns_failure() -> None:
    with pytest.raises(ConnectError) as info:
        fetch("http://no-such-host.invalid/", limits=FetchLimits(deadline_s=5))
    assert info.value.reason == "dns_failure"
    assert info.value.transient


def test_429_with_retry_after(srv: TestServer) -> None:
    srv.routes["/busy"] = status(429, headers={"Retry-After": "120"})
    with pytest.raises(HTTPStatusError) as info:
        fetch(srv.url("/busy"), allowed_networks=LOOPBACK)
    assert info.value.status == 429
    assert info.value.transient
    assert info.value.retry_after == 120.0
    assert info.value.reason == "http_429"


def test_503_retry_after_http_date(srv: TestServer) -> None:
    srv.routes["/down"] = status(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    with pytest.raises(HTTPStatusError) as info:
        fetch(srv.url("/down"), allowed_networks=LOOPBACK)
    assert info.value.transient
    assert info.value.retry_after == 0.0  # a date in the past means "now"


def test_404_is_permanent(srv: TestServer) -> None:
    with pytest.raises(HTTPStatusError) as info:
        fetch(srv.url("/missing"), allowed_networks=LOOPBACK)
    assert info.value.status == 404
    assert not info.value.transient
    assert info.value.retry_after is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/feed", "unsupported_scheme"),
        ("file:///etc/passwd", "unsupported_scheme"),
        ("javascript:alert(1)", "unsupported_scheme"),
        ("http:///nohost", "no_host"),
        ("http://example.com:99999/", "bad_port"),
        ("http://example.com:abc/", "bad_port"),
        ("http://exa mple.com/", "url_control_chars"),
        ("", "unsupported_scheme"),
    ],
)
def test_invalid_urls(url: str, reason: str) -> None:
    with pytest.raises(InvalidURL) as info:
        fetch(url)
    assert info.value.reason == reason
    assert not info.value.transient
    assert info.value.url == url


def test_post_form_is_refused_on_private_addresses_unless_allowed() -> None:
    with pytest.raises(BlockedAddress):
        post_form("http://127.0.0.1:9/hub", {"hub.mode": "subscribe"})
    with serve({}) as srv, pytest.raises(HTTPStatusError) as info:
        # The test server answers GET only: a 501 shows the POST itself got there.
        post_form(srv.url("/hub"), {"hub.mode": "subscribe"}, allowed_networks=LOOPBACK)
    assert info.value.status == 501
