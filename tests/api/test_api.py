"""The API on a real database filled by the pipeline: filters, pages, details, errors."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from ingest.db import make_engine, session_factory, transaction
from newswire.export import ARTICLE_FIELDS, EVENT_FIELDS, article_records, event_records
from schemas.messages import STAGES
from tests.api.conftest import article_message, sample_articles
from workers.store import store_article


def all_events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    r = client.get("/events", params={"limit": 500, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    return list(body["items"])


def exported(url: str) -> list[dict[str, Any]]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        records = list(event_records(s))
    engine.dispose()
    return records


def test_events_are_the_export_records(client: TestClient, filled_url: str) -> None:
    expected = exported(filled_url)
    assert len(expected) >= 3  # the samples yield several events; the test needs them
    got = all_events(client)
    assert [list(e) for e in got] == [EVENT_FIELDS] * len(got)
    by_id = {e["event_id"]: e for e in got}
    assert by_id == {e["event_id"]: e for e in expected}
    # Newest first.
    assert [e["event_date"] for e in got] == sorted((e["event_date"] for e in got), reverse=True)


def test_event_detail_has_every_mention(client: TestClient, filled_url: str) -> None:
    for ev in exported(filled_url):
        r = client.get(f"/events/{ev['event_id']}")
        assert r.status_code == 200
        body = r.json()
        assert body == ev
        assert body["mentions"]
        for m in body["mentions"]:
            assert m["sentence"] and m["url"].startswith("http://newsroom.test/")
            assert m["language"] == "fr"


def test_filters_narrow_to_matching_events(client: TestClient, filled_url: str) -> None:
    everything = exported(filled_url)

    def ids(rows: list[dict[str, Any]]) -> set[int]:
        return {r["event_id"] for r in rows}

    cases: list[tuple[dict[str, Any], Any]] = [
        ({"since": "2024-01-01"}, lambda e: e["event_date"] >= "2024-01-01"),
        ({"until": "2020-06-30"}, lambda e: e["event_date"] <= "2020-06-30"),
        ({"country": "iq"}, lambda e: e["country_code"] == "IQ"),
        ({"country": "FR"}, lambda e: False),
        ({"admin1": "IQ-BG"}, lambda e: e["admin1_code"] == "IQ-BG"),
        ({"event_type": "battles"}, lambda e: e["event_type"] == "Battles"),
        (
            {"sub_event_type": "Air/drone strike"},
            lambda e: e["sub_event_type"] == "Air/drone strike",
        ),
        (
            {"actor": "soleimani"},
            lambda e: any("soleimani" in a["name"].lower() for a in e["actors"]),
        ),
        (
            {"bbox": "42,33.5,43,34"},
            lambda e: (
                e["longitude"] is not None
                and 42 <= e["longitude"] <= 43
                and 33.5 <= e["latitude"] <= 34
            ),
        ),
        (
            {"q": "drones"},
            lambda e: (
                any("drones" in m["sentence"].lower() for m in e["mentions"])
                or "drones" in e["location"].lower()
            ),
        ),
    ]
    for params, keep in cases:
        want = ids([e for e in everything if keep(e)])
        got = ids(all_events(client, **params))
        assert got == want, params
    # At least some filters must actually narrow, or the cases above prove little.
    assert 0 < len(ids(all_events(client, admin1="IQ-BG"))) < len(everything)
    assert 0 < len(ids(all_events(client, bbox="42,33.5,43,34"))) < len(everything)


def test_pagination_covers_everything_once(client: TestClient) -> None:
    total = client.get("/events").json()["total"]
    seen: list[int] = []
    for offset in range(0, total, 2):
        page = client.get("/events", params={"limit": 2, "offset": offset}).json()
        assert page["total"] == total and page["limit"] == 2 and page["offset"] == offset
        seen += [e["event_id"] for e in page["items"]]
    assert len(seen) == total == len(set(seen))


def test_articles_list_and_detail(client: TestClient, filled_url: str) -> None:
    engine = make_engine(filled_url)
    with session_factory(engine)() as s:
        expected = {a["article_id"]: a for a in article_records(s)}
    engine.dispose()
    body = client.get("/articles").json()
    assert {a["article_id"]: a for a in body["items"]} == expected
    assert all(list(a) == ARTICLE_FIELDS for a in body["items"])
    stored = client.get("/articles", params={"status": "stored"}).json()["items"]
    assert {a["article_id"] for a in stored} == {"sample000", "sample002"}
    assert client.get("/articles", params={"q": "drones"}).json()["total"] == 1
    assert client.get("/articles", params={"since": "2024-07-16"}).json()["total"] == 1
    detail = client.get("/articles/sample002").json()
    assert detail["title"] == expected["sample002"]["title"]
    events = [client.get(f"/events/{i}").json() for i in detail["event_ids"]]
    assert detail["event_ids"] and all(
        any(m["article_id"] == "sample002" for m in e["mentions"]) for e in events
    )


def test_article_records_carry_the_page_metadata(client: TestClient, filled_url: str) -> None:
    metadata: dict[str, Any] = {
        "author": "Rédaction",
        "site_name": "French Press TV",
        "image_url": "http://newsroom.test/img/002.jpg",
        "published_source": "page",
        "published_reason": "page_has_time_and_offset",
    }
    engine = make_engine(filled_url)
    with transaction(session_factory(engine)) as s:
        sample = next(a for a in sample_articles() if a["id"] == "002")
        store_article(s, replace(article_message(sample), **metadata))
    with session_factory(engine)() as s:
        expected = {a["article_id"]: a for a in article_records(s)}
    engine.dispose()
    detail = client.get("/articles/sample002").json()
    assert {k: detail[k] for k in metadata} == metadata
    assert {k: v for k, v in detail.items() if k != "event_ids"} == expected["sample002"]
    listed = {a["article_id"]: a for a in client.get("/articles").json()["items"]}
    assert listed == expected
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ArticleOut"]
    assert list(schema["properties"]) == ARTICLE_FIELDS


def test_feeds_and_stats(client: TestClient, redis_conn: Any) -> None:
    feeds = client.get("/feeds").json()
    assert feeds["total"] == 2 and feeds["by_health"] == {"new": 1, "failing": 1}
    from ingest.queueing import get_queue

    get_queue(redis_conn, "fetch").enqueue("builtins.print", "queued for the test")
    stats = client.get("/stats").json()
    assert stats["queues"]["ok"] is True
    depth = {q["name"]: q["queued"] for q in stats["queues"]["stages"]}
    assert list(depth) == list(STAGES) and depth["fetch"] == 1
    assert stats["totals"]["articles"] == {"stored": 2, "skipped": 1}
    assert stats["throughput"]["articles_stored_last_hour"] == 2
    assert [f["url"] for f in stats["failing_feeds"]] == ["http://broken.test/feed.xml"]
    assert stats["healthy"] is False


def test_stats_without_redis_says_why(filled_url: str, tmp_path: Any) -> None:
    from ingest.settings import Settings
    from newswire.api.app import create_app

    app = create_app(Settings(data_dir=tmp_path, database_url=filled_url, redis_url=None))
    with TestClient(app) as c:
        body = c.get("/stats").json()
    app.state.engine.dispose()
    assert body["queues"] == {"ok": False, "error": body["queues"]["error"], "stages": []}
    assert "NEWSWIRE_REDIS_URL" in body["queues"]["error"]


@pytest.mark.parametrize(
    ("path", "params", "param", "words"),
    [
        ("/events", {"since": "2024-13-01"}, "since", "calendar date"),
        ("/events", {"since": "0.0"}, "since", "pattern"),
        ("/events", {"country": ["IQ", "SY"]}, "country", "more than once"),
        ("/events", {"since": "2024-05-01", "until": "2024-01-01"}, "since", "after"),
        ("/events", {"country": "IRQ"}, "country", "pattern"),
        ("/events", {"bbox": "1,2,3"}, "bbox", "four numbers"),
        ("/events", {"bbox": "a,b,c,d"}, "bbox", "four numbers"),
        ("/events", {"bbox": "0,10,5,5"}, "bbox", "above north"),
        ("/events", {"bbox": "0,0,200,5"}, "bbox", "outside -180..180"),
        ("/events", {"limit": "0"}, "limit", "greater than"),
        ("/events", {"limit": "5000"}, "limit", "less than"),
        ("/events", {"offset": "-1"}, "offset", "greater than"),
        ("/events", {"q": "a\x00b"}, "q", "pattern"),
        ("/articles", {"status": "lost"}, "status", "stored"),
        ("/events/0", {}, "event_id", "greater than"),
        ("/events/abc", {}, "event_id", "integer"),
    ],
)
def test_bad_parameters_get_a_422_naming_them(
    client: TestClient, path: str, params: dict[str, str], param: str, words: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert f"parameter '{param}'" in body["message"]
    assert words in body["message"]
    assert "Traceback" not in r.text


def test_unknown_ids_are_404_with_a_reason(client: TestClient) -> None:
    r = client.get("/events/999999")
    assert r.status_code == 404 and r.json() == {"detail": "no event 999999"}
    r = client.get("/articles/nope")
    assert r.status_code == 404 and "nope" in r.json()["detail"]
    assert client.get("/nowhere").status_code == 404


def test_database_cannot_be_written_through_the_api_engine(ro_engine: Engine) -> None:
    with ro_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() > 0
        with pytest.raises(DBAPIError, match=r"(?i)read.?only"):
            conn.execute(text("DELETE FROM event_mentions"))
        conn.rollback()
        assert conn.execute(text("SELECT count(*) FROM event_mentions")).scalar_one() > 0


def test_database_failure_is_a_503_without_a_traceback(filled_url: str, tmp_path: Any) -> None:
    from ingest.settings import Settings
    from newswire.api.app import create_app

    app = create_app(Settings(data_dir=tmp_path, database_url=filled_url))
    engine = make_engine(filled_url)
    # Dropping a table the API reads makes every event query fail inside the database.
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE event_mentions"))
    engine.dispose()
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/events")
    app.state.engine.dispose()
    assert r.status_code == 503
    assert r.json() == {"detail": "the database is unavailable; try again"}
    assert "Traceback" not in r.text and "event_mentions" not in r.text


def test_openapi_schema_lists_every_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/events",
        "/events/{event_id}",
        "/event-types",
        "/articles",
        "/articles/{article_id}",
        "/feeds",
        "/stats",
    }
    params = {p["name"] for p in schema["paths"]["/events"]["get"]["parameters"]}
    assert {"since", "until", "country", "admin1", "event_type", "actor", "bbox", "q"} <= params


def test_stats_with_redis_down_says_so(filled_url: str, tmp_path: Any) -> None:
    import socket

    from ingest.settings import Settings
    from newswire.api.app import create_app

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(
        data_dir=tmp_path, database_url=filled_url, redis_url=f"redis://127.0.0.1:{port}/0"
    )
    app = create_app(settings)
    with TestClient(app) as c:
        r = c.get("/stats")
    app.state.engine.dispose()
    assert r.status_code == 200
    body = r.json()
    assert body["healthy"] is False and body["queues"]["ok"] is False
    assert body["queues"]["error"].startswith("Redis unreachable:")
    assert body["totals"]["events"] > 0  # the database half of the report still answers
