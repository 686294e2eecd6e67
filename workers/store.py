"""Store stage: one transaction per article — the article, its mentions, merged into events.

Idempotent: re-storing an article first removes its previous mentions (and events left with
none), then writes them again, so a job that runs twice leaves the same rows. Merging is
race-safe: on SQLite every write transaction holds the database write lock from its first
statement (``BEGIN IMMEDIATE``); on PostgreSQL a transaction-scoped advisory lock per
(PLOVER event, country) serialises writers that could merge into the same events.

Clusters. An article's ``cluster_id`` is stored resolved: the dedupe stage may have merged its
cluster into an earlier one since its verdict (``workers/dedupe.py``), so the stage looks the
cluster up in the dedupe index's merge map and stores the root. The article whose check merged
clusters carries them (``merged_clusters``); storing it re-labels the rows already stored under
them. Both orders therefore end with every row of the story under the root: a row stored
before the merge is re-labelled by the merging article's store, a row stored after it is
resolved when written. For writers racing (a row committed under cluster B while the merge of
B is being stored), each store, after its commit, resolves the label it wrote once more and, if
that cluster has been merged meanwhile, re-labels it again (:func:`settle_cluster`): any merge
the check did not see happens after the commit, and the store of the merging article, which
follows its merge, sees the committed row.

A re-labelled former canonical article (B, unique when checked) also gets ``duplicate_of``
set to the root's canonical article when it has none: B is then a copy of the story first
claimed by A, and "copies" in the articles table (``duplicate_of`` set) agree with clusters.
Its events are left alone: B was coded as unique and its mentions stay, merged with A's at the
event level like any two reports of one event; nothing is coded twice because the events stage
only looks at the message (B's says unique, O's says duplicate). Without a merge map (a caller
that passes none), a row already re-labelled keeps its cluster and ``duplicate_of``: a verdict
never changes for a key, so a stored label that differs from it was moved to a root since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.db import transaction
from ingest.logsetup import get_logger
from schemas.events import Actor, EventMention, Place
from schemas.messages import ArticleMessage, decode_article
from schemas.tables import Article, Entry, Event, Mention
from workers.dedupe import DedupeIndex
from workers.eventcoding import merge_mentions, same_event
from workers.runtime import JobResult, StageWork, run_stage, runtime

STAGE = "store"
log = get_logger("newswire.stage")
#: How far around a mention's date candidate events are looked up (month-precision dates
#: sit on the 1st of their month, so a month on each side covers the merge rule).
_WINDOW_DAYS = 32


class ClusterMap(Protocol):
    """Where merged dedupe clusters lead (:class:`workers.dedupe.DedupeIndex` is one)."""

    def cluster_path(self, cluster_id: str) -> list[str]:
        """Return ``[cluster_id, its parent, ..., its root]``."""
        ...


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


def relabel_clusters(session: Session, merged: Iterable[str], root: str) -> None:
    """Move the rows stored under the ``merged`` clusters to cluster ``root``.

    A merged cluster's id is its canonical article's key: that article, a copy of nothing
    until now, becomes a copy of ``root``'s canonical article (see the module docstring).
    """
    ids = sorted(set(merged) - {root})
    if not ids:
        return
    session.execute(update(Article).where(Article.cluster_id.in_(ids)).values(cluster_id=root))
    session.execute(
        update(Article)
        .where(Article.article_key.in_(ids), Article.duplicate_of.is_(None))
        .values(duplicate_of=root)
    )


def _cluster(
    session: Session, msg: ArticleMessage, clusters: ClusterMap | None
) -> tuple[str | None, str | None, set[str]]:
    """Return the (cluster_id, duplicate_of) to store for ``msg`` and the clusters to re-label."""
    cluster, dup = msg.cluster_id, msg.duplicate_of
    if cluster is None:
        return None, dup, set()
    if clusters is None:
        row = session.get(Article, msg.article_key)
        if row is not None and row.cluster_id is not None and row.cluster_id != cluster:
            return row.cluster_id, dup or row.duplicate_of, set(msg.merged_clusters)
        return cluster, dup, set(msg.merged_clusters)
    path = clusters.cluster_path(cluster)
    root = path[-1]
    stale = set(path[:-1])
    for merged in msg.merged_clusters:
        mpath = clusters.cluster_path(merged)
        if mpath[-1] == root:
            stale.update(mpath[:-1])
    if dup is None and root != cluster:
        dup = root  # a canonical article whose cluster was merged into an earlier one
    return root, dup, stale


def _upsert_article(
    session: Session,
    msg: ArticleMessage,
    status: str,
    reason: str | None,
    cluster: tuple[str | None, str | None],
) -> None:
    row = session.get(Article, msg.article_key) or Article(article_key=msg.article_key)
    row.url, row.canonical_url, row.feed_url = msg.url, msg.canonical_url, msg.feed_url
    row.title, row.author, row.site_name, row.text = msg.title, msg.author, msg.site_name, msg.text
    row.language, row.language_confidence = msg.language, msg.language_confidence
    row.published_at, row.published_source = msg.published_at, msg.published_source
    row.published_reason, row.image_url = msg.published_reason, msg.image_url
    row.fetched_at, row.content_hash = msg.fetched_at, msg.content_hash
    row.cluster_id, row.duplicate_of = cluster
    row.events_coded, row.status, row.skip_reason = msg.events_coded, status, reason
    row.trace_id, row.stored_at = msg.trace_id, _now()
    session.add(row)


def store_article(
    session: Session, msg: ArticleMessage, clusters: ClusterMap | None = None
) -> list[int]:
    """Write ``msg`` and its mentions in ``session``; return the ids of the events touched.

    ``clusters`` (the dedupe index) resolves the article's cluster, and the clusters its
    check merged, to their root; without it the cluster is stored as the message names it
    (or as a re-labelled row already has it: see the module docstring). After the commit,
    call :func:`settle_cluster` on the stored cluster (the stage does).
    """
    cluster_id, duplicate_of, stale = _cluster(session, msg, clusters)
    _upsert_article(session, msg, "stored", None, (cluster_id, duplicate_of))
    session.flush()
    if cluster_id is not None:
        relabel_clusters(session, stale, cluster_id)
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


def settle_cluster(
    sessions: sessionmaker[Session], cluster_id: str | None, clusters: ClusterMap
) -> str | None:
    """Re-label rows of ``cluster_id`` until it is a root; return the root.

    Called after the commit that wrote ``cluster_id``: if the cluster was merged while that
    transaction ran, the merging article's store may not have seen its rows (see the module
    docstring). Costs one Redis lookup when nothing was merged.
    """
    label = cluster_id
    while label is not None:
        path = clusters.cluster_path(label)
        if len(path) == 1:
            break
        with transaction(sessions) as session:
            relabel_clusters(session, path[:-1], path[-1])
        label = path[-1]
    return label


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
    clusters = DedupeIndex(rt.redis)  # no round trip: only the merge map is read
    with rt.sessions() as session, session.begin():
        event_ids = store_article(session, msg, clusters)
        row = session.get(Article, msg.article_key)
        stored_cluster = row.cluster_id if row is not None else None
    settle_cluster(rt.sessions, stored_cluster, clusters)
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
