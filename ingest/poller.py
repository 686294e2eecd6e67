"""The poller: checks due feeds, records new entries once, and enqueues their fetch.

One feed check: conditional GET (ETag / Last-Modified) with the safe fetcher, feedparser on the
bytes, entry identity, then for each entry an insert-if-absent into ``entries`` — the unique
(feed, entry key) makes "new" a fact of the database, so two pollers seeing the same entry
enqueue it once. An entry is marked ``queued`` only after its job is in Redis; entries left
``new`` (enqueue failed) are enqueued again on the next round, so none is lost.

Any number of pollers may run: each feed check is claimed with a Redis lock, so no feed is
polled by two pollers at once. Failures back off exponentially up to the maximum interval and
are shown in the feed's health; a feed is never dropped.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import redis
from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ingest.db import session_factory
from ingest.feeds import FeedEntry, NotAFeed, parse_feed
from ingest.identity import article_key, canonical_url, entry_key
from ingest.logsetup import get_logger
from ingest.queueing import enqueue_stage
from ingest.safehttp import FetchError, FetchLimits, HTTPStatusError, fetch
from ingest.settings import Settings
from schemas.messages import EntryMessage
from schemas.tables import Article, Entry, Feed

log = get_logger("newswire.poller")
_LOCK_PREFIX = "newswire:poll-lock:"
_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """The result of one feed check, as logged in its ``feed_polled`` line."""

    feed_url: str
    outcome: str  # "changed" | "not_modified" | "unchanged" | "error"
    entries: int = 0
    new_entries: int = 0
    reason: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes for timezone-aware columns; they were stored as UTC.
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt


class Poller:
    """Polls the feeds in the database and feeds new entries into the ``fetch`` queue."""

    def __init__(self, settings: Settings, engine: Engine, conn: redis.Redis) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions = session_factory(engine)
        self.redis = conn
        self.limits = FetchLimits(
            deadline_s=settings.fetch_deadline_s,
            max_body_bytes=settings.fetch_max_bytes,
            max_decoded_bytes=2 * settings.fetch_max_bytes,
            user_agent=settings.user_agent,
        )
        self._stop = threading.Event()

    # -- scheduling ---------------------------------------------------------------------
    def due_feeds(self, now: datetime, *, all_feeds: bool = False) -> list[int]:
        """Return the ids of feeds due at ``now`` (every feed when ``all_feeds``)."""
        with self.sessions() as s:
            stmt = select(Feed.id).order_by(Feed.next_check_at)
            if not all_feeds:
                stmt = stmt.where(Feed.next_check_at <= now)
            return list(s.scalars(stmt))

    def _claim(self, feed_id: int) -> str | None:
        token = uuid.uuid4().hex
        ttl = int(self.settings.fetch_deadline_s * 3) + 30
        ok = self.redis.set(f"{_LOCK_PREFIX}{feed_id}", token, nx=True, ex=ttl)
        return token if ok else None

    def _release(self, feed_id: int, token: str) -> None:
        key = f"{_LOCK_PREFIX}{feed_id}"
        # Compare-and-delete: never release a lock another poller took after ours expired.
        self.redis.eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
            "end return 0",
            1,
            key,
            token,
        )

    def _interval(self, feed: Feed, ok: bool) -> float:
        s = self.settings
        if ok:
            base = s.poll_interval_s
        else:
            base = min(
                s.poll_max_interval_s, s.poll_min_interval_s * 2 ** min(feed.error_count, 16)
            )
        base = min(max(base, s.poll_min_interval_s), s.poll_max_interval_s)
        return base * random.uniform(0.9, 1.1)  # jitter: spread checks of feeds added together

    # -- one feed -----------------------------------------------------------------------
    def poll_feed(self, feed_id: int) -> PollOutcome | None:
        """Check one feed if no other poller holds it; return the outcome (None if claimed)."""
        token = self._claim(feed_id)
        if token is None:
            return None
        try:
            return self._poll_claimed(feed_id)
        finally:
            self._release(feed_id, token)

    def _poll_claimed(self, feed_id: int) -> PollOutcome:
        started = time.perf_counter()
        with self.sessions() as s:
            feed = s.get(Feed, feed_id)
            if feed is None:
                return PollOutcome("?", "error", reason="feed_deleted")
            url, etag, last_modified = feed.url, feed.etag, feed.last_modified
        try:
            res = fetch(
                url,
                limits=self.limits,
                allowed_networks=self.settings.allow_private_networks,
                etag=etag,
                last_modified=last_modified,
                accept=_FEED_ACCEPT,
            )
            if res.not_modified:
                outcome = PollOutcome(url, "not_modified")
                self._record_success(feed_id, outcome, res.headers, None, None)
            else:
                parsed = parse_feed(res.body, url=res.url, headers=res.headers)
                new = self._record_entries(feed_id, url, parsed.entries, parsed.language)
                outcome = PollOutcome(url, "changed", len(parsed.entries), new, parsed.malformed)
                self._record_success(feed_id, outcome, res.headers, parsed.title, parsed.site_url)
        except (FetchError, NotAFeed) as exc:
            reason = getattr(exc, "reason", type(exc).__name__)
            outcome = PollOutcome(url, "error", reason=str(reason))
            self._record_failure(feed_id, str(reason), str(exc), exc)
        log.info(
            "feed_polled",
            feed_url=url,
            outcome=outcome.outcome,
            entries=outcome.entries,
            new_entries=outcome.new_entries,
            reason=outcome.reason,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        return outcome

    def _record_success(
        self,
        feed_id: int,
        outcome: PollOutcome,
        headers: Any,
        title: str | None,
        site_url: str | None,
    ) -> None:
        now = _now()
        with self.sessions() as s, s.begin():
            feed = s.get(Feed, feed_id)
            if feed is None:
                return
            if outcome.outcome == "changed":
                feed.etag = headers.get("etag") or feed.etag
                feed.last_modified = headers.get("last-modified") or feed.last_modified
                feed.title = feed.title or title
                feed.site_url = feed.site_url or site_url
                feed.entries_seen = (feed.entries_seen or 0) + outcome.new_entries
            feed.error_count = 0
            feed.last_error = outcome.reason  # a malformed-but-usable feed keeps its warning
            feed.health = "degraded" if outcome.reason else "ok"
            feed.last_status = 304 if outcome.outcome == "not_modified" else 200
            feed.last_checked_at = feed.last_success_at = now
            feed.next_check_at = now + timedelta(seconds=self._interval(feed, ok=True))

    def _record_failure(self, feed_id: int, reason: str, detail: str, exc: Exception) -> None:
        now = _now()
        with self.sessions() as s, s.begin():
            feed = s.get(Feed, feed_id)
            if feed is None:
                return
            feed.error_count = (feed.error_count or 0) + 1
            feed.last_error = f"{reason}: {detail}"[:2000]
            feed.last_checked_at = now
            if isinstance(exc, HTTPStatusError):
                feed.last_status = exc.status
            feed.health = (
                "gone"
                if feed.last_status == 410
                else ("failing" if feed.error_count >= 3 else "backing_off")
            )
            delay = self._interval(feed, ok=False)
            retry_after = getattr(exc, "retry_after", None)
            if retry_after:
                delay = max(delay, min(float(retry_after), self.settings.poll_max_interval_s))
            feed.next_check_at = now + timedelta(seconds=delay)

    # -- entries ------------------------------------------------------------------------
    def _insert_entry(self, s: Session, values: dict[str, Any]) -> bool:
        dialect = s.get_bind().dialect.name
        ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Entry)
        stmt = (
            ins.values(**values)
            .on_conflict_do_nothing(index_elements=["feed_id", "entry_key"])
            .returning(Entry.id)
        )
        return s.execute(stmt).first() is not None

    def _record_entries(
        self, feed_id: int, feed_url: str, entries: Sequence[FeedEntry], language: str | None
    ) -> int:
        now = _now()
        new = 0
        with self.sessions() as s, s.begin():
            for e in entries:
                if not e.url:
                    continue  # an entry with no link has no article to fetch
                try:
                    canon = canonical_url(e.url)
                except ValueError:
                    log.warning("entry_skipped", feed_url=feed_url, reason="bad_url", url=e.url)
                    continue
                values = {
                    "feed_id": feed_id,
                    "entry_key": entry_key(feed_url, e),
                    "article_key": article_key(canon),
                    "url": e.url,
                    "title": e.title,
                    "summary": e.summary,
                    "published_at": e.published,
                    "published_raw": e.published_raw,
                    "trace_id": uuid.uuid4().hex[:16],
                    "state": "new",
                    "created_at": now,
                }
                if self._insert_entry(s, values):
                    new += 1
        self.enqueue_pending(feed_url_hint=feed_url, language=language)
        return new

    def enqueue_pending(
        self, *, feed_url_hint: str | None = None, language: str | None = None
    ) -> int:
        """Enqueue the fetch of every entry still in state ``new``; return how many."""
        count = 0
        with self.sessions() as s:
            rows = s.execute(
                select(Entry, Feed.url, Feed.language_hint)
                .join(Feed, Feed.id == Entry.feed_id)
                .where(Entry.state == "new")
                .order_by(Entry.id)
                .limit(5000)
            ).all()
        for entry, feed_url, hint in rows:
            with self.sessions() as s, s.begin():
                stored = s.scalar(
                    select(Article.status).where(Article.article_key == entry.article_key)
                )
                if stored == "stored":
                    # The same article reached us through another feed or entry already.
                    s.execute(update(Entry).where(Entry.id == entry.id).values(state="stored"))
                    continue
            msg = EntryMessage(
                article_key=entry.article_key,
                url=entry.url,
                feed_url=feed_url,
                entry_key=entry.entry_key,
                trace_id=entry.trace_id,
                title=entry.title,
                summary=entry.summary,
                published_at=_iso(entry.published_at, entry.published_raw),
                language_hint=hint or language,
                discovered_at=_iso(entry.created_at, None),
            )
            enqueued = enqueue_stage(
                self.redis,
                "fetch",
                entry.article_key,
                msg.to_dict(),
                timeout_s=self.settings.job_timeout_s,
            )
            with self.sessions() as s, s.begin():
                s.execute(update(Entry).where(Entry.id == entry.id).values(state="queued"))
            if enqueued:
                count += 1
                log.info(
                    "entry_enqueued",
                    feed_url=feed_url,
                    article_key=entry.article_key,
                    trace_id=entry.trace_id,
                    url=entry.url,
                )
        return count

    # -- loops --------------------------------------------------------------------------
    def run_once(self) -> list[PollOutcome]:
        """Check every feed once (used by ``--until-idle``); return the outcomes."""
        outcomes = []
        for fid in self.due_feeds(_now(), all_feeds=True):
            out = self.poll_feed(fid)
            if out is not None:
                outcomes.append(out)
        self.enqueue_pending()
        return outcomes

    def stop(self) -> None:
        """Ask :meth:`run_forever` to return after the current feed check."""
        self._stop.set()

    def run_forever(self) -> None:
        """Check due feeds until :meth:`stop` is called."""
        log.info("poller_started", interval_s=self.settings.poll_interval_s)
        while not self._stop.is_set():
            try:
                for fid in self.due_feeds(_now()):
                    if self._stop.is_set():
                        break
                    self.poll_feed(fid)
                self.enqueue_pending()
                wait = self._seconds_to_next_due()
            except Exception as exc:  # the daemon outlives any one round's failure
                log.error("poll_round_failed", error=str(exc), reason=type(exc).__name__)
                wait = 5.0
            self._stop.wait(wait)
        log.info("poller_stopped")

    def _seconds_to_next_due(self) -> float:
        with self.sessions() as s:
            nxt = _aware(s.scalar(select(Feed.next_check_at).order_by(Feed.next_check_at).limit(1)))
        if nxt is None:
            return 5.0
        return max(0.5, min(30.0, (nxt - _now()).total_seconds()))


def _iso(dt: datetime | None, raw: str | None) -> str | None:
    """Return the entry's publication time in ISO 8601, keeping the feed's own UTC offset.

    The offset matters downstream: relative dates ("jeudi") are resolved in the publisher's
    time zone, which the UTC value stored in the database no longer tells.
    """
    if raw:
        for parse in (parsedate_to_datetime, datetime.fromisoformat):
            try:
                parsed = parse(raw.strip())
            except (TypeError, ValueError, IndexError):
                continue
            if parsed.tzinfo is not None:
                return parsed.isoformat()
    aware = _aware(dt)
    return aware.isoformat() if aware is not None else None
