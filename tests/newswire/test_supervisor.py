"""``newswire run`` as a daemon: SIGTERM stops the whole process tree cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from rq import Worker

from tests.conftest import LIGHT_MODELS

pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(x) for x in out.stdout.split()]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_pollers_and_workers(tmp_path: Path, redis_url: str, sig: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(
        NEWSWIRE_DATA_DIR=str(tmp_path),
        NEWSWIRE_REDIS_URL=redis_url,
        NEWSWIRE_LOG_FORMAT="json",
        **LIGHT_MODELS,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "newswire", "run", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    conn = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while len(Worker.all(connection=conn)) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "workers did not register"
        time.sleep(0.1)
    children = _children(proc.pid)
    assert len(children) == 3  # one poller, two workers
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err[-2000:]
    assert '"event": "supervisor_stopped"' in out
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )
    deadline = time.monotonic() + 10
    while Worker.all(connection=conn) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Worker.all(connection=conn) == []  # workers deregistered on the way out
