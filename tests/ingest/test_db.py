"""Migrations and engine settings on real SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from ingest.db import make_engine, normalise_url, pending_migrations, upgrade


def test_migrations_create_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"feeds", "entries", "articles", "events", "event_mentions"} <= tables
        assert pending_migrations(engine) == []
        upgrade(database_url)  # running it again is a no-op
        assert pending_migrations(engine) == []
    finally:
        engine.dispose()


def test_fresh_database_reports_pending_migrations(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    from ingest.db import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    every = [r.revision for r in reversed(list(script.walk_revisions()))]
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert pending_migrations(engine) == every
        assert every[0] == "0001"
    finally:
        engine.dispose()


def test_sqlite_is_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'x.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("postgres://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_migrations_form_one_line() -> None:
    """Every revision has one parent and there is one head: no branches to merge."""
    from alembic.script import ScriptDirectory

    from ingest.db import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_models_match_the_migrations(database_url: str) -> None:
    """The tables in schemas/tables.py are exactly what the migrations build: nothing pending."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from schemas.tables import Base

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_article_metadata_migration_goes_down_and_up(database_url: str) -> None:
    """0004 adds image_url and published_reason, drops them again, and keeps existing rows."""
    from alembic import command

    from ingest.db import _alembic_config

    def columns() -> set[str]:
        engine = make_engine(database_url)
        try:
            return {c["name"] for c in inspect(engine).get_columns("articles")}
        finally:
            engine.dispose()

    new = {"image_url", "published_reason"}
    assert new <= columns()
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO articles (article_key, url, events_coded, status, stored_at,"
                    " image_url, published_reason) VALUES ('k1', 'https://x.test/1', false,"
                    " 'stored', CURRENT_TIMESTAMP, 'https://x.test/i.jpg', 'feed_only')"
                )
            )
    finally:
        engine.dispose()
    command.downgrade(_alembic_config(database_url), "0003_article_warc_ref")
    assert not new & columns()
    upgrade(database_url)
    assert new <= columns()
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT url, image_url, published_reason FROM articles")).one()
        # The row survives the round trip (SQLite rebuilds the table); the dropped values do not.
        assert tuple(row) == ("https://x.test/1", None, None)
        assert pending_migrations(engine) == []
    finally:
        engine.dispose()
