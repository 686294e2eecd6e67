"""Fetch stage: download an entry's page safely, clean it, and hand the article on.

The page is fetched with :func:`ingest.safehttp.fetch` (private networks refused, deadline and
size caps) and cleaned with :func:`ingest.clean.clean_html`. A page with nothing usable (not
HTML, empty after cleaning, a permanent HTTP error) is a :class:`Skip`: recorded in the
articles table with its reason, never silently dropped. Network trouble is transient and
retried with backoff by the job wrapper.

Every response is first written to the raw archive (:mod:`ingest.archive`, one rotating WARC
file per worker process under ``<data dir>/warc``) and its place is linked from the article
row, so ``newswire reprocess`` can re-run cleaning and every later stage without refetching:
:func:`article_from_response` is the one path from a response to an article, for both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ingest.archive import ArchiveRef, WarcArchive
from ingest.boilerplate import BoilerplateStore
from ingest.clean import clean_html, content_hash
from ingest.hostlimits import HostLimiter, host_of, host_policy
from ingest.identity import canonical_url
from ingest.robots import RobotsCache
from ingest.safehttp import FetchError, FetchLimits, fetch
from ingest.settings import Settings
from schemas.messages import ArticleMessage, EntryMessage, Skip, decode_entry
from schemas.tables import Article
from workers.runtime import JobResult, StageWork, run_stage, runtime
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


def archive_dir(settings: Settings) -> Path:
    """Return the directory of the raw WARC archive."""
    return settings.data_dir / "warc"


def fetch_article(entry: EntryMessage, settings: Settings) -> ArticleMessage | Skip:
    """Return the cleaned article of ``entry``, or a Skip saying why there is none.

    Raises :class:`ingest.safehttp.FetchError` when the failure is transient (worth a retry).
    """
    return fetch_and_archive(entry, settings, None)[0]


def fetch_and_archive(
    entry: EntryMessage,
    settings: Settings,
    archive: WarcArchive | None,
    boilerplate: BoilerplateStore | None = None,
) -> tuple[ArticleMessage | Skip, ArchiveRef | None]:
    """Fetch ``entry``, archive the response in ``archive`` (if any) and clean it.

    With ``boilerplate``, the site's learned boilerplate paragraphs are dropped too.

    Returns the article (or the Skip saying why there is none) and where the response was
    archived (None when nothing was received or there is no archive). Raises
    :class:`ingest.safehttp.FetchError` when the failure is transient (worth a retry).
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
        return Skip(exc.reason, {"url": entry.url, "error": str(exc)}), None
    fetched_at = datetime.now(UTC)
    ref = None
    if archive is not None:
        ref = archive.write_response(
            url=res.url,
            status=res.status,
            headers=res.headers,
            body=res.body,
            meta=entry.to_dict(),
            fetched_at=fetched_at,
        )
    out = article_from_response(
        entry,
        url=res.url,
        status=res.status,
        headers=res.headers,
        body=res.body,
        fetched_at=fetched_at,
        boilerplate=boilerplate,
    )
    return out, ref


def article_from_response(
    entry: EntryMessage,
    *,
    url: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    fetched_at: datetime,
    boilerplate: BoilerplateStore | None = None,
) -> ArticleMessage | Skip:
    """Return the article cleaned from a fetched (or archived) response, or a Skip saying why.

    ``headers`` are keyed in lower case, as safehttp and the archive reader give them. With
    ``boilerplate``, the article also teaches the store its site's repeated paragraphs and
    loses those already learned.
    """
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in _HTML_TYPES:
        return Skip("not_html", {"url": url, "content_type": ctype})
    cleaned = clean_html(
        body,
        url=url,
        content_type=headers.get("content-type"),
        feed_published=entry.published_at,
    )
    if cleaned is None or not cleaned.text.strip():
        return Skip("no_usable_text", {"url": url, "bytes": len(body)})
    text = cleaned.text
    if boilerplate is not None:
        text = boilerplate.strip(url, entry.article_key, text).text
        if not text.strip():
            return Skip("only_boilerplate", {"url": url, "bytes": len(body)})
    canonical = canonical_url(cleaned.canonical_url or url)
    return ArticleMessage(
        article_key=entry.article_key,
        url=entry.url,
        feed_url=entry.feed_url,
        trace_id=entry.trace_id,
        canonical_url=canonical,
        title=cleaned.title or entry.title,
        text=text,
        fetched_at=fetched_at.astimezone(UTC).isoformat(timespec="seconds"),
        content_hash=content_hash(text),
        published_at=cleaned.published_at or entry.published_at,
        published_source=cleaned.published_source
        if cleaned.published_at
        else ("feed" if entry.published_at else None),
        # Same fallback as the source: when cleaning found no date the feed's is all there is.
        published_reason=cleaned.published_reason
        if cleaned.published_at
        else ("feed_only" if entry.published_at else None),
        author=cleaned.author,
        site_name=cleaned.site_name,
        image_url=cleaned.image_url,
        http_status=status,
        discovered_at=entry.discovered_at,
    )


def link_archive(session: Session, entry: EntryMessage, ref: ArchiveRef) -> None:
    """Point the article row of ``entry`` at its archived response (creating the row if new).

    A new row has status ``fetched`` until the store stage (which leaves these columns alone)
    or a recorded skip replaces it.
    """
    row = session.get(Article, entry.article_key)
    if row is None:
        row = Article(
            article_key=entry.article_key,
            url=entry.url,
            feed_url=entry.feed_url,
            title=entry.title,
            status="fetched",
            trace_id=entry.trace_id,
            stored_at=datetime.now(UTC),
        )
    row.warc_file, row.warc_offset = ref.file, ref.offset
    session.add(row)


@cache
def _archive() -> WarcArchive:
    return WarcArchive(archive_dir(runtime().settings))


@cache
def boilerplate_store() -> BoilerplateStore:
    """Return this process's handle on the shared per-site boilerplate store."""
    return BoilerplateStore(runtime().redis)


@cache
def _robots() -> RobotsCache:
    rt = runtime()
    return RobotsCache(
        rt.redis,
        user_agent=rt.settings.user_agent,
        allowed_networks=rt.settings.allow_private_networks,
    )


def _work(entry: EntryMessage) -> ArticleMessage | Skip:
    rt = runtime()
    if not _robots().allowed(entry.url):
        return Skip("robots_disallowed", {"url": entry.url})
    # The pollers' per-host limits (N at once, a gap), shared by every process through Redis.
    limiter = HostLimiter(rt.redis, host_policy(rt.settings))
    with limiter.slot(host_of(entry.url), max_wait_s=rt.settings.fetch_deadline_s):
        out, ref = fetch_and_archive(entry, rt.settings, _archive(), boilerplate_store())
    if ref is not None:
        with rt.sessions() as session, session.begin():
            link_archive(session, entry, ref)
    return out


def _on_skip(entry: EntryMessage, skip: Skip) -> None:
    rt = runtime()
    with rt.sessions() as session, session.begin():
        record_skip(session, entry, skip.reason, skip.detail)


STAGE_WORK = StageWork(_work, _on_skip)


def job(payload: dict[str, Any]) -> JobResult:
    """RQ job of the fetch stage; returns the job summary."""
    return run_stage(STAGE, payload, decode_entry, STAGE_WORK.work, STAGE_WORK.on_skip)
