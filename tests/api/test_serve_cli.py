"""``newswire serve`` as a user runs it: a real process, a real port, a real database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

from tests.api.conftest import fill


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update({"NEWSWIRE_DATA_DIR": str(tmp_path), "NEWSWIRE_LOG_FORMAT": "json", **extra})
    return env


def test_serve_answers_on_the_port_from_the_environment(database_url: str, tmp_path: Path) -> None:
    fill(database_url)
    port = _free_port()
    env = _env(tmp_path, NEWSWIRE_DATABASE_URL=database_url, NEWSWIRE_SERVE_PORT=str(port))
    proc = subprocess.Popen(
        [sys.executable, "-m", "newswire", "serve", "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/events", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "newswire serve did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["total"] >= 3
        page = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True)
        assert page.status_code == 200 and '<svg id="map"' in page.text
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=15)
    assert f"read-only on http://127.0.0.1:{port}/" in err


def test_serve_refuses_a_missing_database_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.db"
    r = subprocess.run(
        [sys.executable, "-m", "newswire", "serve", "--port", str(_free_port())],
        env=_env(tmp_path, NEWSWIRE_DATABASE_URL=f"sqlite:///{missing}"),
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"newswire: error: cannot read database sqlite:///{missing}: no database at {missing}"
    ]
    assert not missing.exists()  # a read-only server never creates the database


def test_serve_rejects_a_bad_port(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "newswire", "serve"],
        env=_env(tmp_path, NEWSWIRE_SERVE_PORT="eighty"),
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "eighty" in r.stderr and "Traceback" not in r.stderr
