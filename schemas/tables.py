"""Database tables (SQLAlchemy 2.x declarative). The schema is created only by Alembic.

Every write is idempotent: natural unique keys (feed url, feed+entry key, article key,
article+mention index) let each stage upsert instead of insert.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base holding the metadata Alembic migrates."""


class Feed(Base):
    """A polled feed, its conditional-GET validators, schedule and health."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(String(512))
    site_url: Mapped[str | None] = mapped_column(String(2048))
    language_hint: Mapped[str | None] = mapped_column(String(16))
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    next_check_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[int | None] = mapped_column(Integer)
    health: Mapped[str] = mapped_column(String(16), default="new")
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    entries_seen: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: "feed" (RSS/Atom/JSON Feed) or "sitemap" (a Google News sitemap).
    source_type: Mapped[str] = mapped_column(String(16), default="feed", server_default="feed")
    #: The adaptive check interval in use (seconds), before jitter.
    interval_s: Mapped[float | None] = mapped_column(Float)
    #: Smoothed seconds between new entries: the feed's observed publishing rate.
    publish_gap_s: Mapped[float | None] = mapped_column(Float)
    last_new_entry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    check_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The URL before the last permanent redirect (health "moved").
    previous_url: Mapped[str | None] = mapped_column(String(2048))


class Entry(Base):
    """A feed entry seen by a poller; ``state`` goes new → queued once its fetch is enqueued."""

    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key", name="uq_entries_feed_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(64))
    article_key: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_raw: Mapped[str | None] = mapped_column(String(64))
    trace_id: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="new", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSubSubscription(Base):
    """A feed's WebSub subscription at the hub it advertises, from discovery to lease end.

    ``state``: ``discovered`` (hub seen, nothing asked yet), ``requested`` (asked, not yet
    verified), ``active`` (the hub verified it), ``denied``, ``failed`` (the request did not go
    through), ``unsubscribing``. ``pending_mode`` is the request whose intent verification we
    await (``subscribe`` / ``unsubscribe``). Deleting the feed sets ``feed_id`` to NULL: the
    subscription is then cancelled at its hub and the row removed.
    """

    __tablename__ = "websub_subscriptions"
    __table_args__ = (
        UniqueConstraint("feed_id", name="uq_websub_feed"),
        UniqueConstraint("token", name="uq_websub_token"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    hub_url: Mapped[str] = mapped_column(String(2048))
    topic_url: Mapped[str] = mapped_column(String(2048))
    #: The random last path segment of this subscription's callback URL.
    token: Mapped[str] = mapped_column(String(64))
    #: The key the hub signs pushes with (``hub.secret``); random per subscription.
    secret: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16))
    pending_mode: Mapped[str | None] = mapped_column(String(16))
    #: The lease the hub granted, and when it ends.
    lease_s: Mapped[int | None] = mapped_column(Integer)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: When a subscriber next acts on it: first request, renewal, retry, or a late verification.
    next_action_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    #: Failed requests in a row (backoff).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_push_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Article(Base):
    """A fetched and cleaned article, or the record of why it was skipped."""

    __tablename__ = "articles"

    article_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    canonical_url: Mapped[str | None] = mapped_column(String(2048), index=True)
    feed_url: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(512))
    site_name: Mapped[str | None] = mapped_column(String(512))
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    language_confidence: Mapped[float | None] = mapped_column(Float)
    published_at: Mapped[str | None] = mapped_column(String(40))
    published_source: Mapped[str | None] = mapped_column(String(16))
    #: Why that date won: a code of ingest.clean.PublishedReason (e.g. "feed_only").
    published_reason: Mapped[str | None] = mapped_column(String(32))
    #: The page's main image (og:image / twitter:image). Text, not String(2048): the value is
    #: whatever the page declares, and an overlong one must not make PostgreSQL refuse the row.
    image_url: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[str | None] = mapped_column(String(40))
    duplicate_of: Mapped[str | None] = mapped_column(String(64), index=True)
    cluster_id: Mapped[str | None] = mapped_column(String(64), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    events_coded: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="stored")
    skip_reason: Mapped[str | None] = mapped_column(Text)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    #: The raw response in the WARC archive: file name under ``<data dir>/warc`` and offset.
    warc_file: Mapped[str | None] = mapped_column(String(255))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)


class Event(Base):
    """A real-world event: the merge of every mention that reports it."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_merge", "plover_event", "country_code", "event_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    sub_event_type: Mapped[str] = mapped_column(String(64))
    plover_event: Mapped[str] = mapped_column(String(32))
    plover_mode: Mapped[str | None] = mapped_column(String(32))
    event_date: Mapped[str] = mapped_column(String(10))
    date_precision: Mapped[str] = mapped_column(String(8))
    date_text: Mapped[str | None] = mapped_column(Text)
    country_code: Mapped[str] = mapped_column(String(2))
    admin1_code: Mapped[str | None] = mapped_column(String(16))
    admin1: Mapped[str | None] = mapped_column(String(128))
    location: Mapped[str] = mapped_column(String(256))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[int] = mapped_column(Integer)
    actors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    injured: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    intercepted: Mapped[bool] = mapped_column(Boolean, default=False)
    num_articles: Mapped[int] = mapped_column(Integer, default=1)
    confidence: Mapped[float] = mapped_column(Float)
    extractor_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Mention(Base):
    """One sentence of one article reporting an event; the full coding of that sentence."""

    __tablename__ = "event_mentions"
    __table_args__ = (UniqueConstraint("article_key", "mention_index", name="uq_mentions_article"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_key: Mapped[str] = mapped_column(
        ForeignKey("articles.article_key", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    mention_index: Mapped[int] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(16))
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    coding: Mapped[dict[str, Any]] = mapped_column(JSON)
