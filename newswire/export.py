"""``newswire export``: events and articles as the records DESIGN.md specifies."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import Article, Event, Feed, Mention

EVENT_FIELDS = [
    "event_id", "event_type", "sub_event_type", "plover_event", "plover_mode", "event_date",
    "date_precision", "date_text", "country_code", "admin1_code", "admin1", "location",
    "latitude", "longitude", "geo_precision", "actors", "fatalities", "injured", "counts",
    "intercepted", "mentions", "num_articles", "confidence", "extractor_version",
]  # fmt: skip
ARTICLE_FIELDS = [
    "article_id", "url", "canonical_url", "feed_url", "title", "text", "language",
    "language_confidence", "published_at", "fetched_at", "duplicate_of", "cluster_id",
    "content_hash", "status", "skip_reason",
]  # fmt: skip


def event_records(session: Session, since: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield one exported record per event (oldest event date first), mentions included."""
    stmt = select(Event).order_by(Event.event_date, Event.id)
    if since:
        stmt = stmt.where(Event.event_date >= since)
    for ev in session.scalars(stmt):
        rows = session.execute(
            select(Mention, Article.url, Article.published_at)
            .join(Article, Article.article_key == Mention.article_key)
            .where(Mention.event_id == ev.id)
            .order_by(Mention.article_key, Mention.mention_index)
        ).all()
        yield {
            "event_id": ev.id,
            "event_type": ev.event_type,
            "sub_event_type": ev.sub_event_type,
            "plover_event": ev.plover_event,
            "plover_mode": ev.plover_mode,
            "event_date": ev.event_date,
            "date_precision": ev.date_precision,
            "date_text": ev.date_text,
            "country_code": ev.country_code,
            "admin1_code": ev.admin1_code,
            "admin1": ev.admin1,
            "location": ev.location,
            "latitude": ev.latitude,
            "longitude": ev.longitude,
            "geo_precision": ev.geo_precision,
            "actors": ev.actors or [],
            "fatalities": ev.fatalities,
            "injured": ev.injured,
            "counts": ev.counts or {},
            "intercepted": ev.intercepted,
            "mentions": [
                {
                    "article_id": m.article_key,
                    "url": url,
                    "language": m.language,
                    "sentence": m.sentence,
                    "start": m.start,
                    "end": m.end,
                    "published_at": published,
                }
                for m, url, published in rows
            ],
            "num_articles": ev.num_articles,
            "confidence": ev.confidence,
            "extractor_version": ev.extractor_version,
        }


def article_records(session: Session, since: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield one exported record per article (skipped ones included, with their reason)."""
    stmt = select(Article).order_by(Article.stored_at)
    if since:
        stmt = stmt.where(Article.published_at >= since)
    for a in session.scalars(stmt):
        yield {
            "article_id": a.article_key,
            "url": a.url,
            "canonical_url": a.canonical_url,
            "feed_url": a.feed_url,
            "title": a.title,
            "text": a.text,
            "language": a.language,
            "language_confidence": a.language_confidence,
            "published_at": a.published_at,
            "fetched_at": a.fetched_at,
            "duplicate_of": a.duplicate_of,
            "cluster_id": a.cluster_id,
            "content_hash": a.content_hash,
            "status": a.status,
            "skip_reason": a.skip_reason,
        }


def write_jsonl(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write one JSON object per line; return how many."""
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Iterator[dict[str, Any]], out: TextIO, columns: list[str]) -> int:
    """Write a CSV with ``columns`` (nested values as JSON); return the number of rows."""
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for rec in records:
        flat = {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
            for k, v in rec.items()
        }
        writer.writerow(flat)
        n += 1
    return n


def render_events_table(records: list[dict[str, Any]], width: int = 120) -> str:
    """Return a plain-text table of events for people (the demo prints it)."""
    buf = io.StringIO()
    header = (
        f"{'type':<34} {'date':<10} {'prec':<5} {'place':<28} {'admin1':<14} "
        f"{'counts':<22} {'arts':>4}"
    )
    buf.write(header + "\n" + "-" * len(header) + "\n")
    for r in records:
        counts = dict(r["counts"])
        if r.get("fatalities") is not None:
            counts["killed"] = r["fatalities"]
        if r.get("injured") is not None:
            counts["injured"] = r["injured"]
        ctext = ", ".join(f"{k}={v}" for k, v in counts.items()) or "-"
        admin = r["admin1_code"] or r["country_code"]
        buf.write(
            f"{r['sub_event_type'][:34]:<34} {r['event_date']:<10} {r['date_precision'][:5]:<5} "
            f"{r['location'][:28]:<28} {admin[:14]:<14} {ctext[:22]:<22} {r['num_articles']:>4}\n"
        )
        if r["mentions"]:
            sentence = r["mentions"][0]["sentence"].replace("\n", " ")
            limit = width - 6
            buf.write(f"    « {sentence[:limit]}{'…' if len(sentence) > limit else ''} »\n")
    return buf.getvalue()


def feed_rows(session: Session) -> list[dict[str, Any]]:
    """Return every feed with its health, as plain dicts."""
    out = []
    for f in session.scalars(select(Feed).order_by(Feed.id)):
        out.append(
            {
                "id": f.id,
                "url": f.url,
                "title": f.title,
                "health": f.health,
                "error_count": f.error_count,
                "last_error": f.last_error,
                "last_status": f.last_status,
                "entries_seen": f.entries_seen,
                "last_checked_at": f.last_checked_at.isoformat() if f.last_checked_at else None,
                "last_success_at": f.last_success_at.isoformat() if f.last_success_at else None,
                "next_check_at": f.next_check_at.isoformat() if f.next_check_at else None,
            }
        )
    return out
