"""The fetch stage against real loopback servers: articles, and a reason for everything else."""

from __future__ import annotations

import pytest

from ingest.safehttp import FetchError
from ingest.settings import load_settings
from newswire.newsroom import DEMO_DATA
from schemas.messages import ArticleMessage, EntryMessage, Skip
from tests.ingest.servers import loopback_settings, serve, static
from workers.fetch import fetch_article

PAGE = (DEMO_DATA / "articles" / "002.html").read_bytes()


def _entry(url: str) -> EntryMessage:
    return EntryMessage(
        article_key="k" * 32,
        url=url,
        feed_url="http://127.0.0.1/feed.xml",
        entry_key="e",
        trace_id="t1",
        title="feed title",
        published_at="2024-07-16T18:10:00+00:00",
    )


def test_an_article_page_becomes_an_article_message() -> None:
    with serve({"/a.html": static(PAGE)}) as srv:
        out = fetch_article(_entry(srv.url("/a.html")), loopback_settings())
    assert isinstance(out, ArticleMessage)
    assert out.text.startswith("Une source sécuritaire irakienne")
    assert "Lire aussi" not in out.text and "Ilhan Omar" not in out.text
    assert out.title and "Ain al-Asad" in out.title
    # The page's own date, with its offset, beats the feed's UTC one.
    assert out.published_at == "2024-07-16T21:40:00+03:30" and out.published_source == "page"
    assert out.published_reason == "page_has_time_and_offset"
    assert out.site_name == "French Press TV"
    assert out.canonical_url.endswith("/articles/002.html")
    assert len(out.content_hash) == 64 and out.trace_id == "t1"


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (static(b"%PDF-1.4 ...", content_type="application/pdf"), "not_html"),
        (static(b"<html><body></body></html>"), "no_usable_text"),
        (static(b"gone", status=404), "http_404"),
        (static(b"gone", status=410), "http_410"),
    ],
)
def test_unusable_pages_are_skips_with_a_reason(route: object, reason: str) -> None:
    with serve({"/a.html": route}) as srv:  # type: ignore[dict-item]
        out = fetch_article(_entry(srv.url("/a.html")), loopback_settings())
    assert isinstance(out, Skip) and out.reason == reason


def test_private_addresses_are_refused_by_default() -> None:
    with serve({"/a.html": static(PAGE)}) as srv:
        out = fetch_article(_entry(srv.url("/a.html")), load_settings({}))
    assert isinstance(out, Skip) and "blocked" in out.reason


def test_transient_failures_raise_for_a_retry() -> None:
    with (
        serve({"/a.html": static(b"busy", status=503)}) as srv,
        pytest.raises(FetchError) as info,
    ):
        fetch_article(_entry(srv.url("/a.html")), loopback_settings())
    assert info.value.transient
    with pytest.raises(FetchError) as refused:
        fetch_article(_entry("http://127.0.0.1:9/a.html"), loopback_settings())
    assert refused.value.transient
