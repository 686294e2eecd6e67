"""Startup checks: a worker refuses a Redis that may evict jobs or a database not migrated,
and warns when Redis keeps no append-only file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.conftest import REPO, RedisServer, Service


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newswire", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", [["worker", "store", "--burst"], ["poll", "--once"]])
def test_a_redis_that_evicts_keys_is_refused(
    service: Service, tmp_path: Path, command: list[str]
) -> None:
    lru = RedisServer(tmp_path / "lru", extra=("--maxmemory-policy", "allkeys-lru")).start()
    try:
        env = {**service.env, "NEWSWIRE_REDIS_URL": lru.url}
        result = _run(env, *command)
    finally:
        lru.stop()
    assert result.returncode != 0
    assert "maxmemory-policy is 'allkeys-lru'" in result.stderr
    assert "noeviction" in result.stderr
    assert "Traceback" not in result.stderr


def test_redis_without_aof_gives_a_warning(service: Service, tmp_path: Path) -> None:
    no_aof = RedisServer(tmp_path / "noaof", extra=("--appendonly", "no")).start()
    try:
        env = {**service.env, "NEWSWIRE_REDIS_URL": no_aof.url}
        result = _run(env, "worker", "store", "--burst")
    finally:
        no_aof.stop()
    assert result.returncode == 0, result.stderr
    assert '"event": "redis_aof_off"' in result.stdout


def test_redis_with_aof_gives_no_warning(service: Service) -> None:
    result = _run(service.env, "worker", "store", "--burst")
    assert result.returncode == 0, result.stderr
    assert "redis_aof_off" not in result.stdout


@pytest.mark.parametrize("command", [["worker", "store", "--burst"], ["poll", "--once"]])
def test_pending_migrations_refuse_to_start(
    service: Service, tmp_path: Path, command: list[str]
) -> None:
    env = {**service.env, "NEWSWIRE_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    result = _run(env, *command)
    assert result.returncode != 0
    assert "needs migrations" in result.stderr and "newswire db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
