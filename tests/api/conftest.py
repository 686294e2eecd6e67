"""A real database filled through the pipeline's own functions, and the API app over it.

The sample articles (``newswire/demo_data/gold_text.jsonl``) are coded by the real event
extractor and written by the real store stage, so the API serves what the pipeline stores.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import replace
from importlib import resources
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from ingest.db import make_engine, session_factory, transaction
from ingest.feedstore import add_feeds
from ingest.settings import Settings
from newswire.api.app import create_app
from newswire.api.readonly import readonly_engine
from schemas.messages import ArticleMessage
from schemas.tables import Feed
from workers.eventcoding import extract_events
from workers.store import record_skip, store_article

FEED_OK = "http://newsroom.test/rss.xml"
FEED_FAILING = "http://broken.test/feed.xml"


def sample_articles() -> list[dict[str, Any]]:
    """Return the bundled sample articles (id, title, published, lang, text)."""
    text = resources.files("newswire").joinpath("demo_data/gold_text.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def article_message(a: dict[str, Any]) -> ArticleMessage:
    """Return the store stage's message for sample article ``a``, coded by the real extractor."""
    mentions = extract_events(
        a["text"], language=a["lang"], published_at=a["published"], title=a["title"]
    )
    url = f"http://newsroom.test/articles/{a['id']}.html"
    return ArticleMessage(
        article_key=f"sample{a['id']}",
        url=url,
        feed_url=FEED_OK,
        trace_id=f"trace{a['id']}",
        canonical_url=url,
        title=a["title"],
        text=a["text"],
        fetched_at="2024-07-17T00:00:00+00:00",
        content_hash=hashlib.sha256(a["text"].encode()).hexdigest(),
        published_at=a["published"],
        language=a["lang"],
        language_confidence=0.99,
        events_coded=True,
        mentions=tuple(mentions),
    )


def fill(url: str) -> None:
    """Store every sample article (and one skipped article, and two feeds) in ``url``."""
    engine = make_engine(url)
    factory = session_factory(engine)
    with transaction(factory) as s:
        add_feeds(s, [FEED_OK, FEED_FAILING], language_hint="fr")
    with transaction(factory) as s:
        s.execute(
            update(Feed)
            .where(Feed.url == FEED_FAILING)
            .values(health="failing", error_count=3, last_error="HTTP 500", last_status=500)
        )
    for a in sample_articles():
        with transaction(factory) as s:
            store_article(s, article_message(a))
    skipped = replace(article_message(sample_articles()[0]), article_key="skipped1")
    with transaction(factory) as s:
        record_skip(s, skipped, "empty", {"chars": 0})
    engine.dispose()


@pytest.fixture()
def filled_url(database_url: str) -> str:
    """Return the URL of a migrated database (SQLite, and PostgreSQL when set) with samples."""
    fill(database_url)
    return database_url


@pytest.fixture()
def ro_engine(filled_url: str) -> Iterator[Engine]:
    """Yield the API's read-only engine on the filled database."""
    engine = readonly_engine(filled_url)
    yield engine
    engine.dispose()


@pytest.fixture()
def client(filled_url: str, redis_url: str, tmp_path: Any) -> Iterator[TestClient]:
    """Yield a client of the real app over the filled database and the test Redis."""
    settings = Settings(data_dir=tmp_path, database_url=filled_url, redis_url=redis_url)
    app = create_app(settings)
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()
