"""Store stage: one transaction per article — the article, its mentions, merged into events.

Idempotent: re-storing an article first removes its previous mentions (and events left with
none), then writes them again, so a job that runs twice leaves the same rows. Merging is
race-safe: on SQLite every write transaction holds the database write lock from its first
statement (``BEGIN IMMEDIATE``); on PostgreSQL a transaction-scoped advisory lock per
(PLOVER event, country) serialises writers that could merge into the same events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from ingest.logsetup import get_logger
from schemas.events import Actor, EventMention, Place
from schemas.messages import ArticleMessage, decode_article
from schemas.tables import Article, Entry, Event, Mention
from workers.eventcoding import merge_mentions, same_event
from workers.runtime import JobResult, StageWork, run_stage, runtime

STAGE = "store"
log = get_logger("newswire.stage")
#: How far around a mention's date candidate events are looked up (month-precision dates
#: sit on the 1st of their month, so a month on each side covers the merge rule).
_WINDOW_DAYS = 32


def _now() -> datetime:
    return datetime.now(UTC)


def event_to_mention(ev: Event) -> EventMention:
    """Return a mention standing for a stored event, for comparison with the merge rule."""
    return EventMention(
        event_type=ev.event_type,
        sub_event_type=ev.sub_event_type,
        plover_event=ev.plover_event,
        plover_mode=ev.plover_mode,
        event_date=ev.event_date,
        date_precision=ev.date_precision,  # type: ignore[arg-type]
        date_text=ev.date_text,
        place=Place(
            name=ev.location,
            country_code=ev.country_code,
            admin1_code=ev.admin1_code,
            admin1=ev.admin1,
            latitude=ev.latitude,
            longitude=ev.longitude,
            geo_precision=ev.geo_precision,
        ),
        sentence="",
        start=0,
        end=0,
        actors=tuple(Actor.from_dict(a) for a in ev.actors or ()),
        fatalities=ev.fatalities,
        injured=ev.injured,
        counts=dict(ev.counts or {}),
        intercepted=ev.intercepted,
        confidence=ev.confidence,
        extractor_version=ev.extractor_version,
    )


def _lock_bucket(session: Session, m: EventMention) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: BEGIN IMMEDIATE already serialises writers
    digest = hashlib.sha256(f"{m.plover_event}|{m.place.country_code}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def _candidates(session: Session, m: EventMention) -> list[Event]:
    d = date.fromisoformat(m.event_date)
    lo = (d - timedelta(days=_WINDOW_DAYS)).isoformat()
    hi = (d + timedelta(days=_WINDOW_DAYS)).isoformat()
    stmt = (
        select(Event)
        .where(
            # Same PLOVER event, not same ACLED type: a report that does not name the weapon
            # ("the assassination of ...") must still find the drone strike it is about.
            Event.plover_event == m.plover_event,
            Event.country_code == m.place.country_code,
            Event.event_date >= lo,
            Event.event_date <= hi,
        )
        .order_by(Event.id)
    )
    return list(session.scalars(stmt))


def _more_precise_date(a: str, b: str) -> bool:
    order = {"day": 0, "week": 1, "month": 2, "year": 3}
    return order.get(a, 9) < order.get(b, 9)


def _union_actors(old: Iterable[dict[str, Any]], new: Iterable[Actor]) -> list[dict[str, Any]]:
    out = list(old)
    seen = {(a["name"], a["role"]) for a in out}
    for a in new:
        if (a.name, a.role) not in seen:
            out.append(a.to_dict())
            seen.add((a.name, a.role))
    return out


def _apply(ev: Event, m: EventMention) -> None:
    """Fold mention ``m`` into event ``ev``: keep the most precise and the largest figures."""
    if ev.plover_mode is None and m.plover_mode is not None:
        # The first reports did not say how; this one does: its type is the more specific.
        ev.event_type, ev.sub_event_type = m.event_type, m.sub_event_type
        ev.plover_event, ev.plover_mode = m.plover_event, m.plover_mode
    if _more_precise_date(m.date_precision, ev.date_precision):
        ev.event_date, ev.date_precision, ev.date_text = m.event_date, m.date_precision, m.date_text
    if m.place.geo_precision < ev.geo_precision:
        ev.location, ev.geo_precision = m.place.name, m.place.geo_precision
        ev.admin1_code, ev.admin1 = m.place.admin1_code, m.place.admin1
        ev.latitude, ev.longitude = m.place.latitude, m.place.longitude
    ev.actors = _union_actors(ev.actors or [], m.actors)
    # Reports grow as news comes in; the largest reported figure is the latest, not a guess.
    if m.fatalities is not None:
        ev.fatalities = max(ev.fatalities or 0, m.fatalities)
    if m.injured is not None:
        ev.injured = max(ev.injured or 0, m.injured)
    counts = dict(ev.counts or {})
    for k, v in m.counts.items():
        counts[k] = max(counts.get(k, 0), v)
    ev.counts = counts
    ev.intercepted = ev.intercepted or m.intercepted
    ev.confidence = max(ev.confidence, m.confidence)
    ev.updated_at = _now()


def _new_event(m: EventMention) -> Event:
    now = _now()
    return Event(
        event_type=m.event_type,
        sub_event_type=m.sub_event_type,
        plover_event=m.plover_event,
        plover_mode=m.plover_mode,
        event_date=m.event_date,
        date_precision=m.date_precision,
        date_text=m.date_text,
        country_code=m.place.country_code,
        admin1_code=m.place.admin1_code,
        admin1=m.place.admin1,
        location=m.place.name,
        latitude=m.place.latitude,
        longitude=m.place.longitude,
        geo_precision=m.place.geo_precision,
        actors=[a.to_dict() for a in m.actors],
        fatalities=m.fatalities,
        injured=m.injured,
        counts=dict(m.counts),
        intercepted=m.intercepted,
        num_articles=1,
        confidence=m.confidence,
        extractor_version=m.extractor_version,
        created_at=now,
        updated_at=now,
    )


def _head(group: Sequence[EventMention]) -> EventMention:
    """Return the mention that best speaks for a group: a known weapon first, then confidence."""
    return max(group, key=lambda m: (m.plover_mode is not None, m.confidence))


def _forget_article_mentions(session: Session, article_key: str) -> set[int]:
    """Delete the article's mentions; return the ids of the events they pointed to."""
    ids = set(session.scalars(select(Mention.event_id).where(Mention.article_key == article_key)))
    session.execute(delete(Mention).where(Mention.article_key == article_key))
    return ids


def _refresh_counts(session: Session, event_ids: Iterable[int]) -> None:
    for eid in event_ids:
        n = session.scalar(
            select(func.count(func.distinct(Mention.article_key))).where(Mention.event_id == eid)
        )
        if not n:
            session.execute(delete(Event).where(Event.id == eid))
        else:
            session.execute(update(Event).where(Event.id == eid).values(num_articles=n))


def _upsert_article(session: Session, msg: ArticleMessage, status: str, reason: str | None) -> None:
    row = session.get(Article, msg.article_key) or Article(article_key=msg.article_key)
    row.url, row.canonical_url, row.feed_url = msg.url, msg.canonical_url, msg.feed_url
    row.title, row.author, row.site_name, row.text = msg.title, msg.author, msg.site_name, msg.text
    row.language, row.language_confidence = msg.language, msg.language_confidence
    row.published_at, row.published_source = msg.published_at, msg.published_source
    row.published_reason, row.image_url = msg.published_reason, msg.image_url
    row.fetched_at, row.content_hash = msg.fetched_at, msg.content_hash
    row.duplicate_of, row.cluster_id = msg.duplicate_of, msg.cluster_id
    row.events_coded, row.status, row.skip_reason = msg.events_coded, status, reason
    row.trace_id, row.stored_at = msg.trace_id, _now()
    session.add(row)


def store_article(session: Session, msg: ArticleMessage) -> list[int]:
    """Write ``msg`` and its mentions in ``session``; return the ids of the events touched."""
    _upsert_article(session, msg, "stored", None)
    session.flush()
    touched = _forget_article_mentions(session, msg.article_key)
    session.flush()
    index = 0
    event_ids: list[int] = []
    for group in merge_mentions(list(msg.mentions)):
        head = _head(group)
        _lock_bucket(session, head)
        target = next(
            (ev for ev in _candidates(session, head) if same_event(event_to_mention(ev), head)),
            None,
        )
        if target is None:
            target = _new_event(head)
            session.add(target)
            session.flush()
        for m in group:
            _apply(target, m)
            session.add(
                Mention(
                    article_key=msg.article_key,
                    event_id=target.id,
                    mention_index=index,
                    language=msg.language,
                    sentence=m.sentence,
                    start=m.start,
                    end=m.end,
                    coding=m.to_dict(),
                )
            )
            index += 1
        session.flush()
        event_ids.append(target.id)
        touched.add(target.id)
    _refresh_counts(session, touched)
    session.execute(
        update(Entry).where(Entry.article_key == msg.article_key).values(state="stored")
    )
    return event_ids


def record_skip(session: Session, msg: Any, reason: str, detail: dict[str, Any]) -> None:
    """Record that an article entered the pipeline and yielded nothing usable, and why."""
    now = _now()
    row = session.get(Article, msg.article_key) or Article(article_key=msg.article_key)
    if row.status == "stored":
        return  # a stored article is never downgraded by a later failed refetch
    row.url = msg.url
    row.feed_url = getattr(msg, "feed_url", None)
    row.title = getattr(msg, "title", None)
    row.status, row.skip_reason = "skipped", reason + (f": {detail}" if detail else "")
    row.trace_id, row.stored_at = getattr(msg, "trace_id", None), now
    session.add(row)
    session.execute(
        update(Entry).where(Entry.article_key == msg.article_key).values(state="skipped")
    )


def _work(msg: ArticleMessage) -> None:
    rt = runtime()
    with rt.sessions() as session, session.begin():
        event_ids = store_article(session, msg)
    log.info(
        "article_stored",
        events=len(set(event_ids)),
        mentions=len(msg.mentions),
        duplicate_of=msg.duplicate_of,
        language=msg.language,
    )


STAGE_WORK = StageWork(_work)


def job(payload: dict[str, Any]) -> JobResult:
    """RQ job of the store stage; returns the job summary."""
    return run_stage(STAGE, payload, decode_article, STAGE_WORK.work)


def stored_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Return which of ``keys`` are stored articles (used by tests and status)."""
    return set(session.scalars(select(Article.article_key).where(Article.article_key.in_(keys))))
