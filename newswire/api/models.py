"""Response models: the OpenAPI schema of the API, field for field the export records."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class MentionOut(BaseModel):
    """One evidence sentence of an event, with the article it is from."""

    article_id: str
    url: str
    language: str | None
    sentence: str
    start: int
    end: int
    published_at: str | None


class EventOut(BaseModel):
    """A coded event (the ``newswire export events`` record)."""

    event_id: int
    event_type: str
    sub_event_type: str
    plover_event: str
    plover_mode: str | None
    event_date: str
    date_precision: str
    date_text: str | None
    country_code: str
    admin1_code: str | None
    admin1: str | None
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int
    actors: list[dict[str, Any]]
    fatalities: int | None
    injured: int | None
    counts: dict[str, int]
    intercepted: bool
    mentions: list[MentionOut]
    num_articles: int
    confidence: float
    extractor_version: str


class EventPage(BaseModel):
    """A page of events matching the filters, newest first."""

    total: int = Field(description="events matching the filters, over all pages")
    limit: int
    offset: int
    items: list[EventOut]


class ArticleOut(BaseModel):
    """A stored or skipped article (the ``newswire export articles`` record)."""

    article_id: str
    url: str
    canonical_url: str | None
    feed_url: str | None
    title: str | None
    text: str | None
    language: str | None
    language_confidence: float | None
    published_at: str | None
    fetched_at: str | None
    duplicate_of: str | None
    cluster_id: str | None
    content_hash: str | None
    status: str
    skip_reason: str | None
    author: str | None
    site_name: str | None
    image_url: str | None = Field(description="the page's main image (og:image / twitter:image)")
    published_source: str | None = Field(description='which date won: "page" or "feed"')
    published_reason: str | None = Field(
        description="why it won: page_has_time_and_offset, feed_over_partial_page_date, "
        "feed_only or page_date_only"
    )


class ArticleDetail(ArticleOut):
    """An article and the events it reports."""

    event_ids: list[int]


class ArticlePage(BaseModel):
    """A page of articles matching the filters, most recently stored first."""

    total: int
    limit: int
    offset: int
    items: list[ArticleOut]


class FeedOut(BaseModel):
    """A feed and its health."""

    id: int
    url: str
    title: str | None
    health: str
    error_count: int
    last_error: str | None
    last_status: int | None
    entries_seen: int
    last_checked_at: str | None
    last_success_at: str | None
    next_check_at: str | None


class FeedList(BaseModel):
    """Every feed, with counts by health."""

    total: int
    by_health: dict[str, int]
    items: list[FeedOut]


class EventTypeCount(BaseModel):
    """An event and sub-event type present in the data, with its number of events."""

    event_type: str
    sub_event_type: str
    events: int


class QueueOut(BaseModel):
    """Job counts of one pipeline stage queue."""

    name: str
    queued: int
    started: int
    scheduled: int
    failed: int


class QueuesOut(BaseModel):
    """The stage queues, or why they could not be read."""

    ok: bool
    error: str | None = None
    stages: list[QueueOut] = []


class StatsOut(BaseModel):
    """Pipeline health: queue depths, throughput, stored totals and failing feeds."""

    generated_at: str
    healthy: bool = Field(description="Redis reachable, no failed jobs and no failing feed")
    queues: QueuesOut
    throughput: dict[str, int]
    totals: dict[str, Any]
    failing_feeds: list[FeedOut]


class ErrorOut(BaseModel):
    """An error: ``detail`` says what is wrong."""

    detail: str
