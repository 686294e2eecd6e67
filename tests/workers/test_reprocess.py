"""Archive then reprocess, on a real loopback server, real files, real Redis and SQLite.

Pages are fetched once through the fetch stage (archived, linked from the article), run through
every stage, then the server is shut and ``reprocess`` rebuilds the results from the archive.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
from click.testing import CliRunner
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.archive import WarcArchive, read_record
from ingest.db import make_engine, session_factory, upgrade
from ingest.settings import load_settings
from newswire.cli import main
from newswire.commands.reprocess import reprocess_archive
from newswire.newsroom import DEMO_DATA
from schemas.messages import ArticleMessage, EntryMessage
from schemas.tables import Article, Event, Mention
from tests.ingest.servers import serve, static
from workers.dedupe import DedupeIndex, dedupe_article
from workers.events import code_article
from workers.fetch import fetch_and_archive, link_archive
from workers.language import tag_language
from workers.store import store_article

PAGES = {f"/{n}.html": (DEMO_DATA / "articles" / f"{n}.html").read_bytes() for n in ("000", "002")}


def _entry(url: str, n: int) -> EntryMessage:
    return EntryMessage(
        article_key=f"{n:032d}",
        url=url,
        feed_url="http://127.0.0.1/feed.xml",
        entry_key=f"e{n}",
        trace_id=f"t{n}",
        title="feed title",
        published_at="2024-07-16T18:10:00+00:00",
    )


def _fetch_all(
    data_dir: Path, sessions: sessionmaker[Session], index: DedupeIndex
) -> dict[str, str]:
    """Fetch, archive and store every page as the pipeline does; return key → served URL."""
    settings = load_settings(
        {}, overrides={"allow_private_networks": ("127.0.0.0/8",), "data_dir": data_dir}
    )
    archive = WarcArchive(data_dir / "warc")
    keys: dict[str, str] = {}
    with serve({path: static(body) for path, body in PAGES.items()}) as srv:
        for n, path in enumerate(sorted(PAGES)):
            entry = _entry(srv.url(path), n)
            out, ref = fetch_and_archive(entry, settings, archive)
            assert isinstance(out, ArticleMessage) and ref is not None
            with sessions() as s, s.begin():
                link_archive(s, entry, ref)
            msg = code_article(tag_language(dedupe_article(out, index)))
            with sessions() as s, s.begin():
                store_article(s, msg)
            keys[entry.article_key] = srv.url(path)
    archive.close()
    return keys


def _snapshot(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with sessions() as s:
        arts = {
            a.article_key: (a.title, a.text, a.language, a.status, a.warc_file, a.warc_offset)
            for a in s.scalars(select(Article))
        }
        mentions = sorted(
            (m.article_key, m.mention_index, m.sentence) for m in s.scalars(select(Mention))
        )
        events = sorted(
            (e.event_type, e.event_date, e.num_articles) for e in s.scalars(select(Event))
        )
    return {"articles": arts, "mentions": mentions, "events": events}


def test_reprocess_rebuilds_every_stage_from_the_archive(
    tmp_path: Path, redis_conn: redis.Redis
) -> None:
    url = f"sqlite:///{tmp_path / 'newswire.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    index = DedupeIndex(redis_conn)
    keys = _fetch_all(tmp_path, sessions, index)
    before = _snapshot(sessions)
    assert before["mentions"], "the demo pages report events"

    # Each article points at its raw response, byte for byte what the server sent.
    served = dict(zip(sorted(keys), sorted(PAGES), strict=True))
    for key, (_, text, lang, status, warc_file, offset) in before["articles"].items():
        assert status == "stored" and lang == "fr" and text
        assert warc_file is not None and offset is not None
        rec = read_record(tmp_path / "warc", _ref(warc_file, offset))
        assert rec.body == PAGES[served[key]] and rec.url == keys[key]

    # An older extractor left worse results; the server is gone (nothing can be refetched).
    with sessions() as s, s.begin():
        s.execute(update(Article).values(text="stale text", title="stale", language="und"))
    report = reprocess_archive(tmp_path / "warc", sessions=sessions, index=index)
    assert report.selected == 2 and dict(report.outcomes) == {"stored": 2}
    assert _snapshot(sessions) == before

    # Idempotent: a second run changes nothing.
    reprocess_archive(tmp_path / "warc", sessions=sessions, index=index)
    assert _snapshot(sessions) == before

    # Selection: another site, or a window with no fetch in it, selects nothing.
    assert (
        reprocess_archive(
            tmp_path / "warc", sessions=sessions, index=index, host="example.org"
        ).selected
        == 0
    )
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert (
        reprocess_archive(
            tmp_path / "warc", sessions=sessions, index=index, since=tomorrow
        ).selected
        == 0
    )

    # A later fetch of the same article wins over the earlier one.
    first_key = sorted(keys)[0]
    page = PAGES[served[first_key]].replace(b"Soleimani", b"Soleymani")
    later = WarcArchive(tmp_path / "warc")
    rec = read_record(tmp_path / "warc", _ref(*before["articles"][first_key][4:]))
    ref = later.write_response(
        url=rec.url,
        status=200,
        headers=rec.headers,
        body=page,
        meta=rec.meta,
        fetched_at=datetime.now(UTC) + timedelta(seconds=5),
    )
    later.close()
    report = reprocess_archive(tmp_path / "warc", sessions=sessions, index=index)
    assert report.selected == 2
    with sessions() as s:
        row = s.get(Article, first_key)
        assert row is not None and "Soleymani" in (row.text or "") and "Soleimani" not in row.text
        assert (row.warc_file, row.warc_offset) == (ref.file, ref.offset)
    engine.dispose()


def _ref(file: str, offset: int) -> Any:
    from ingest.archive import ArchiveRef

    return ArchiveRef(file, offset)


def test_the_cli_command_reports_progress_and_outcomes(
    tmp_path: Path, redis_conn: redis.Redis, redis_url: str
) -> None:
    url = f"sqlite:///{tmp_path / 'newswire.db'}"
    upgrade(url)
    engine = make_engine(url)
    _fetch_all(tmp_path, session_factory(engine), DedupeIndex(redis_conn))
    # A damaged record is reported and does not stop the run.
    with open(next((tmp_path / "warc").iterdir()), "ab") as fh:
        fh.write(b"\x1f\x8b garbage")
    env = {
        "NEWSWIRE_DATA_DIR": str(tmp_path),
        "NEWSWIRE_DATABASE_URL": url,
        "NEWSWIRE_REDIS_URL": redis_url,
        "NEWSWIRE_LOG_LEVEL": "WARNING",
    }
    result = CliRunner().invoke(main, ["reprocess", "--site", "127.0.0.1"], env=env)
    assert result.exit_code == 0, result.output
    assert "2 archived articles reprocessed: stored 2" in result.output
    result = CliRunner().invoke(
        main, ["reprocess", "--since", "2026-01-02", "--until", "2026-01-01"], env=env
    )
    assert result.exit_code == 2 and "--since must be before --until" in result.output
    engine.dispose()
