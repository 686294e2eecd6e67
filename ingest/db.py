"""Database engines and schema migrations.

SQLite (the default) is opened in WAL mode with a busy timeout, and every transaction starts
with ``BEGIN IMMEDIATE`` so concurrent writers queue on the write lock instead of failing
half-way with "database is locked". PostgreSQL goes through psycopg 3. The schema is created
and changed only by Alembic (:func:`upgrade`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def normalise_url(url: str) -> str:
    """Return ``url`` with PostgreSQL URLs pointed at the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that "begin" below controls it.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front: a reader never has to upgrade to a writer
    # mid-transaction, which is what produces SQLITE_BUSY despite the busy timeout.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Return an engine for ``url`` configured for newswire's concurrency rules."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine`` (objects stay usable after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session inside one transaction: committed on success, rolled back on error."""
    with factory() as session, session.begin():
        yield session


def _alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` (creating it if needed)."""
    make_engine(url).dispose()  # creates the SQLite parent directory
    command.upgrade(_alembic_config(url), revision)


def pending_migrations(engine: Engine) -> list[str]:
    """Return the revisions not yet applied to ``engine``'s database, oldest first."""
    script = ScriptDirectory.from_config(_alembic_config(str(engine.url)))
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    pending = []
    for rev in script.walk_revisions():
        if rev.revision in current:
            break
        pending.append(rev.revision)
    return list(reversed(pending))


def as_utc(dt: datetime | None) -> datetime | None:
    """Return ``dt`` with its UTC zone restored (None stays None).

    SQLite returns naive datetimes for timezone-aware columns; newswire stores them as UTC.
    """
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt
