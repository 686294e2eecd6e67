"""Messages passed between pipeline stages on the Redis queues.

Every message is JSON (never pickle) and carries ``schema_version``. A message is decoded
with :func:`decode_article` / :func:`decode_entry`, which refuse versions they do not know
rather than guessing. Job ids are deterministic, ``{stage}-{article_key}``, so a re-delivered
job does the same work once.

A field added to a message within a version is optional with a default, so a message encoded
before the field existed (still queued, or in the failed registry) decodes unchanged; the
decoder still refuses fields it does not know, so workers are upgraded before the producers
that send the new field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from schemas.events import EventMention

SCHEMA_VERSION = 1

#: The RQ queues, in pipeline order.
STAGES: tuple[str, ...] = ("fetch", "dedupe", "language", "events", "store")


class MessageError(ValueError):
    """A message that cannot be decoded: wrong version, missing or mistyped fields."""


def job_id(stage: str, article_key: str) -> str:
    """Return the deterministic RQ job id of ``article_key`` at ``stage``."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    return f"{stage}-{article_key}"


def next_stage(stage: str) -> str | None:
    """Return the stage after ``stage``, or None after the last one."""
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


@dataclass(frozen=True, slots=True)
class EntryMessage:
    """A new feed entry, as the poller hands it to the ``fetch`` stage."""

    article_key: str
    url: str
    feed_url: str
    entry_key: str
    trace_id: str
    title: str | None = None
    summary: str | None = None
    published_at: str | None = None  # ISO 8601 with offset, from the feed
    language_hint: str | None = None
    discovered_at: str | None = None
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-safe form of this message."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ArticleMessage:
    """An article on its way through dedupe, language, events and store.

    Each stage fills in its own fields and hands the message on with :func:`dataclasses.replace`.
    """

    article_key: str
    url: str
    feed_url: str
    trace_id: str
    canonical_url: str
    title: str | None
    text: str
    fetched_at: str
    content_hash: str
    published_at: str | None = None
    published_source: str | None = None  # "page" | "feed" | None: which date won
    # Why that date won: a code of ingest.clean.PublishedReason ("page_has_time_and_offset",
    # "feed_only", ...). Added after version 1 shipped, so it has a default: a message
    # encoded without it still decodes (see the module doc).
    published_reason: str | None = None
    author: str | None = None
    site_name: str | None = None
    # The page's main image (og:image / twitter:image), absolute http(s); same default rule.
    image_url: str | None = None
    http_status: int | None = None
    discovered_at: str | None = None
    # dedupe
    duplicate_of: str | None = None
    cluster_id: str | None = None
    # The clusters this article's dedupe check merged into cluster_id (almost always none):
    # the store stage re-labels rows stored under them. Same default rule as above.
    merged_clusters: tuple[str, ...] = ()
    # language
    language: str | None = None
    language_confidence: float | None = None
    # events
    events_coded: bool = False
    mentions: tuple[EventMention, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-safe form of this message (mentions as dicts)."""
        data = asdict(self)
        data["mentions"] = [m.to_dict() for m in self.mentions]
        return data

    def with_(self, **changes: Any) -> ArticleMessage:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)


def _check(data: Any, cls: type[Any]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise MessageError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise MessageError(f"{cls.__name__}: unsupported schema_version {version!r}")
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise MessageError(f"{cls.__name__}: unknown fields {sorted(unknown)}")
    return dict(data)


def decode_entry(data: Any) -> EntryMessage:
    """Return the :class:`EntryMessage` encoded in ``data``; raise MessageError if invalid."""
    fields_ = _check(data, EntryMessage)
    try:
        return EntryMessage(**fields_)
    except TypeError as exc:
        raise MessageError(f"EntryMessage: {exc}") from exc


def decode_article(data: Any) -> ArticleMessage:
    """Return the :class:`ArticleMessage` encoded in ``data``; raise MessageError if invalid."""
    fields_ = _check(data, ArticleMessage)
    try:
        fields_["mentions"] = tuple(EventMention.from_dict(m) for m in fields_.get("mentions", ()))
        fields_["merged_clusters"] = tuple(str(c) for c in fields_.get("merged_clusters", ()))
        return ArticleMessage(**fields_)
    except (TypeError, KeyError) as exc:
        raise MessageError(f"ArticleMessage: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Skip:
    """A stage's verdict that an article has nothing usable, with the reason logged and stored."""

    reason: str
    detail: dict[str, Any] = field(default_factory=dict)
