"""Shared schedule, per-host limits, cadence, health states and formats of the poller.

Real Redis, real SQLite/PostgreSQL, real loopback HTTP servers.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import redis
from click.testing import CliRunner
from sqlalchemy import Engine, select

from ingest import cadence
from ingest.db import session_factory, transaction
from ingest.discover import discover
from ingest.feedstore import add_feeds
from ingest.hostlimits import HostLimiter, HostPolicy
from ingest.poller import Poller, PollerOptions
from ingest.robots import RobotsCache
from ingest.safehttp import FetchResult, fetch
from ingest.schedule import FeedSchedule
from newswire.cli import main
from schemas.tables import Feed
from tests.ingest.servers import loopback_settings, redirect, serve, static, status

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><ttl>120</ttl>'
    b"<item><title>One</title><link>http://127.0.0.1:9/a1</link><guid>a1</guid>"
    b"<pubDate>Tue, 16 Jul 2024 10:00:00 GMT</pubDate></item>"
    b"<item><title>Two</title><link>http://127.0.0.1:9/a2</link><guid>a2</guid>"
    b"<pubDate>Tue, 16 Jul 2024 12:00:00 GMT</pubDate></item>"
    b"</channel></rss>"
)
RSS_TYPE = "application/rss+xml"
FAST = PollerOptions(threads=4, host_policy=HostPolicy(max_concurrent=2, min_gap_s=0.0))


def _add(engine: Engine, *urls: str) -> None:
    with transaction(session_factory(engine)) as s:
        add_feeds(s, urls)


def _feed(engine: Engine, feed_id: int = 1) -> Feed:
    with session_factory(engine)() as s:
        feed = s.get(Feed, feed_id)
        assert feed is not None
        s.expunge(feed)
        return feed


def _seconds_until(dt: datetime) -> float:
    return (dt.replace(tzinfo=dt.tzinfo or UTC) - datetime.now(UTC)).total_seconds()


# -- schedule -------------------------------------------------------------------------------


def test_claims_are_exclusive_across_many_clients(redis_url: str) -> None:
    setup = FeedSchedule(redis.Redis.from_url(redis_url))
    now = time.time()
    setup.sync((i, now - 1) for i in range(1, 2001))
    got: list[int] = []
    lock = threading.Lock()

    def claimer() -> None:
        sched = FeedSchedule(redis.Redis.from_url(redis_url))
        while True:
            batch = sched.claim(time.time(), limit=37, lease_s=60)
            if not batch:
                return
            with lock:
                got.extend(fid for fid, _, _ in batch)

    threads = [threading.Thread(target=claimer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 2001))  # every feed once, none twice


def test_a_lost_lease_comes_due_again_and_stale_holder_cannot_reschedule(
    redis_conn: redis.Redis,
) -> None:
    sched = FeedSchedule(redis_conn)
    sched.sync([(1, 100.0)])
    [(fid, due, lease)] = sched.claim(200.0, limit=10, lease_s=5)
    assert (fid, due) == (1, 100.0)
    assert sched.claim(204.0, limit=10, lease_s=5) == []  # still held
    [(_, _, lease2)] = sched.claim(206.0, limit=10, lease_s=5)  # holder died: due again
    assert not sched.reschedule(1, lease, 999.0)  # the first holder lost it
    assert sched.reschedule(1, lease2, 999.0)
    assert sched.next_due() == 999.0


def test_sync_adds_new_and_drops_deleted_feeds(redis_conn: redis.Redis) -> None:
    sched = FeedSchedule(redis_conn)
    assert sched.sync([(1, 10.0), (2, 20.0)]) == 2
    assert sched.sync([(2, 50.0), (3, 30.0)]) == 1
    assert sched.size() == 2 and sched.next_due() == 20.0  # existing score kept


# -- per-host limits ------------------------------------------------------------------------


def test_host_limit_is_shared_between_limiters(redis_url: str) -> None:
    policy = HostPolicy(max_concurrent=2, min_gap_s=0.0)
    a = HostLimiter(redis.Redis.from_url(redis_url), policy)
    b = HostLimiter(redis.Redis.from_url(redis_url), policy)
    t1, _ = a.try_acquire("example.org")
    t2, _ = b.try_acquire("example.org")
    t3, wait = b.try_acquire("example.org")
    assert t1 and t2 and t3 is None and wait > 0
    assert a.try_acquire("other.org")[0] is not None  # hosts are independent
    assert t1 is not None
    a.release("example.org", t1)
    assert b.try_acquire("example.org")[0] is not None


def test_min_gap_between_requests_to_one_host(redis_conn: redis.Redis) -> None:
    lim = HostLimiter(redis_conn, HostPolicy(max_concurrent=5, min_gap_s=0.3))
    starts = []
    for _ in range(3):
        with lim.slot("example.org"):
            starts.append(time.monotonic())
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(g >= 0.28 for g in gaps), gaps


def test_poller_never_exceeds_host_concurrency(engine: Engine, redis_conn: redis.Redis) -> None:
    active = [0]
    peak = [0]
    lock = threading.Lock()

    def slow(req: object) -> None:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.15)
        with lock:
            active[0] -= 1
        static(RSS, content_type="application/rss+xml")(req)  # type: ignore[arg-type]

    routes = {f"/f{i}.xml": slow for i in range(8)}
    with serve(routes) as srv:  # type: ignore[arg-type]
        _add(engine, *(srv.url(f"/f{i}.xml") for i in range(8)))
        opts = PollerOptions(threads=8, host_policy=HostPolicy(max_concurrent=2, min_gap_s=0.0))
        outs = Poller(loopback_settings(), engine, redis_conn, opts).run_once()
    assert len(outs) == 8 and peak[0] == 2


# -- cadence --------------------------------------------------------------------------------


def test_cadence_rules() -> None:
    b = cadence.Bounds(default_s=900, min_s=60, max_s=86400)
    assert cadence.success_interval(b, gap_s=None, since_last_new_s=None) == 900
    assert cadence.success_interval(b, gap_s=600, since_last_new_s=0) == 300
    assert cadence.success_interval(b, gap_s=10, since_last_new_s=0) == 60  # min bound
    assert cadence.success_interval(b, gap_s=600, since_last_new_s=7200) == 3600  # quiet feed
    assert cadence.success_interval(b, gap_s=600, since_last_new_s=0, floor_s=1800) == 1800
    assert cadence.server_floor({"cache-control": "public, max-age=600"}, None) == 600
    assert cadence.server_floor({"cache-control": "no-cache, max-age=600"}, 5) == 300
    assert [cadence.backoff_interval(b, n) for n in (1, 2, 3)] == [60, 120, 240]
    assert cadence.backoff_interval(b, 40) == 86400  # capped, never dropped
    assert cadence.backoff_interval(b, 1, retry_after_s=1000) == 1000


def test_ttl_and_dates_set_the_next_check(engine: Engine, redis_conn: redis.Redis) -> None:
    with serve({"/f.xml": static(RSS, content_type="application/rss+xml")}) as srv:
        _add(engine, srv.url("/f.xml"))
        Poller(loopback_settings(), engine, redis_conn, FAST).run_once()
    feed = _feed(engine)
    assert feed.publish_gap_s == 7200  # two items two hours apart
    assert feed.interval_s == 7200  # the <ttl> of 120 minutes is a floor over gap/2
    assert 6400 < _seconds_until(feed.next_check_at) < 8000


def test_retry_after_on_503_is_honoured(engine: Engine, redis_conn: redis.Redis) -> None:
    with serve({"/f.xml": status(503, headers={"Retry-After": "5000"})}) as srv:
        _add(engine, srv.url("/f.xml"))
        [out] = Poller(loopback_settings(), engine, redis_conn, FAST).run_once()
    feed = _feed(engine)
    assert out.reason == "http_503" and feed.health == "backing_off"
    assert _seconds_until(feed.next_check_at) > 4400


# -- health ---------------------------------------------------------------------------------


def test_permanent_redirect_updates_the_url(engine: Engine, redis_conn: redis.Redis) -> None:
    with serve({"/new.xml": static(RSS, content_type="application/rss+xml")}) as srv:
        srv.routes["/old.xml"] = redirect(srv.url("/new.xml"), status=301)
        _add(engine, srv.url("/old.xml"))
        Poller(loopback_settings(), engine, redis_conn, FAST).run_once()
        feed = _feed(engine)
        assert feed.url == srv.url("/new.xml") and feed.previous_url == srv.url("/old.xml")
        assert feed.health == "moved"


def test_temporary_redirect_keeps_the_url(engine: Engine, redis_conn: redis.Redis) -> None:
    with serve({"/new.xml": static(RSS, content_type="application/rss+xml")}) as srv:
        srv.routes["/old.xml"] = redirect(srv.url("/new.xml"), status=302)
        _add(engine, srv.url("/old.xml"))
        Poller(loopback_settings(), engine, redis_conn, FAST).run_once()
        assert _feed(engine).url == srv.url("/old.xml")


def test_410_is_gone_but_still_scheduled(engine: Engine, redis_conn: redis.Redis) -> None:
    with serve({"/f.xml": status(410)}) as srv:
        _add(engine, srv.url("/f.xml"))
        poller = Poller(loopback_settings(), engine, redis_conn, FAST)
        poller.run_once()
    feed = _feed(engine)
    assert feed.health == "gone" and feed.last_status == 410
    assert poller.schedule.size() == 1  # never dropped
    assert _seconds_until(feed.next_check_at) > 70000


def test_feed_turned_html_is_rediscovered(engine: Engine, redis_conn: redis.Redis) -> None:
    page = (
        b"<html><head><link rel='alternate' type='application/atom+xml' href='/atom.xml'>"
        b"</head><body>new site</body></html>"
    )
    with serve({"/rss.xml": static(page)}) as srv:
        _add(engine, srv.url("/rss.xml"))
        [out] = Poller(loopback_settings(), engine, redis_conn, FAST).run_once()
        feed = _feed(engine)
        assert out.outcome == "moved" and feed.url == srv.url("/atom.xml")
        assert feed.health == "moved" and feed.error_count == 0


def test_offline_machine_does_not_penalise_feeds(engine: Engine, redis_conn: redis.Redis) -> None:
    # Ten "hosts" (loopback addresses) with nothing listening: every connect is refused.
    urls = [f"http://127.0.0.{i}:9/feed.xml" for i in range(2, 12)]
    _add(engine, *urls)
    opts = PollerOptions(threads=1, host_policy=HostPolicy(min_gap_s=0.0), offline_min_hosts=4)
    Poller(loopback_settings(), engine, redis_conn, opts).run_once()
    with session_factory(engine)() as s:
        errors = [f.error_count for f in s.scalars(select(Feed).order_by(Feed.id))]
    # The first hosts fail before the pattern is visible; after that nobody is penalised.
    assert errors[:3] == [1, 1, 1] and set(errors[4:]) == {0}


def test_one_dead_host_is_not_offline(engine: Engine, redis_conn: redis.Redis) -> None:
    _add(engine, *(f"http://127.0.0.1:9/f{i}.xml" for i in range(6)))
    Poller(loopback_settings(), engine, redis_conn, FAST).run_once()
    with session_factory(engine)() as s:
        assert {f.error_count for f in s.scalars(select(Feed))} == {1}


# -- formats --------------------------------------------------------------------------------


def test_json_feed_and_news_sitemap(engine: Engine, redis_conn: redis.Redis) -> None:
    jf = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "J",
            "items": [{"id": "1", "url": "/j1", "date_published": "2024-07-16T10:00:00Z"}],
        }
    ).encode()
    sm = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>/s1</loc>'
        b"<news:news><news:publication><news:name>S</news:name><news:language>fr"
        b"</news:language></news:publication><news:publication_date>2024-07-16T10:00:00Z"
        b"</news:publication_date><news:title>Un titre</news:title></news:news></url></urlset>"
    )
    routes = {
        "/feed.json": static(jf, content_type="application/feed+json"),
        "/news.xml": static(sm, content_type="application/xml"),
    }
    with serve(routes) as srv:
        _add(engine, srv.url("/feed.json"), srv.url("/news.xml"))
        outs = Poller(loopback_settings(), engine, redis_conn, FAST).run_once()
    assert [(o.outcome, o.new_entries) for o in outs] == [("changed", 1), ("changed", 1)]
    assert _feed(engine, 2).source_type == "sitemap"


# -- discovery and robots.txt ---------------------------------------------------------------


def test_discover_finds_declared_feeds_then_common_paths() -> None:
    page = (
        b"<html><head><link rel='alternate' type='application/rss+xml' href='/rss.xml' "
        b"title='Main'><link rel='stylesheet' href='/s.css'></head></html>"
    )
    bare = b"<html><head></head><body>no links</body></html>"
    rss = static(RSS, content_type=RSS_TYPE)
    with serve({"/": static(page), "/bare": static(bare), "/feed": rss, "/rss.xml": rss}) as srv:

        def get(url: str) -> FetchResult:
            return fetch(url, allowed_networks=["127.0.0.0/8"])

        [declared] = discover(srv.url("/"), get)
        assert (declared.url, declared.title, declared.found_by) == (
            srv.url("/rss.xml"),
            "Main",
            "link",
        )
        by_path = discover(srv.url("/bare"), get)
        assert {f.url for f in by_path} == {srv.url("/feed"), srv.url("/rss.xml")}
        assert {f.found_by for f in by_path} == {"path"}
        assert discover(srv.url("/rss.xml"), get)[0].found_by == "self"


def test_feeds_discover_command(redis_conn: redis.Redis, tmp_path: Path) -> None:
    page = b"<html><head><link rel=alternate type=application/atom+xml href=/a.xml></head></html>"
    with serve({"/": static(page)}) as srv:
        env = {"NEWSWIRE_ALLOW_PRIVATE_NETWORKS": "127.0.0.0/8", "NEWSWIRE_DATA_DIR": str(tmp_path)}
        res = CliRunner().invoke(main, ["feeds", "discover", srv.url("/")], env=env)
    assert res.exit_code == 0, res.output
    assert srv.url("/a.xml") in res.output


def test_robots_txt_is_obeyed_and_cached(redis_conn: redis.Redis) -> None:
    robots = b"User-agent: *\nDisallow: /private/\nDisallow: /*?print\n"
    with serve({"/robots.txt": static(robots, content_type="text/plain")}) as srv:
        cache = RobotsCache(
            redis_conn, user_agent="newswire/0.1 (+x)", allowed_networks=("127.0.0.0/8",)
        )
        assert cache.allowed(srv.url("/news/1"))
        assert not cache.allowed(srv.url("/private/1"))
        assert not cache.allowed(srv.url("/news/1?print"))  # wildcard rule (RFC 9309)
        assert len([r for r in srv.requests if r.path == "/robots.txt"]) == 1  # cached
    with serve() as missing:  # 404: everything allowed
        assert RobotsCache(redis_conn, user_agent="x", allowed_networks=("127.0.0.0/8",)).allowed(
            missing.url("/a")
        )
    with serve({"/robots.txt": status(503)}) as broken:  # unreachable: nothing allowed for now
        assert not RobotsCache(
            redis_conn, user_agent="x", allowed_networks=("127.0.0.0/8",)
        ).allowed(broken.url("/a"))
