"""The poller: checks due feeds, records new entries once, and enqueues their fetch.

Scheduling is shared through Redis (:class:`ingest.schedule.FeedSchedule`): every poller
process on every machine claims due feeds atomically, so no feed is polled by two pollers at
once, and adding pollers adds throughput. Within a process a small thread pool runs the
checks; each request first takes a per-host slot (:class:`ingest.hostlimits.HostLimiter`),
so a host sees at most N requests at once and a minimum gap between them, across processes.

One feed check: conditional GET (ETag / Last-Modified) with the safe fetcher; 304, or a body
identical to the last one, only reschedules; otherwise the body is parsed (RSS, Atom, JSON
Feed, news sitemap) and each entry inserted-if-absent into ``entries`` — the unique
(feed, entry key) makes "new" a fact of the database, so two pollers seeing the same entry
enqueue it once. An entry is marked ``queued`` only after its job is in Redis; entries left
``new`` are enqueued again by a later sweep, so none is lost.

The next check follows :mod:`ingest.cadence` (publishing rate, server hints, backoff, jitter).
Health: ``ok``, ``degraded`` (parsed with complaints), ``moved`` (a 301/308 or a rediscovered
feed replaced the stored URL), ``backing_off`` (1–2 failures in a row), ``failing`` (3 or
more), ``gone`` (410; still retried at the maximum interval). No feed is ever dropped. When
most hosts fail to connect at once the machine is offline, and feeds are not penalised.
The database is the source of truth for every feed; the Redis schedule is rebuilt from it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import redis
from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest import cadence
from ingest.db import as_utc, session_factory
from ingest.discover import feed_links
from ingest.feeds import FeedEntry, NotAFeed, ParsedFeed
from ingest.formats import parse_source, source_kind
from ingest.hostlimits import HostBusy, HostLimiter, HostPolicy, host_of, host_policy
from ingest.identity import article_key, canonical_url, entry_key
from ingest.logsetup import get_logger
from ingest.queueing import enqueue_stage
from ingest.safehttp import (
    ConnectError,
    FetchError,
    FetchLimits,
    FetchResult,
    FetchTimeout,
    HTTPStatusError,
    fetch,
)
from ingest.schedule import FeedSchedule
from ingest.settings import Settings
from ingest.websub.store import SubscriptionStore
from schemas.messages import EntryMessage
from schemas.tables import Article, Entry, Feed

log = get_logger("newswire.poller")
_stdlog = logging.getLogger("newswire.poller")
_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_OFFLINE_REASONS = frozenset(
    {"dns_failure", "connection_refused", "connect_failed", "connect_timeout", "tls_error"}
)


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """The result of one feed check, as logged in its ``feed_polled`` line."""

    feed_url: str
    outcome: str  # "changed" | "not_modified" | "unchanged" | "moved" | "deferred" | "error"
    entries: int = 0
    new_entries: int = 0
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class PollerOptions:
    """How one poller process works (the politeness rules are shared by all processes)."""

    #: Checks running at once in this process.
    threads: int = 16
    host_policy: HostPolicy = field(default_factory=HostPolicy)
    #: How long a claimed feed stays ours; None → three fetch deadlines plus 30 s.
    lease_s: float | None = None
    #: How often the Redis schedule is reconciled with the database (new/removed feeds).
    sync_interval_s: float = 30.0
    #: Offline detection: within this window, at least ``offline_min_hosts`` hosts were
    #: tried and this share of them failed to connect.
    offline_window_s: float = 60.0
    offline_min_hosts: int = 4
    offline_ratio: float = 0.8


@dataclass(slots=True)
class FeedState:
    """What one check needs to know about its feed (a snapshot of the row)."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    error_count: int
    publish_gap_s: float | None
    last_new_entry_at: datetime | None
    language_hint: str | None
    title: str | None
    site_url: str | None
    entries_seen: int
    check_count: int
    health: str


@dataclass(slots=True)
class CheckResult:
    """One finished check: its outcome, the feed-row changes and the next due time."""

    feed_id: int
    outcome: PollOutcome
    values: dict[str, Any]
    next_due: float
    lag_s: float = 0.0


@dataclass
class PollStats:
    """Counters of this process, read by the benchmark and the logs."""

    checks: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    lags: deque[float] = field(default_factory=lambda: deque(maxlen=200_000))


def _now() -> datetime:
    return datetime.now(UTC)


class OfflineDetector:
    """Tells "this machine is offline" from "this host is down" by counting distinct hosts."""

    def __init__(self, window_s: float, min_hosts: int, ratio: float) -> None:
        self.window_s = window_s
        self.min_hosts = min_hosts
        self.ratio = ratio
        self._last: dict[str, tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def record(self, host: str, connect_failed: bool, now: float | None = None) -> None:
        """Record the latest result for ``host``."""
        with self._lock:
            self._last[host] = (now or time.monotonic(), connect_failed)

    def offline(self, now: float | None = None) -> bool:
        """Return True when most recently tried hosts failed to connect."""
        t = now or time.monotonic()
        with self._lock:
            recent = [failed for at, failed in self._last.values() if t - at <= self.window_s]
            if len(self._last) > 10_000:  # forget old hosts so the map stays bounded
                self._last = {h: v for h, v in self._last.items() if t - v[0] <= self.window_s}
        if len(recent) < self.min_hosts:
            return False
        return sum(recent) >= self.ratio * len(recent)


class Poller:
    """Polls the feeds in the database and feeds new entries into the ``fetch`` queue."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        conn: redis.Redis,
        options: PollerOptions | None = None,
    ) -> None:
        if options is None:
            options = PollerOptions(
                threads=settings.poller_threads,
                host_policy=host_policy(settings),
            )
        self.settings = settings
        self.options = options
        self.engine = engine
        self.sessions = session_factory(engine)
        self.redis = conn
        self.limits = FetchLimits(
            deadline_s=settings.fetch_deadline_s,
            max_body_bytes=settings.fetch_max_bytes,
            max_decoded_bytes=2 * settings.fetch_max_bytes,
            user_agent=settings.user_agent,
        )
        self.bounds = cadence.Bounds(
            default_s=settings.poll_interval_s,
            min_s=settings.poll_min_interval_s,
            max_s=settings.poll_max_interval_s,
        )
        self.lease_s = options.lease_s or settings.fetch_deadline_s * 3 + 30
        self.schedule = FeedSchedule(conn)
        self.hosts = HostLimiter(conn, options.host_policy)
        self.offline = OfflineDetector(
            options.offline_window_s, options.offline_min_hosts, options.offline_ratio
        )
        self.stats = PollStats()
        #: Remembers the WebSub hub each parsed feed advertises (see ingest.websub).
        self.hubs = SubscriptionStore(
            self.sessions, watch_removals=settings.websub_callback_url is not None
        )
        self._stop = threading.Event()

    # -- schedule -----------------------------------------------------------------------
    def sync_schedule(self) -> int:
        """Reconcile the Redis schedule with the feeds table; return how many were added."""
        with self.sessions() as s:
            rows = s.execute(select(Feed.id, Feed.next_check_at)).all()
        return self.schedule.sync((fid, (as_utc(due) or _now()).timestamp()) for fid, due in rows)

    def _load(self, ids: Sequence[int]) -> dict[int, FeedState]:
        out: dict[int, FeedState] = {}
        with self.sessions() as s:
            for start in range(0, len(ids), 500):
                for f in s.scalars(select(Feed).where(Feed.id.in_(ids[start : start + 500]))):
                    out[f.id] = FeedState(
                        id=f.id,
                        url=f.url,
                        etag=f.etag,
                        last_modified=f.last_modified,
                        body_hash=f.body_hash,
                        error_count=f.error_count or 0,
                        publish_gap_s=f.publish_gap_s,
                        last_new_entry_at=as_utc(f.last_new_entry_at),
                        language_hint=f.language_hint,
                        title=f.title,
                        site_url=f.site_url,
                        entries_seen=f.entries_seen or 0,
                        check_count=f.check_count or 0,
                        health=f.health,
                    )
        return out

    # -- one feed -----------------------------------------------------------------------
    def poll_feed(self, feed_id: int) -> PollOutcome | None:
        """Check one feed now if no other poller holds it; return the outcome (None if held)."""
        outcomes = self._check_ids([feed_id], pool=None)
        return outcomes[0] if outcomes else None

    def check(self, state: FeedState, due: float | None = None) -> CheckResult:
        """Check one feed we hold; return what to write. Never raises for the feed's faults."""
        claimed = time.time()
        started = time.perf_counter()
        host = host_of(state.url)
        try:
            with self.hosts.slot(host, max_wait_s=self.settings.fetch_deadline_s):
                res = fetch(
                    state.url,
                    limits=self.limits,
                    allowed_networks=self.settings.allow_private_networks,
                    etag=state.etag,
                    last_modified=state.last_modified,
                    accept=_FEED_ACCEPT,
                )
            self.offline.record(host, False)
            result = self._on_response(state, res)
        except HostBusy as exc:
            # Not the feed's fault: try again soon, counting nothing.
            result = CheckResult(
                state.id,
                PollOutcome(state.url, "deferred", reason=exc.reason),
                {},
                time.time() + min(30.0, self.bounds.min_s),
            )
        except FetchError as exc:
            failed_connect = isinstance(exc, ConnectError | FetchTimeout) and (
                exc.reason in _OFFLINE_REASONS
            )
            self.offline.record(host, failed_connect)
            result = self._on_failure(state, exc, offline=failed_connect and self.offline.offline())
        except Exception as exc:  # a bug must not stop the poller; the feed is retried
            log.error("feed_check_crashed", feed_url=state.url, error=repr(exc))
            result = self._on_failure(state, exc, offline=False)
        if due is not None:
            result.lag_s = max(0.0, claimed - due)
        out = result.outcome
        if _stdlog.isEnabledFor(logging.INFO):  # skip building a line nobody will see
            log.info(
                "feed_polled",
                feed_url=out.feed_url,
                outcome=out.outcome,
                entries=out.entries,
                new_entries=out.new_entries,
                reason=out.reason,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
        return result

    def _on_response(self, state: FeedState, res: FetchResult) -> CheckResult:
        now = _now()
        values: dict[str, Any] = {
            "error_count": 0,
            "last_checked_at": now,
            "last_success_at": now,
            "check_count": state.check_count + 1,
            "last_status": res.status,
        }
        health = "ok"
        moved_to = res.permanent_url
        if moved_to and moved_to != state.url and self._url_free(moved_to, state.id):
            values.update(url=moved_to, previous_url=state.url)
            health = "moved"
            log.info("feed_moved", feed_url=state.url, new_url=moved_to)
        etag = res.headers.get("etag")
        last_modified = res.headers.get("last-modified")
        if etag:
            values["etag"] = etag[:512]
        if last_modified:
            values["last_modified"] = last_modified[:128]
        since_new = (
            (now - state.last_new_entry_at).total_seconds() if state.last_new_entry_at else None
        )
        floor = cadence.server_floor(res.headers, None, now)
        if res.not_modified:
            outcome = PollOutcome(state.url, "not_modified")
            gap = state.publish_gap_s
        else:
            digest = hashlib.sha256(res.body).hexdigest()
            if digest == state.body_hash:
                outcome = PollOutcome(state.url, "unchanged")
                gap = state.publish_gap_s
            else:
                try:
                    parsed = parse_source(res.body, url=res.url, headers=res.headers)
                except NotAFeed as exc:
                    if exc.reason == "html_page":
                        found = self._rediscover(state, res)
                        if found is not None:
                            return found
                    raise
                values["body_hash"] = digest
                values["source_type"] = "sitemap" if source_kind(res.body) == "sitemap" else "feed"
                floor = cadence.server_floor(res.headers, parsed.ttl_minutes, now)
                key_url = values.get("url", state.url)
                new = self._record_entries(state, key_url, parsed)
                self.hubs.note_feed(state.id, parsed, res.headers, res.url)
                if new:
                    values["last_new_entry_at"] = now
                    values["entries_seen"] = state.entries_seen + new
                dates = [e.published for e in parsed.entries if e.published is not None]
                gap = cadence.update_gap(
                    state.publish_gap_s,
                    new_items=new,
                    since_last_new_s=since_new,
                    dates_gap_s=cadence.gap_from_dates(dates),
                )
                if new:
                    since_new = 0.0
                if parsed.title and not state.title:
                    values["title"] = parsed.title[:512]
                if parsed.site_url and not state.site_url:
                    values["site_url"] = parsed.site_url[:2048]
                if parsed.malformed and health == "ok":
                    health = "degraded"
                values["last_error"] = parsed.malformed
                outcome = PollOutcome(
                    state.url, "changed", len(parsed.entries), new, parsed.malformed
                )
        if health != "ok" or state.health not in ("ok", "new") or "last_error" not in values:
            values.setdefault("last_error", None)
        values["health"] = health
        values["publish_gap_s"] = gap
        interval = cadence.success_interval(
            self.bounds, gap_s=gap, since_last_new_s=since_new, floor_s=floor
        )
        values["interval_s"] = interval
        nxt = now + timedelta(seconds=cadence.jittered(interval))
        values["next_check_at"] = nxt
        return CheckResult(state.id, outcome, values, nxt.timestamp())

    def _rediscover(self, state: FeedState, res: FetchResult) -> CheckResult | None:
        """A feed URL now serving HTML: adopt the feed the page declares, if any."""
        for candidate in feed_links(res.body, res.url):
            if candidate.url != state.url and self._url_free(candidate.url, state.id):
                now = _now()
                log.info("feed_rediscovered", feed_url=state.url, new_url=candidate.url)
                values = {
                    "url": candidate.url,
                    "previous_url": state.url,
                    "health": "moved",
                    "etag": None,
                    "last_modified": None,
                    "body_hash": None,
                    "last_error": f"html_page: rediscovered feed {candidate.url}",
                    "last_checked_at": now,
                    "last_status": res.status,
                    "next_check_at": now,
                    "check_count": state.check_count + 1,
                }
                return CheckResult(
                    state.id,
                    PollOutcome(state.url, "moved", reason="html_page_rediscovered"),
                    values,
                    now.timestamp(),
                )
        return None

    def _url_free(self, url: str, feed_id: int) -> bool:
        with self.sessions() as s:
            other = s.scalar(select(Feed.id).where(Feed.url == url))
        return other is None or other == feed_id

    def _on_failure(self, state: FeedState, exc: Exception, *, offline: bool) -> CheckResult:
        now = _now()
        reason = str(getattr(exc, "reason", type(exc).__name__))
        values: dict[str, Any] = {
            "last_checked_at": now,
            "last_error": f"{reason}: {exc}"[:2000],
            "check_count": state.check_count + 1,
        }
        if offline:
            # Everything is failing at once: the fault is ours, not the feed's.
            values["last_error"] = f"offline: {values['last_error']}"[:2000]
            nxt = now + timedelta(seconds=cadence.jittered(self.bounds.min_s))
            values["next_check_at"] = nxt
            return CheckResult(
                state.id, PollOutcome(state.url, "error", reason="offline"), values, nxt.timestamp()
            )
        errors = state.error_count + 1
        values["error_count"] = errors
        status = exc.status if isinstance(exc, HTTPStatusError) else None
        if status is not None:
            values["last_status"] = status
        if status == 410:
            values["health"] = "gone"
            interval = self.bounds.max_s  # still retried: sites come back
        else:
            values["health"] = "failing" if errors >= 3 else "backing_off"
            retry_after = exc.retry_after if isinstance(exc, HTTPStatusError) else None
            interval = cadence.backoff_interval(self.bounds, errors, retry_after)
        values["interval_s"] = interval
        nxt = now + timedelta(seconds=cadence.jittered(interval))
        values["next_check_at"] = nxt
        return CheckResult(
            state.id, PollOutcome(state.url, "error", reason=reason), values, nxt.timestamp()
        )

    # -- writing results ----------------------------------------------------------------
    def apply(self, results: Sequence[CheckResult], leases: dict[int, float]) -> None:
        """Write ``results`` to the feeds table, then hand the feeds back to the schedule."""
        plain = [r for r in results if r.values and "url" not in r.values]
        moved = [r for r in results if "url" in r.values]
        if plain:
            with self.sessions() as s, s.begin():
                s.execute(update(Feed), [{"id": r.feed_id, **r.values} for r in plain])
        for r in moved:
            try:
                with self.sessions() as s, s.begin():
                    s.execute(update(Feed).where(Feed.id == r.feed_id).values(**r.values))
            except IntegrityError:  # another feed took that URL meanwhile
                values = {k: v for k, v in r.values.items() if k not in ("url", "previous_url")}
                with self.sessions() as s, s.begin():
                    s.execute(update(Feed).where(Feed.id == r.feed_id).values(**values))
        self.schedule.reschedule_many(
            (r.feed_id, leases[r.feed_id], r.next_due) for r in results if r.feed_id in leases
        )
        for r in results:
            self.stats.checks += 1
            key = r.outcome.outcome
            self.stats.by_outcome[key] = self.stats.by_outcome.get(key, 0) + 1
            self.stats.lags.append(r.lag_s)

    # -- entries ------------------------------------------------------------------------
    def _insert_entry(self, s: Session, values: dict[str, Any]) -> int | None:
        dialect = s.get_bind().dialect.name
        ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Entry)
        stmt = (
            ins.values(**values)
            .on_conflict_do_nothing(index_elements=["feed_id", "entry_key"])
            .returning(Entry.id)
        )
        row = s.execute(stmt).first()
        return int(row[0]) if row is not None else None

    def record_pushed(self, feed_id: int, parsed: ParsedFeed) -> int | None:
        """Record and enqueue a pushed body's new entries exactly as a poll would (WebSub).

        Returns how many entries were new, or None when the feed no longer exists.
        """
        state = self._load([feed_id]).get(feed_id)
        if state is None:
            return None
        return self._record_entries(state, state.url, parsed)

    def _record_entries(self, state: FeedState, key_url: str, parsed: ParsedFeed) -> int:
        """Insert the feed's entries not seen before, enqueue them; return how many were new."""
        now = _now()
        new_ids: list[int] = []
        with self.sessions() as s, s.begin():
            for e in parsed.entries:
                values = self._entry_values(state.id, key_url, e, now)
                if values is not None:
                    inserted = self._insert_entry(s, values)
                    if inserted is not None:
                        new_ids.append(inserted)
        if new_ids:
            self._enqueue_ids(new_ids, language=parsed.language)
        return len(new_ids)

    @staticmethod
    def _entry_values(
        feed_id: int, feed_url: str, e: FeedEntry, now: datetime
    ) -> dict[str, Any] | None:
        if not e.url:
            return None  # an entry with no link has no article to fetch
        try:
            canon = canonical_url(e.url)
        except ValueError:
            log.warning("entry_skipped", feed_url=feed_url, reason="bad_url", url=e.url)
            return None
        return {
            "feed_id": feed_id,
            "entry_key": entry_key(feed_url, e),
            "article_key": article_key(canon),
            "url": e.url[:2048],
            "title": e.title,
            "summary": e.summary,
            "published_at": e.published,
            "published_raw": (e.published_raw or "")[:64] or None,
            "trace_id": uuid.uuid4().hex[:16],
            "state": "new",
            "created_at": now,
        }

    def _enqueue_ids(self, ids: Iterable[int], *, language: str | None) -> int:
        with self.sessions() as s:
            rows = s.execute(
                select(Entry, Feed.url, Feed.language_hint)
                .join(Feed, Feed.id == Entry.feed_id)
                .where(Entry.id.in_(list(ids)), Entry.state == "new")
            ).all()
        return self._enqueue_rows(rows, language)

    def enqueue_pending(self) -> int:
        """Enqueue the fetch of every entry still in state ``new``; return how many."""
        with self.sessions() as s:
            rows = s.execute(
                select(Entry, Feed.url, Feed.language_hint)
                .join(Feed, Feed.id == Entry.feed_id)
                .where(Entry.state == "new")
                .order_by(Entry.id)
                .limit(5000)
            ).all()
        return self._enqueue_rows(rows, None)

    def _enqueue_rows(self, rows: Sequence[Any], language: str | None) -> int:
        if not rows:
            return 0
        keys = list({entry.article_key for entry, _, _ in rows})
        with self.sessions() as s:
            stored = set(
                s.scalars(
                    select(Article.article_key).where(
                        Article.article_key.in_(keys), Article.status == "stored"
                    )
                )
            )
        done_ids = [entry.id for entry, _, _ in rows if entry.article_key in stored]
        queued_ids: list[int] = []
        count = 0
        for entry, feed_url, hint in rows:
            if entry.article_key in stored:
                continue  # the same article reached us through another feed or entry already
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
            queued_ids.append(entry.id)
            if enqueued:
                count += 1
                log.info(
                    "entry_enqueued",
                    feed_url=feed_url,
                    article_key=entry.article_key,
                    trace_id=entry.trace_id,
                    url=entry.url,
                )
        # Marked only after their jobs are in Redis: a crash before this re-enqueues them.
        with self.sessions() as s, s.begin():
            if done_ids:
                s.execute(update(Entry).where(Entry.id.in_(done_ids)).values(state="stored"))
            if queued_ids:
                s.execute(update(Entry).where(Entry.id.in_(queued_ids)).values(state="queued"))
        return count

    # -- loops --------------------------------------------------------------------------
    def _check_ids(self, ids: Sequence[int], pool: ThreadPoolExecutor | None) -> list[PollOutcome]:
        """Claim ``ids`` whatever their due time, check them, write results; return outcomes."""
        claimed = self.schedule.claim_ids(ids, time.time(), lease_s=self.lease_s)
        leases = dict(claimed)
        states = self._load([fid for fid, _ in claimed])
        results: list[CheckResult] = []
        if pool is None:
            results = [self.check(st) for st in states.values()]
        else:
            results = list(pool.map(self.check, states.values()))
        self.apply(results, leases)
        # Feeds claimed but deleted meanwhile are dropped from the schedule by the next sync.
        order = {fid: i for i, fid in enumerate(ids)}
        results.sort(key=lambda r: order.get(r.feed_id, 0))
        return [r.outcome for r in results]

    def run_once(self) -> list[PollOutcome]:
        """Check every feed once now (used by ``--until-idle``); return the outcomes."""
        self.sync_schedule()
        with self.sessions() as s:
            ids = list(s.scalars(select(Feed.id).order_by(Feed.next_check_at)))
        outcomes: list[PollOutcome] = []
        with ThreadPoolExecutor(self.options.threads, thread_name_prefix="poll") as pool:
            for start in range(0, len(ids), 500):
                outcomes += self._check_ids(ids[start : start + 500], pool)
        self.enqueue_pending()
        return outcomes

    def stop(self) -> None:
        """Ask :meth:`run_forever` to return after the checks in flight."""
        self._stop.set()

    def run_forever(self) -> None:
        """Check due feeds until :meth:`stop` is called."""
        opts = self.options
        log.info("poller_started", threads=opts.threads, lease_s=self.lease_s)
        inflight: dict[Future[CheckResult], int] = {}
        leases: dict[int, float] = {}
        done_results: list[CheckResult] = []
        last_sync = last_sweep = last_flush = 0.0
        with ThreadPoolExecutor(opts.threads, thread_name_prefix="poll") as pool:
            while not self._stop.is_set() or inflight:
                now = time.monotonic()
                try:
                    if now - last_sync > opts.sync_interval_s:
                        self.sync_schedule()
                        last_sync = now
                    if now - last_sweep > 30.0:
                        self.enqueue_pending()
                        last_sweep = now
                    room = opts.threads * 2 - len(inflight)
                    if room > 0 and not self._stop.is_set():
                        claimed = self.schedule.claim(time.time(), limit=room, lease_s=self.lease_s)
                        if claimed:
                            states = self._load([fid for fid, _, _ in claimed])
                            for fid, due, lease in claimed:
                                st = states.get(fid)
                                if st is None:
                                    continue  # deleted from the database: sync removes it
                                leases[fid] = lease
                                inflight[pool.submit(self.check, st, due)] = fid
                except Exception as exc:  # Redis or the database away: retry, don't die
                    log.error("poll_round_failed", error=str(exc), reason=type(exc).__name__)
                    self._stop.wait(2.0)
                    continue
                timeout = 0.02 if inflight else self._idle_wait()
                if inflight:
                    finished, _ = wait(list(inflight), timeout=timeout, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        inflight.pop(fut)
                        done_results.append(fut.result())
                else:
                    self._stop.wait(timeout)
                if done_results and (
                    len(done_results) >= 200 or time.monotonic() - last_flush > 0.2 or not inflight
                ):
                    batch_leases = {r.feed_id: leases.pop(r.feed_id) for r in done_results}
                    try:
                        self.apply(done_results, batch_leases)
                    except Exception as exc:
                        # The leases run out and the feeds come due again: nothing is lost.
                        log.error("poll_apply_failed", error=str(exc), reason=type(exc).__name__)
                    done_results = []
                    last_flush = time.monotonic()
        log.info("poller_stopped", checks=self.stats.checks)

    def _idle_wait(self) -> float:
        nxt = self.schedule.next_due()
        if nxt is None:
            return 1.0
        return max(0.01, min(1.0, nxt - time.time()))


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
    aware = as_utc(dt)
    return aware.isoformat() if aware is not None else None
