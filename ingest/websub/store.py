"""WebSub subscriptions in the database: one ``websub_subscriptions`` row per feed with a hub.

They live in the database, beside the feeds they belong to, because a subscription's token
and secret must outlive every process (a hub keeps pushing for the whole lease) and the
database is the source of truth for feeds; Redis holds only what can be rebuilt.

The poller calls :meth:`SubscriptionStore.note_feed` after parsing a changed feed body; the
subscriber (:mod:`ingest.websub.subscriber`) claims the rows that are due and sends their
requests; the callback (:mod:`ingest.websub.callback`) records verifications and pushes.
Every state change is one conditional UPDATE, so several subscriber and callback processes
can share the table.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from ingest.db import as_utc
from ingest.feeds import ParsedFeed
from ingest.logsetup import get_logger
from ingest.websub.links import HubLink, hub_link
from schemas.tables import Feed
from schemas.tables import WebSubSubscription as Row

__all__ = ["RENEW_AT", "Subscription", "SubscriptionStore"]

log = get_logger("newswire.websub")

#: Renew once this share of the granted lease has passed (a day's margin on 10-day leases).
RENEW_AT = 0.8
#: A hub that denied a subscription is asked again after this long (it may change its mind).
DENIED_RETRY_S = 24 * 3600.0
#: Failed requests are retried after 60 s doubling up to this.
RETRY_MAX_S = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Subscription:
    """A snapshot of one subscription row."""

    id: int
    feed_id: int | None
    hub_url: str
    topic_url: str
    token: str
    secret: str
    state: str
    pending_mode: str | None
    lease_s: int | None
    expires_at: datetime | None
    next_action_at: datetime
    attempts: int


def _now() -> datetime:
    return datetime.now(UTC)


def _snapshot(row: Row) -> Subscription:
    return Subscription(
        id=row.id,
        feed_id=row.feed_id,
        hub_url=row.hub_url,
        topic_url=row.topic_url,
        token=row.token,
        secret=row.secret,
        state=row.state,
        pending_mode=row.pending_mode,
        lease_s=row.lease_s,
        expires_at=as_utc(row.expires_at),
        next_action_at=as_utc(row.next_action_at) or _now(),
        attempts=row.attempts or 0,
    )


def retry_delay(attempts: int) -> float:
    """Return the seconds to wait after ``attempts`` failures in a row (60 s doubling, capped)."""
    return min(60.0 * 2.0 ** min(attempts, 20), RETRY_MAX_S)


def _due(now: datetime) -> ColumnElement[bool]:
    """Return the condition of a row a subscriber should act on at ``now``.

    Its ``next_action_at`` has come, or its feed was deleted (set NULL by the database, which
    could not also move ``next_action_at``) and no one is cancelling it yet.
    """
    return or_(
        Row.next_action_at <= now,
        and_(Row.feed_id.is_(None), Row.state != "unsubscribing"),
    )


class SubscriptionStore:
    """Reads and changes subscription rows; every method opens its own short transaction."""

    def __init__(self, sessions: sessionmaker[Session], *, watch_removals: bool = False) -> None:
        self.sessions = sessions
        #: Whether a feed that stops advertising its hub has its subscription cancelled. Only
        #: with WebSub on: it costs a read per changed feed body, which nobody else should pay.
        self.watch_removals = watch_removals

    # -- discovery (the poller) -------------------------------------------------------------
    def note_feed(
        self, feed_id: int, parsed: ParsedFeed, headers: Mapping[str, str], url: str
    ) -> None:
        """Record the hub a freshly parsed feed advertises. Never raises for database faults.

        Discovery is best effort: a failure here must not fail the feed check, and the next
        changed body tries again.
        """
        link = hub_link(parsed, headers, url)
        if link is None and not self.watch_removals:
            return
        try:
            self.remember(feed_id, link)
        except SQLAlchemyError as exc:
            log.warning("websub_discovery_failed", feed_id=feed_id, error=str(exc))

    def remember(self, feed_id: int, link: HubLink | None) -> None:
        """Make the feed's subscription row match ``link`` (None: the feed names no hub).

        A changed hub or topic detaches the old row (its subscriber cancels it at its hub and
        deletes it) and adds a new one with a fresh token and secret.
        """
        with self.sessions() as s:
            current = s.execute(
                select(Row.id, Row.hub_url, Row.topic_url).where(Row.feed_id == feed_id)
            ).first()
        if current is None and link is None:
            return
        if (
            current is not None
            and link is not None
            and current[1:] == (link.hub_url, link.topic_url)
        ):
            return  # the usual case: the feed names the hub it named before
        now = _now()
        with self.sessions() as s, s.begin():
            if current is not None:
                s.execute(
                    update(Row).where(Row.id == current[0]).values(feed_id=None, next_action_at=now)
                )
            if link is not None:
                dialect = s.get_bind().dialect.name
                ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Row)
                # Two pollers never check one feed at once, but a conflict must not fail one.
                s.execute(
                    ins.values(
                        feed_id=feed_id,
                        hub_url=link.hub_url,
                        topic_url=link.topic_url,
                        token=secrets.token_urlsafe(32),
                        secret=secrets.token_hex(32),
                        state="discovered",
                        next_action_at=now,
                        attempts=0,
                        created_at=now,
                    ).on_conflict_do_nothing(index_elements=["feed_id"])
                )
        if link is not None:
            log.info(
                "websub_hub_discovered",
                feed_id=feed_id,
                hub_url=link.hub_url,
                topic_url=link.topic_url,
            )

    # -- lookups ----------------------------------------------------------------------------
    def by_token(self, token: str) -> Subscription | None:
        """Return the subscription whose callback ends in ``token``, else None."""
        if not token or len(token) > 64:
            return None
        with self.sessions() as s:
            row = s.scalars(select(Row).where(Row.token == token)).first()
            return _snapshot(row) if row is not None else None

    def for_feed(self, feed_id: int) -> Subscription | None:
        """Return the feed's subscription, else None."""
        with self.sessions() as s:
            row = s.scalars(select(Row).where(Row.feed_id == feed_id)).first()
            return _snapshot(row) if row is not None else None

    def due(self, now: datetime, limit: int = 100) -> list[Subscription]:
        """Return subscriptions a subscriber should act on now (:func:`_due`), most overdue
        first."""
        with self.sessions() as s:
            rows = s.scalars(select(Row).where(_due(now)).order_by(Row.next_action_at).limit(limit))
            return [_snapshot(r) for r in rows]

    # -- the subscriber's side -----------------------------------------------------------
    def claim(self, sub: Subscription, mode: str, now: datetime, hold_s: float) -> bool:
        """Mark ``sub`` as awaiting verification of ``mode`` for ``hold_s``; return True if ours.

        Conditional on the row still being due, so of several subscribers one sends. Set
        before the request goes out: a hub may verify before it even answers.
        """
        if mode == "unsubscribe":
            state: object = "unsubscribing"
        else:
            # A renewal keeps an unexpired subscription active while the hub re-verifies it.
            state = case(
                (and_(Row.state == "active", Row.expires_at > now), "active"),
                else_="requested",
            )
        with self.sessions() as s, s.begin():
            done = s.connection().execute(
                update(Row)
                .where(
                    Row.id == sub.id,
                    _due(now),
                )
                .values(
                    state=state,
                    pending_mode=mode,
                    attempts=sub.attempts,
                    next_action_at=now + timedelta(seconds=hold_s),
                )
            )
        return done.rowcount == 1

    def request_failed(self, sub: Subscription, mode: str, reason: str, now: datetime) -> float:
        """Record that the ``mode`` request of ``sub`` did not go through; return the retry delay.

        A verification that arrived meanwhile wins: the row is changed only while still pending.
        """
        attempts = sub.attempts + 1
        delay = retry_delay(attempts)
        with self.sessions() as s, s.begin():
            s.execute(
                update(Row)
                .where(Row.id == sub.id, Row.pending_mode == mode)
                .values(
                    state=case(
                        (and_(Row.state == "active", Row.expires_at > now), "active"),
                        (Row.state == "unsubscribing", "unsubscribing"),
                        else_="failed",
                    ),
                    pending_mode=None,
                    attempts=attempts,
                    last_error=reason[:2000],
                    next_action_at=now + timedelta(seconds=delay),
                )
            )
        return delay

    def _set(self, sub: Subscription, **values: Any) -> None:
        """Write ``values`` into the row of ``sub``, in a transaction of its own."""
        with self.sessions() as s, s.begin():
            s.execute(update(Row).where(Row.id == sub.id).values(**values))

    def drop(self, sub: Subscription) -> None:
        """Delete the row of ``sub`` (cancelled, or given up)."""
        with self.sessions() as s, s.begin():
            s.execute(delete(Row).where(Row.id == sub.id))

    # -- the callback's side --------------------------------------------------------------
    def verified(self, sub: Subscription, lease_s: int, now: datetime) -> None:
        """Record the hub's verification of a subscription for ``lease_s`` seconds."""
        renew_in = max(60.0, lease_s * RENEW_AT)
        self._set(
            sub,
            state="active",
            pending_mode=None,
            lease_s=lease_s,
            expires_at=now + timedelta(seconds=lease_s),
            verified_at=now,
            attempts=0,
            last_error=None,
            next_action_at=now + timedelta(seconds=renew_in),
        )

    def denied(self, sub: Subscription, reason: str, now: datetime) -> None:
        """Record the hub's denial of a subscription; it is asked again a day later."""
        self._set(
            sub,
            state="denied",
            pending_mode=None,
            attempts=sub.attempts + 1,
            last_error=f"denied: {reason}"[:2000],
            expires_at=None,
            next_action_at=now + timedelta(seconds=DENIED_RETRY_S),
        )

    def pushed(self, sub: Subscription, new_entries: int, now: datetime) -> None:
        """Record a processed push, and its new entries on the feed as a poll would."""
        with self.sessions() as s, s.begin():
            s.execute(update(Row).where(Row.id == sub.id).values(last_push_at=now))
            if new_entries and sub.feed_id is not None:
                # Relative, so that two pushes at once both count.
                s.execute(
                    update(Feed)
                    .where(Feed.id == sub.feed_id)
                    .values(last_new_entry_at=now, entries_seen=Feed.entries_seen + new_entries)
                )
