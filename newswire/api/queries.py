"""Filtered, paginated reads of events, articles and feeds, as the records export writes.

Each function takes an open session and returns plain dicts whose keys are those of
``newswire.export`` (``EVENT_FIELDS``, ``ARTICLE_FIELDS``), so the API, the exports and the
dashboard speak about the same records.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from newswire.export import article_record, event_record, mention_record
from schemas.tables import Article, Entry, Event, Feed, Mention


@dataclass(frozen=True, slots=True)
class BBox:
    """A longitude/latitude box; ``west > east`` means it crosses the antimeridian."""

    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What ``/events`` may be narrowed by; None means "any"."""

    since: str | None = None
    until: str | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    bbox: BBox | None = None
    q: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """What ``/articles`` may be narrowed by; None means "any"."""

    since: str | None = None
    until: str | None = None
    language: str | None = None
    status: str | None = None
    q: str | None = None


def _like(text: str) -> str:
    """Return a LIKE pattern matching ``text`` anywhere (its own wildcards taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    """Return a case-insensitive "column contains text" condition."""
    return func.lower(column).like(_like(text.lower()), escape="\\")


def _event_conditions(f: EventFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.since:
        conds.append(Event.event_date >= f.since)
    if f.until:
        conds.append(Event.event_date <= f.until)
    if f.country:
        conds.append(Event.country_code == f.country.upper())
    if f.admin1:
        conds.append(
            or_(Event.admin1_code == f.admin1.upper(), func.lower(Event.admin1) == f.admin1.lower())
        )
    if f.event_type:
        conds.append(func.lower(Event.event_type) == f.event_type.lower())
    if f.sub_event_type:
        conds.append(func.lower(Event.sub_event_type) == f.sub_event_type.lower())
    if f.actor:
        # Actors are a JSON list; its text may hold non-ASCII names escaped (\u00e9), so both
        # spellings are looked for.
        actors_text = cast(Event.actors, String)
        escaped = json.dumps(f.actor)[1:-1]
        conds.append(or_(_contains(actors_text, f.actor), _contains(actors_text, escaped)))
    if f.bbox:
        b = f.bbox
        conds.append(Event.latitude.between(b.south, b.north))
        if b.west <= b.east:
            conds.append(Event.longitude.between(b.west, b.east))
        else:
            conds.append(or_(Event.longitude >= b.west, Event.longitude <= b.east))
    if f.q:
        in_sentence = exists().where(Mention.event_id == Event.id, _contains(Mention.sentence, f.q))
        conds.append(
            or_(
                _contains(Event.location, f.q),
                _contains(func.coalesce(Event.admin1, ""), f.q),
                _contains(Event.sub_event_type, f.q),
                in_sentence,
            )
        )
    return conds


def _mentions(session: Session, event_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Return each event's mentions (export's shape), in article then sentence order."""
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in event_ids}
    if not event_ids:
        return out
    rows = session.execute(
        select(Mention, Article.url, Article.published_at)
        .join(Article, Article.article_key == Mention.article_key)
        .where(Mention.event_id.in_(event_ids))
        .order_by(Mention.article_key, Mention.mention_index)
    ).all()
    for m, url, published in rows:
        out[m.event_id].append(mention_record(m, url, published))
    return out


def find_events(
    session: Session, f: EventFilter, *, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """Return (how many events match ``f``, the page of them), newest event date first."""
    conds = _event_conditions(f)
    total = session.scalar(select(func.count()).select_from(Event).where(*conds)) or 0
    events = list(
        session.scalars(
            select(Event)
            .where(*conds)
            .order_by(Event.event_date.desc(), Event.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    mentions = _mentions(session, [e.id for e in events])
    return total, [event_record(e, mentions[e.id]) for e in events]


def get_event(session: Session, event_id: int) -> dict[str, Any] | None:
    """Return the event record with all its mentions, or None when there is no such event."""
    ev = session.get(Event, event_id)
    if ev is None:
        return None
    return event_record(ev, _mentions(session, [ev.id])[ev.id])


def event_types(session: Session) -> list[dict[str, Any]]:
    """Return every (event type, sub-event type) present with its number of events."""
    rows = session.execute(
        select(Event.event_type, Event.sub_event_type, func.count())
        .group_by(Event.event_type, Event.sub_event_type)
        .order_by(Event.event_type, Event.sub_event_type)
    ).all()
    return [{"event_type": t, "sub_event_type": s, "events": n} for t, s, n in rows]


def find_articles(
    session: Session, f: ArticleFilter, *, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """Return (how many articles match ``f``, the page of them), most recently stored first."""
    conds: list[ColumnElement[bool]] = []
    if f.since:
        conds.append(Article.published_at >= f.since)
    if f.until:
        # published_at is ISO 8601 text: anything on the "until" day sorts below the next char.
        conds.append(Article.published_at <= f.until + "\uffff")
    if f.language:
        conds.append(func.lower(Article.language) == f.language.lower())
    if f.status:
        conds.append(Article.status == f.status)
    if f.q:
        conds.append(
            or_(_contains(func.coalesce(Article.title, ""), f.q), _contains(Article.url, f.q))
        )
    total = session.scalar(select(func.count()).select_from(Article).where(*conds)) or 0
    rows = session.scalars(
        select(Article)
        .where(*conds)
        .order_by(Article.stored_at.desc(), Article.article_key)
        .limit(limit)
        .offset(offset)
    )
    return total, [article_record(a) for a in rows]


def get_article(session: Session, article_id: str) -> dict[str, Any] | None:
    """Return the article record plus ``event_ids`` (events it reports), or None if unknown."""
    a = session.get(Article, article_id)
    if a is None:
        return None
    ids = session.scalars(
        select(Mention.event_id)
        .where(Mention.article_key == article_id)
        .group_by(Mention.event_id)
        .order_by(Mention.event_id)
    )
    return {**article_record(a), "event_ids": list(ids)}


def throughput(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Return how many articles were stored and events touched in the last hour and day."""
    now = now or datetime.now(UTC)
    hour, day = now - timedelta(hours=1), now - timedelta(days=1)

    def count(column: Any, since: datetime, *conds: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).where(column >= since, *conds)) or 0

    return {
        "articles_stored_last_hour": count(Article.stored_at, hour, Article.status == "stored"),
        "articles_stored_last_day": count(Article.stored_at, day, Article.status == "stored"),
        "articles_skipped_last_day": count(Article.stored_at, day, Article.status == "skipped"),
        "events_updated_last_hour": count(Event.updated_at, hour),
        "events_updated_last_day": count(Event.updated_at, day),
    }


def totals(session: Session) -> dict[str, Any]:
    """Return the stored totals: articles by status, events, mentions, feeds by health."""
    articles = dict(
        session.execute(select(Article.status, func.count()).group_by(Article.status)).all()
    )
    feeds = dict(session.execute(select(Feed.health, func.count()).group_by(Feed.health)).all())
    return {
        "articles": {str(k): int(v) for k, v in articles.items()},
        "events": session.scalar(select(func.count()).select_from(Event)) or 0,
        "mentions": session.scalar(select(func.count()).select_from(Mention)) or 0,
        "feeds": {str(k): int(v) for k, v in feeds.items()},
    }


def entries_by_state(session: Session) -> dict[str, int]:
    """Return how many feed entries are in each state (new, queued, stored, skipped)."""
    rows = session.execute(select(Entry.state, func.count()).group_by(Entry.state)).all()
    return {str(state): int(n) for state, n in rows}
