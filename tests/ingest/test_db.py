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
