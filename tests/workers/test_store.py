"""The store stage on real databases: idempotent writes and race-safe merging."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

from sqlalchemy import Engine, func, select

from ingest.db import make_engine, session_factory, transaction
from schemas.events import Actor, EventMention, Place
from schemas.messages import ArticleMessage, decode_article
from schemas.tables import Article, Event, Mention
from workers.store import record_skip, store_article

AIN_AL_ASAD = Place(
    "Ain al-Asad air base", "IQ", "IQ-AN", "Al Anbar", 33.80, 42.44, geo_precision=1
)
GREEN_ZONE = Place("Green Zone", "IQ", "IQ-BG", "Baghdad", 33.31, 44.39, geo_precision=1)


def mention(
    sentence: str,
    *,
    place: Place = AIN_AL_ASAD,
    day: str = "2024-07-16",
    sub: str = "Air/drone strike",
    drones: int | None = 2,
) -> EventMention:
    return EventMention(
        event_type="Explosions/Remote violence",
        sub_event_type=sub,
        plover_event="ASSAULT",
        plover_mode="drone",
        event_date=day,
        date_precision="day",
        date_text="mardi 16 juillet",
        place=place,
        sentence=sentence,
        start=0,
        end=len(sentence),
        actors=(Actor("US forces", "target", "state forces"),),
        counts={"drones": drones} if drones else {},
        confidence=0.8,
        extractor_version="test",
    )


def article(key: str, *mentions: EventMention) -> ArticleMessage:
    return ArticleMessage(
        article_key=key,
        url=f"http://example.test/{key}",
        feed_url="http://example.test/feed",
        trace_id=key,
        canonical_url=f"http://example.test/{key}",
        title=f"title {key}",
        text=" ".join(m.sentence for m in mentions) or "text",
        fetched_at="2024-07-16T20:00:00+00:00",
        content_hash=key * 2,
        published_at="2024-07-16T21:40:00+03:30",
        language="fr",
        language_confidence=0.99,
        events_coded=True,
        mentions=tuple(mentions),
    )


def _snapshot(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with session_factory(engine)() as s:
        events = [
            (e.event_type, e.event_date, e.location, e.num_articles, e.counts)
            for e in s.scalars(select(Event).order_by(Event.id))
        ]
        mentions = [
            (m.article_key, m.mention_index, m.sentence)
            for m in s.scalars(select(Mention).order_by(Mention.article_key, Mention.mention_index))
        ]
    return events, mentions


def test_store_is_idempotent(engine: Engine) -> None:
    msg = article("a1", mention("Deux drones suicide ont pris pour cible la base."))
    sessions = session_factory(engine)
    with transaction(sessions) as s:
        store_article(s, msg)
    first = _snapshot(engine)
    with transaction(sessions) as s:
        store_article(s, msg)
    assert _snapshot(engine) == first
    events, mentions = first
    assert len(events) == 1 and len(mentions) == 1
    assert events[0][3] == 1


def test_mentions_of_one_event_in_two_articles_merge(engine: Engine) -> None:
    sessions = session_factory(engine)
    with transaction(sessions) as s:
        store_article(s, article("a1", mention("Deux drones ont visé Ain al-Asad.")))
    with transaction(sessions) as s:
        store_article(
            s, article("a2", mention("Two drones targeted Ain al-Asad.", day="2024-07-17"))
        )
    with transaction(sessions) as s:
        store_article(s, article("a3", mention("Rockets hit the Green Zone.", place=GREEN_ZONE)))
    events, mentions = _snapshot(engine)
    assert len(mentions) == 3
    by_place = {e[2]: e for e in events}
    assert set(by_place) == {"Ain al-Asad air base", "Green Zone"}
    assert by_place["Ain al-Asad air base"][3] == 2  # num_articles
    assert by_place["Green Zone"][3] == 1


def test_restoring_an_article_without_mentions_removes_its_events(engine: Engine) -> None:
    sessions = session_factory(engine)
    with transaction(sessions) as s:
        store_article(s, article("a1", mention("Deux drones ont visé Ain al-Asad.")))
    with transaction(sessions) as s:
        store_article(s, article("a1"))
    events, mentions = _snapshot(engine)
    assert events == [] and mentions == []


def test_skip_is_recorded_with_its_reason_and_never_downgrades(engine: Engine) -> None:
    sessions = session_factory(engine)
    msg = article("a1", mention("Deux drones ont visé Ain al-Asad."))
    with transaction(sessions) as s:
        record_skip(s, msg, "not_html", {"content_type": "application/pdf"})
    with session_factory(engine)() as s:
        row = s.get(Article, "a1")
        assert row is not None and row.status == "skipped"
        assert row.skip_reason is not None and "not_html" in row.skip_reason
    with transaction(sessions) as s:
        store_article(s, msg)
    with transaction(sessions) as s:
        record_skip(s, msg, "http_404", {})
    with session_factory(engine)() as s:
        row = s.get(Article, "a1")
        assert row is not None and row.status == "stored"


def test_concurrent_writers_merge_into_one_event(engine: Engine) -> None:
    """Eight writers store eight reports of one event at once: one event, eight articles."""
    url = engine.url.render_as_string(hide_password=False)
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        eng = make_engine(url)
        try:
            barrier.wait()
            with transaction(session_factory(eng)) as s:
                store_article(s, article(f"r{i}", mention(f"Report {i}: drones hit Ain al-Asad.")))
        except BaseException as exc:
            errors.append(exc)
        finally:
            eng.dispose()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 1
        ev = s.scalars(select(Event)).one()
        assert ev.num_articles == 8


def _metadata(engine: Engine, key: str) -> tuple[object, ...]:
    with session_factory(engine)() as s:
        row = s.get(Article, key)
        assert row is not None
        return (
            row.author,
            row.site_name,
            row.image_url,
            row.published_at,
            row.published_source,
            row.published_reason,
        )


def test_page_metadata_is_stored_and_restoring_replaces_it(engine: Engine) -> None:
    sessions = session_factory(engine)
    msg = replace(
        article("a1", mention("Deux drones ont visé Ain al-Asad.")),
        author="Jane Doe",
        site_name="Example News",
        image_url="https://cdn.example.test/a1.jpg",
        published_source="page",
        published_reason="page_has_time_and_offset",
    )
    with transaction(sessions) as s:
        store_article(s, msg)
    assert _metadata(engine, "a1") == (
        "Jane Doe",
        "Example News",
        "https://cdn.example.test/a1.jpg",
        "2024-07-16T21:40:00+03:30",
        "page",
        "page_has_time_and_offset",
    )
    # Reprocessing cleaned the page again and found less: the row says what the latest run
    # found, never a mix of the two.
    again = replace(
        msg,
        author=None,
        image_url=None,
        published_at="2024-07-16T18:00:00+00:00",
        published_source="feed",
        published_reason="feed_only",
    )
    with transaction(sessions) as s:
        store_article(s, again)
    with transaction(sessions) as s:
        store_article(s, again)
    assert _metadata(engine, "a1") == (
        None,
        "Example News",
        None,
        "2024-07-16T18:00:00+00:00",
        "feed",
        "feed_only",
    )


def test_a_message_from_before_the_metadata_fields_still_decodes_and_stores(
    engine: Engine,
) -> None:
    """A message queued by an older fetch worker has no image_url / published_reason keys."""
    payload = json.loads(json.dumps(article("old1", mention("Deux drones ont visé.")).to_dict()))
    del payload["image_url"], payload["published_reason"]
    msg = decode_article(payload)
    assert (msg.image_url, msg.published_reason) == (None, None)
    with transaction(session_factory(engine)) as s:
        store_article(s, msg)
    # image_url, published_at, published_source, published_reason
    assert _metadata(engine, "old1")[2:] == (None, "2024-07-16T21:40:00+03:30", None, None)
