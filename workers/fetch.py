"""Fetch stage: download an entry's page safely, clean it, and hand the article on.

The page is fetched with :func:`ingest.safehttp.fetch` (private networks refused, deadline and
size caps) and cleaned with :func:`ingest.clean.clean_html`. A page with nothing usable (not
HTML, empty after cleaning, a permanent HTTP error) is a :class:`Skip`: recorded in the
articles table with its reason, never silently dropped. Network trouble is transient and
retried with backoff by the job wrapper.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ingest.clean import clean_html, content_hash
from ingest.identity import canonical_url
from ingest.safehttp import FetchError, FetchLimits, fetch
from ingest.settings import Settings
from schemas.messages import ArticleMessage, EntryMessage, Skip, decode_entry
from workers.runtime import JobResult, run_stage, runtime
from workers.store import record_skip

STAGE = "fetch"
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "")


def limits(settings: Settings) -> FetchLimits:
    """Return the fetch limits configured in ``settings``."""
    return FetchLimits(
        deadline_s=settings.fetch_deadline_s,
        max_body_bytes=settings.fetch_max_bytes,
        max_decoded_bytes=2 * settings.fetch_max_bytes,
        user_agent=settings.user_agent,
    )


def fetch_article(entry: EntryMessage, settings: Settings) -> ArticleMessage | Skip:
    """Return the cleaned article of ``entry``, or a Skip saying why there is none.

    Raises :class:`ingest.safehttp.FetchError` when the failure is transient (worth a retry).
    """
    try:
        res = fetch(
            entry.url,
            limits=limits(settings),
            allowed_networks=settings.allow_private_networks,
            accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        )
    except FetchError as exc:
        if exc.transient:
            raise
        return Skip(exc.reason, {"url": entry.url, "error": str(exc)})
    ctype = res.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in _HTML_TYPES:
        return Skip("not_html", {"url": res.url, "content_type": ctype})
    cleaned = clean_html(
        res.body,
        url=res.url,
        content_type=res.headers.get("content-type"),
        feed_published=entry.published_at,
    )
    if cleaned is None or not cleaned.text.strip():
        return Skip("no_usable_text", {"url": res.url, "bytes": len(res.body)})
    canonical = canonical_url(cleaned.canonical_url or res.url)
    return ArticleMessage(
        article_key=entry.article_key,
        url=entry.url,
        feed_url=entry.feed_url,
        trace_id=entry.trace_id,
        canonical_url=canonical,
        title=cleaned.title or entry.title,
        text=cleaned.text,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        content_hash=content_hash(cleaned.text),
        published_at=cleaned.published_at or entry.published_at,
        published_source=cleaned.published_source
        if cleaned.published_at
        else ("feed" if entry.published_at else None),
        author=cleaned.author,
        site_name=cleaned.site_name,
        http_status=res.status,
        discovered_at=entry.discovered_at,
    )


def _work(entry: EntryMessage) -> ArticleMessage | Skip:
    return fetch_article(entry, runtime().settings)


def _on_skip(entry: EntryMessage, skip: Skip) -> None:
    rt = runtime()
    with rt.sessions() as session, session.begin():
        record_skip(session, entry, skip.reason, skip.detail)


def job(payload: dict[str, Any]) -> JobResult:
    """RQ job of the fetch stage; returns the job summary."""
    return run_stage(STAGE, payload, decode_entry, _work, _on_skip)
