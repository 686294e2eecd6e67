"""Database engines that can only read: the API must never change what the pipeline stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from ingest.db import normalise_url


def _sqlite_readonly_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Writers hold the lock for whole transactions (BEGIN IMMEDIATE); wait for them instead
    # of failing. query_only is a second guard behind mode=ro.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def readonly_engine(url: str) -> Engine:
    """Return an engine on ``url`` whose connections refuse writes.

    SQLite is opened through a ``file:…?mode=ro`` URI (the file must exist: raises
    FileNotFoundError otherwise, instead of SQLite creating an empty database); PostgreSQL
    sessions start with ``default_transaction_read_only``.
    """
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        path = parsed.database
        if not path or path == ":memory:":
            raise ValueError("an in-memory SQLite database has nothing to serve")
        resolved = Path(path).resolve()
        if not resolved.is_file():
            raise FileNotFoundError(f"no database at {resolved}")
        uri = f"file:{quote(str(resolved))}?mode=ro"
        # A plain "sqlite://" URL would get the in-memory pool (one connection per thread,
        # never closed); the server's worker threads share a real pool instead.
        engine = create_engine(
            "sqlite://", creator=lambda: _sqlite_connect(uri), poolclass=QueuePool
        )
        event.listen(engine, "connect", _sqlite_readonly_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        connect_args={"options": "-c default_transaction_read_only=on"},
    )


def _sqlite_connect(uri: str) -> Any:
    """Return a DB-API connection on the SQLite ``uri`` (usable from any server thread)."""
    return sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
