"""The store stage on real databases: idempotent writes, race-safe merging, and dedupe
clusters stored resolved (real Redis) in whatever order the articles are stored."""

from __future__ import annotations

import json
import random
import threading
from dataclasses import replace

import pytest
from redis import Redis
from sqlalchemy import Engine, func, select

from ingest.db import make_engine, session_factory, transaction
from schemas.events import Actor, EventMention, Place
from schemas.messages import ArticleMessage, decode_article
from schemas.tables import Article, Event, Mention
from workers.dedupe import DedupeIndex, dedupe_article
from workers.store import record_skip, settle_cluster, store_article

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


# -- dedupe clusters ----------------------------------------------------------------------

_VOCAB = [f"w{i}" for i in range(5000)]
_STORY = " ".join(random.Random(7).choices(_VOCAB, k=400))


def _part(lo: int, hi: int) -> str:
    """Return tenths ``lo`` to ``hi`` of the story's words."""
    words = _STORY.split(" ")
    return " ".join(words[len(words) * lo // 10 : len(words) * hi // 10])


def _checked(index: DedupeIndex, key: str, text: str, *mentions: EventMention) -> ArticleMessage:
    """Return article ``key`` with ``text`` after the dedupe stage (duplicates lose mentions)."""
    msg = replace(article(key, *mentions), text=text)
    msg = dedupe_article(msg, index)
    return msg if msg.duplicate_of is None else replace(msg, events_coded=False, mentions=())


def _clusters(engine: Engine) -> dict[str, tuple[str | None, str | None]]:
    with session_factory(engine)() as s:
        return {a.article_key: (a.cluster_id, a.duplicate_of) for a in s.scalars(select(Article))}


def _abo(index: DedupeIndex) -> dict[str, ArticleMessage]:
    """Check A (first 60 %), B (last 60 %), B's copy B2, then the original O, in that order."""
    return {
        "A": _checked(index, "A", _part(0, 6), mention("Deux drones ont visé Ain al-Asad.")),
        "B": _checked(index, "B", _part(4, 10), mention("Two drones targeted Ain al-Asad.")),
        "B2": _checked(index, "B2", _part(4, 10) + " Reuters contributed."),
        "O": _checked(index, "O", _STORY),
    }


@pytest.mark.parametrize(
    "order",
    [("A", "B", "B2", "O"), ("O", "B2", "B", "A"), ("A", "O", "B", "B2"), ("B2", "O", "A", "B")],
)
def test_merged_clusters_are_stored_under_the_root_in_any_order(
    engine: Engine, redis_conn: Redis, order: tuple[str, ...]
) -> None:
    index = DedupeIndex(redis_conn)
    msgs = _abo(index)
    assert (msgs["B"].duplicate_of, msgs["B"].cluster_id) == (None, "B")
    assert (msgs["O"].cluster_id, msgs["O"].merged_clusters) == ("A", ("B",))
    sessions = session_factory(engine)
    for key in order:
        with transaction(sessions) as s:
            store_article(s, msgs[key], index)
        settle_cluster(sessions, msgs[key].cluster_id, index)
    # Every row under A; B, the former canonical article, is now a copy of A; B2 still
    # names the article it copies.
    expected = {"A": ("A", None), "B": ("A", "A"), "B2": ("A", "B"), "O": ("A", "A")}
    assert _clusters(engine) == expected
    # B was coded as unique: its mention stays, merged with A's into one event.
    events, mentions = _snapshot(engine)
    assert [m[0] for m in mentions] == ["A", "B"]
    assert len(events) == 1 and events[0][3] == 2
    # Storing again (a re-run job) changes nothing.
    for key in order:
        with transaction(sessions) as s:
            store_article(s, msgs[key], index)
    assert _clusters(engine) == expected
    assert _snapshot(engine) == (events, mentions)


def test_a_unique_article_stays_its_own_cluster(engine: Engine, redis_conn: Redis) -> None:
    index = DedupeIndex(redis_conn)
    msgs = _abo(index)
    other = _checked(index, "D", " ".join(reversed(_STORY.split(" "))))
    sessions = session_factory(engine)
    for msg in (*msgs.values(), other):
        with transaction(sessions) as s:
            store_article(s, msg, index)
    assert _clusters(engine)["D"] == ("D", None)


def test_a_row_committed_while_its_cluster_merges_is_settled(
    engine: Engine, redis_conn: Redis
) -> None:
    """B's store resolved B before O's check merged it, and committed after O's store ran."""
    index = DedupeIndex(redis_conn)
    a = _checked(index, "A", _part(0, 6))
    b = _checked(index, "B", _part(4, 10))
    o = _checked(index, "O", _STORY)
    sessions = session_factory(engine)
    for msg in (a, o):
        with transaction(sessions) as s:
            store_article(s, msg, index)
    with transaction(sessions) as s:
        store_article(s, b)  # as resolved before the merge: B is its own root
    assert _clusters(engine)["B"] == ("B", None)
    assert settle_cluster(sessions, "B", index) == "A"
    assert _clusters(engine) == {"A": ("A", None), "B": ("A", "A"), "O": ("A", "A")}
    # Without the merge map (a caller that passes none), the re-labelled row keeps its label.
    with transaction(sessions) as s:
        store_article(s, b)
    assert _clusters(engine)["B"] == ("A", "A")
    assert settle_cluster(sessions, "A", index) == "A"


def test_a_message_from_before_merged_clusters_still_decodes(engine: Engine) -> None:
    payload = json.loads(json.dumps(article("old2", mention("Deux drones ont visé.")).to_dict()))
    assert payload["merged_clusters"] == []
    del payload["merged_clusters"]
    msg = decode_article(payload)
    assert msg.merged_clusters == ()
    payload["merged_clusters"] = ["x", "y"]
    assert decode_article(payload).merged_clusters == ("x", "y")
