"""Feed parsing on bytes we fetched ourselves: RSS 0.9x/1.0/2.0 and Atom via feedparser.

feedparser never sees a URL or a path: it gets the body wrapped in :class:`io.BytesIO`, because
given a bare ``str`` or ``bytes`` it may fetch the URL or open the file that the value names.
The feed URL reaches it only as the ``Content-Location`` response header, the base against
which it resolves relative links. Its HTML sanitizer stays on (summaries may be shown to people)
and so does relative-URI resolution inside content.

Guards against feedparser's known slowdowns: the loose (sgmllib-based) parser it falls back to
on malformed XML, its HTML sanitizer and its relative-URI resolver all run over every byte of
every content field, so the body is refused above :data:`MAX_FEED_BYTES` and
summaries are cut at :data:`MAX_SUMMARY_CHARS` after parsing; person fields (author, creator...)
are cut at :data:`MAX_AUTHOR_CHARS` *before* parsing, because feedparser's e-mail regex on them
slows down about cubically with their length.

"Nothing usable" is :class:`NotAFeed` with a short ``reason``; a feed that parsed with
complaints (feedparser's ``bozo``) is still returned, with the complaint in ``malformed``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

__all__ = ["MAX_FEED_BYTES", "MAX_HUBS", "FeedEntry", "NotAFeed", "ParsedFeed", "parse_feed"]

#: Larger bodies are refused before parsing (feed files this big are a mistake or an attack).
MAX_FEED_BYTES = 5 * 1024 * 1024
#: Summaries are a teaser, not the article; longer ones are cut.
MAX_SUMMARY_CHARS = 20_000

_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*|<\?xml[^>]*\?>\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
    re.IGNORECASE | re.DOTALL,
)

#: Hubs kept per feed: one is used, a few spares are plenty, a hostile list is cut.
MAX_HUBS = 8

#: Longer person fields (author, creator, name, e-mail...) are cut before parsing.
MAX_AUTHOR_CHARS = 256
# feedparser looks for an e-mail address in person fields with a backtracking regex whose time
# grows about cubically with the field's length (0.06 s at 1 000 chars, 0.4 s at 2 000, minutes
# at 100 000). Real bylines are short, so long ones are cut in the raw bytes, in linear time.
_LONG_PERSON_FIELD = re.compile(
    rb"(<(?:[\w.-]{1,40}:)?(?:author|creator|contributor|publisher|managingEditor|webMaster"
    rb"|name|email)\b[^<>]{0,200}>)([^<]{%d})[^<]+" % MAX_AUTHOR_CHARS,
    re.IGNORECASE,
)


class NotAFeed(Exception):
    """The body is not a feed we can use; ``reason`` says why (snake_case)."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class FeedEntry:
    """One feed item; ``published`` is timezone-aware UTC when the feed gave a usable date."""

    guid: str | None
    url: str | None
    title: str | None
    summary: str | None
    published: datetime | None
    published_raw: str | None
    language: str | None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed; ``malformed`` holds feedparser's complaint when it had one."""

    title: str | None
    site_url: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    ttl_minutes: int | None
    malformed: str | None
    #: WebSub hubs the feed advertises (``<link rel="hub">``), in document order.
    hubs: tuple[str, ...] = ()
    #: The feed's own canonical URL (``<link rel="self">``): the WebSub topic.
    self_url: str | None = None


def _text(value: Any) -> str | None:
    """Return ``value`` stripped if it is a non-empty string, else None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _absolute(link: Any, base: str) -> str | None:
    """Return ``link`` resolved against ``base`` when it makes an http(s) URL, else None."""
    text = _text(link)
    if text is None:
        return None
    resolved = urljoin(base, text)
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def _when(parsed: Any) -> datetime | None:
    """Return the aware UTC datetime of feedparser's UTC struct_time, else None."""
    if parsed is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(v) for v in parsed[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _language(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _ttl(value: Any) -> int | None:
    text = _text(value)
    if text is None or not text.isdigit():
        return None
    minutes = int(text)
    return minutes if 0 < minutes <= 7 * 24 * 60 else None


def _websub_links(links: Any, base: str) -> tuple[tuple[str, ...], str | None]:
    """Return the feed's hub URLs and its self URL from feedparser's feed-level ``links``.

    feedparser gathers Atom ``<link>`` and RSS ``<atom:link>`` alike into that list.
    """
    hubs: list[str] = []
    self_url = None
    for link in links if isinstance(links, list) else ():
        if not isinstance(link, dict):
            continue
        rel = _text(link.get("rel"))
        href = _absolute(link.get("href"), base)
        if href is None or rel is None:
            continue
        if rel.lower() == "hub" and href not in hubs and len(hubs) < MAX_HUBS:
            hubs.append(href)
        elif rel.lower() == "self" and self_url is None:
            self_url = href
    return tuple(hubs), self_url


def _entry(raw: Any, base: str, feed_language: str | None) -> FeedEntry:
    summary = _text(raw.get("summary"))
    if summary is not None and len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[:MAX_SUMMARY_CHARS]
    published_raw = _text(raw.get("published")) or _text(raw.get("updated"))
    published = _when(raw.get("published_parsed")) or _when(raw.get("updated_parsed"))
    detail = raw.get("title_detail") or raw.get("summary_detail") or {}
    language = _language(raw.get("language")) or _language(detail.get("language"))
    return FeedEntry(
        guid=_text(raw.get("id")),
        url=_absolute(raw.get("link"), base),
        title=_text(raw.get("title")),
        summary=summary,
        published=published,
        published_raw=published_raw,
        language=language or feed_language,
    )


def parse_feed(body: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse the feed ``body`` fetched from ``url`` (with its response ``headers``).

    Returns the ParsedFeed; raises NotAFeed with reason ``empty``, ``too_large``,
    ``html_page`` or ``unparseable`` when there is nothing to use.
    """
    if not body.strip():
        raise NotAFeed("empty")
    if len(body) > MAX_FEED_BYTES:
        raise NotAFeed("too_large", f"{len(body)} bytes > {MAX_FEED_BYTES}")
    body = _LONG_PERSON_FIELD.sub(rb"\1\2", body)
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers["content-location"] = url
    try:
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=response_headers,
            resolve_relative_uris=True,
            sanitize_html=True,
        )
    except Exception as exc:  # a third-party parser on hostile input: any crash is a verdict
        raise NotAFeed("unparseable", f"{type(exc).__name__}: {exc}") from exc

    version = result.get("version") or ""
    feed = result.get("feed") or {}
    raw_entries = result.get("entries") or []
    if not version and not raw_entries:
        content_type = response_headers.get("content-type", "").lower()
        if _HTML_START.match(body[:4096]) or "html" in content_type:
            raise NotAFeed("html_page")
        if not feed:
            reason = result.get("bozo_exception")
            raise NotAFeed("unparseable", str(reason) if reason else None)

    language = _language(feed.get("language"))
    base = _absolute(feed.get("link"), url)
    malformed = None
    complaint = result.get("bozo_exception")
    # A missing or non-XML Content-Type is the server's labelling, not a fault in the feed.
    if result.get("bozo") and not isinstance(complaint, feedparser.NonXMLContentType):
        malformed = (
            f"{type(complaint).__name__}: {complaint}" if complaint is not None else "malformed"
        )
    hubs, self_url = _websub_links(feed.get("links"), url)
    return ParsedFeed(
        title=_text(feed.get("title")),
        site_url=base,
        language=language,
        entries=tuple(_entry(raw, url, language) for raw in raw_entries),
        ttl_minutes=_ttl(feed.get("ttl")),
        malformed=malformed,
        hubs=hubs,
        self_url=self_url,
    )
