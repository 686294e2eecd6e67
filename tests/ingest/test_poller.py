"""The poller against real loopback servers, a real database and real Redis."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
import redis
from sqlalchemy import Engine, func, select

from ingest.db import make_engine, session_factory, transaction
from ingest.feedstore import add_feeds
from ingest.poller import Poller
from ingest.queueing import get_queue
from ingest.settings import load_settings
from newswire.newsroom import Newsroom
from schemas.messages import decode_entry
from schemas.tables import Entry, Feed
from tests.ingest.servers import conditional, loopback_settings, serve, static

LOOPBACK = ("127.0.0.0/8",)
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>http://x/</link>'
    b"<item><title>One</title><link>http://127.0.0.1:9/a1</link><guid>a1</guid></item>"
    b"</channel></rss>"
)


@pytest.fixture()
def newsroom() -> Iterator[Newsroom]:
    room = Newsroom().start()
    yield room
    room.stop()


def _add(engine: Engine, *urls: str) -> None:
    with transaction(session_factory(engine)) as s:
        add_feeds(s, urls)


def _feed(engine: Engine, url: str) -> Feed:
    with session_factory(engine)() as s:
        feed = s.scalars(select(Feed).where(Feed.url == url)).one()
        s.expunge(feed)
        return feed


def test_new_entries_are_recorded_and_enqueued_once(
    engine: Engine, redis_conn: redis.Redis, newsroom: Newsroom
) -> None:
    url = newsroom.feed_urls()[0]
    _add(engine, url)
    poller = Poller(loopback_settings(), engine, redis_conn)
    [first] = poller.run_once()
    assert (first.outcome, first.entries, first.new_entries) == ("changed", 2, 2)
    fetch_q = get_queue(redis_conn, "fetch")
    assert fetch_q.count == 2
    messages = [decode_entry(j.args[0]) for j in fetch_q.get_jobs()]
    assert {m.url.rsplit("/", 1)[1] for m in messages} == {"000.html", "002.html"}
    # The publisher's own UTC offset survives: relative dates are resolved in it.
    assert {m.published_at for m in messages} == {
        "2021-01-02T10:30:00+03:30",
        "2024-07-16T21:40:00+03:30",
    }
    [second] = poller.run_once()
    # The same bytes again: unchanged, not even parsed.
    assert (second.outcome, second.new_entries) == ("unchanged", 0)
    assert fetch_q.count == 2
    feed = _feed(engine, url)
    assert feed.health == "ok" and feed.entries_seen == 2 and feed.error_count == 0


def test_two_pollers_at_once_enqueue_each_entry_once(
    database_url: str, redis_url: str, newsroom: Newsroom
) -> None:
    setup = make_engine(database_url)
    _add(setup, newsroom.feed_urls()[0])
    setup.dispose()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        eng = make_engine(database_url)
        try:
            barrier.wait()
            for _ in range(3):
                Poller(loopback_settings(), eng, redis.Redis.from_url(redis_url)).run_once()
        except BaseException as exc:
            errors.append(exc)
        finally:
            eng.dispose()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert get_queue(redis.Redis.from_url(redis_url), "fetch").count == 2
    check = make_engine(database_url)
    with session_factory(check)() as s:
        assert s.scalar(select(func.count()).select_from(Entry)) == 2
    check.dispose()


def test_conditional_get_sends_validators_and_304_only_reschedules(
    engine: Engine, redis_conn: redis.Redis
) -> None:
    stamp = format_datetime(datetime(2024, 7, 16, tzinfo=UTC), usegmt=True)
    with serve({"/feed.xml": conditional(RSS, etag='"v1"', last_modified=stamp)}) as srv:
        url = srv.url("/feed.xml")
        _add(engine, url)
        poller = Poller(loopback_settings(), engine, redis_conn)
        assert poller.run_once()[0].outcome == "changed"
        assert poller.run_once()[0].outcome == "not_modified"
        last = srv.requests[-1].headers
        assert last.get("if-none-match") == '"v1"'
        assert last.get("if-modified-since") == stamp
    feed = _feed(engine, url)
    assert feed.health == "ok" and feed.last_status == 304


@pytest.mark.parametrize(
    ("route", "reason_fragment"),
    [
        (static(b"<html><body>hello</body></html>", content_type="text/html"), "html"),
        (static(b"\x00\x01\x02garbage" * 10, content_type="application/octet-stream"), ""),
    ],
)
def test_a_page_that_is_not_a_feed_is_a_logged_failure(
    engine: Engine, redis_conn: redis.Redis, route: object, reason_fragment: str
) -> None:
    with serve({"/feed.xml": route}) as srv:  # type: ignore[dict-item]
        url = srv.url("/feed.xml")
        _add(engine, url)
        [out] = Poller(loopback_settings(), engine, redis_conn).run_once()
    assert out.outcome == "error" and out.reason
    assert reason_fragment in out.reason
    feed = _feed(engine, url)
    assert feed.health == "backing_off" and feed.error_count == 1
    assert feed.last_error
    next_check = feed.next_check_at.replace(tzinfo=feed.next_check_at.tzinfo or UTC)
    assert next_check > datetime.now(UTC)


def test_failures_back_off_and_other_feeds_still_poll(
    engine: Engine, redis_conn: redis.Redis, newsroom: Newsroom
) -> None:
    dead = "http://127.0.0.1:9/feed.xml"  # discard port: connection refused
    _add(engine, dead, newsroom.feed_urls()[0])
    poller = Poller(loopback_settings(), engine, redis_conn)
    outcomes = {o.feed_url: o for o in poller.run_once()}
    assert outcomes[dead].outcome == "error"
    assert outcomes[newsroom.feed_urls()[0]].outcome == "changed"
    for _ in range(2):
        poller.run_once()
    feed = _feed(engine, dead)
    assert feed.error_count == 3 and feed.health == "failing"


def test_loopback_is_refused_unless_allowed(
    engine: Engine, redis_conn: redis.Redis, newsroom: Newsroom
) -> None:
    _add(engine, newsroom.feed_urls()[0])
    poller = Poller(load_settings({}), engine, redis_conn)
    [out] = poller.run_once()
    assert out.outcome == "error" and out.reason and "blocked" in out.reason
    assert get_queue(redis_conn, "fetch").count == 0
