"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1), which feedparser does not read.

Returns the same :class:`ingest.feeds.ParsedFeed` as the XML formats. The body is already
size-capped by the caller; a document that is JSON but not a JSON Feed is :class:`NotAFeed`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from ingest.feeds import MAX_HUBS, MAX_SUMMARY_CHARS, FeedEntry, NotAFeed, ParsedFeed

__all__ = ["looks_like_json", "parse_json_feed"]


def looks_like_json(body: bytes) -> bool:
    """Return True when ``body`` starts (after a BOM and blanks) like a JSON object."""
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _url(value: Any, base: str) -> str | None:
    text = _str(value)
    if text is None:
        return None
    resolved = urljoin(base, text)
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def _date(value: Any) -> datetime | None:
    text = _str(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """Return the ParsedFeed of a JSON Feed document; raise NotAFeed when it is not one."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise NotAFeed("unparseable", f"bad JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise NotAFeed("unparseable", "JSON but not an object")
    version = _str(doc.get("version")) or ""
    items = doc.get("items")
    if "jsonfeed.org/version" not in version or not isinstance(items, list):
        raise NotAFeed("unparseable", "JSON but not a JSON Feed (no version or items)")
    language = (_str(doc.get("language")) or "").lower() or None
    entries = []
    skipped = 0
    for item in items:
        if not isinstance(item, dict):
            skipped += 1
            continue
        summary = _str(item.get("summary")) or _str(item.get("content_text"))
        if summary is not None:
            summary = summary[:MAX_SUMMARY_CHARS]
        raw_date = _str(item.get("date_published")) or _str(item.get("date_modified"))
        item_id = item.get("id")
        entries.append(
            FeedEntry(
                guid=str(item_id) if isinstance(item_id, str | int) else None,
                url=_url(item.get("url"), url) or _url(item.get("external_url"), url),
                title=_str(item.get("title")),
                summary=summary,
                published=_date(raw_date),
                published_raw=raw_date,
                language=(_str(item.get("language")) or "").lower() or language,
            )
        )
    return ParsedFeed(
        title=_str(doc.get("title")),
        site_url=_url(doc.get("home_page_url"), url),
        language=language,
        entries=tuple(entries),
        ttl_minutes=None,
        malformed=f"{skipped} items are not objects" if skipped else None,
        hubs=_hubs(doc.get("hubs"), url),
        self_url=_url(doc.get("feed_url"), url),
    )


def _hubs(value: Any, base: str) -> tuple[str, ...]:
    """Return the WebSub hub URLs of a JSON Feed's ``hubs`` list (other hub types ignored)."""
    hubs: list[str] = []
    for hub in value if isinstance(value, list) else ():
        if not isinstance(hub, dict) or (_str(hub.get("type")) or "").lower() != "websub":
            continue
        url = _url(hub.get("url"), base)
        if url is not None and url not in hubs and len(hubs) < MAX_HUBS:
            hubs.append(url)
    return tuple(hubs)
