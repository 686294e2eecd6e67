"""``newswire run``: pollers and a worker pool in one supervised process tree.

The supervisor starts one poller process, N worker processes and, when
``NEWSWIRE_WEBSUB_CALLBACK_URL`` is set, the WebSub callback server (each a real ``newswire``
child), restarts any that dies with a backoff, and on SIGTERM or Ctrl-C asks every child to
finish its current job and exit, killing stragglers after a grace period. With
``until_idle`` the poller checks every feed once and exits; the supervisor then waits until no
job is queued, running or scheduled and no entry awaits its fetch, and stops the workers.

Children inherit the full settings through ``NEWSWIRE_*`` variables, including the socket of
the embedded Redis this process started, so they all share one Redis and one database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import FrameType

import redis
from sqlalchemy import func, select

from ingest.db import make_engine, session_factory
from ingest.logsetup import get_logger
from ingest.settings import Settings, env_name
from newswire.pipeline_state import in_flight
from schemas.tables import Entry

log = get_logger("newswire.supervisor")
#: With ``until_idle``, a child that dies this many times ends the run with an error.
MAX_RESTARTS_UNTIL_IDLE = 3


def child_env(settings: Settings, redis_url: str) -> dict[str, str]:
    """Return the environment for a child process: ours plus every setting spelled out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update({k: v for k, v in os.environ.items() if k.startswith("NEWSWIRE_TEST_")})
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if value is None:
            continue
        if isinstance(value, tuple):
            value = ",".join(value)
        elif isinstance(value, Path):
            value = str(value.resolve())
        env[env_name(f.name)] = str(value)
    env[env_name("redis_url")] = redis_url
    env[env_name("database_url")] = settings.effective_database_url
    return env


@dataclass
class Child:
    """One supervised process."""

    role: str
    argv: list[str]
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    done: bool = False
    started_at: float = field(default=0.0)


class Supervisor:
    """Runs and watches the poller and worker processes until stopped or idle."""

    def __init__(
        self, settings: Settings, redis_url: str, *, workers: int, until_idle: bool
    ) -> None:
        self.settings = settings
        self.redis = redis.Redis.from_url(redis_url)
        self.env = child_env(settings, redis_url)
        self.until_idle = until_idle
        exe = [sys.executable, "-m", "newswire"]
        self.children = [Child("poller", [*exe, "poll", *(["--once"] if until_idle else [])])]
        self.children += [Child(f"worker-{i}", [*exe, "worker"]) for i in range(workers)]
        if settings.websub_callback_url is not None and not until_idle:
            # WebSub on: the callback server and subscription upkeep (a one-shot run has no
            # use for pushes that arrive after it is gone).
            self.children.append(Child("websub", [*exe, "websub"]))
        self._stopping = False
        self.failed = False
        self.engine = make_engine(settings.effective_database_url)

    def _start(self, child: Child) -> None:
        child.proc = subprocess.Popen(child.argv, env=self.env)
        child.started_at = time.monotonic()
        log.info("child_started", role=child.role, pid=child.proc.pid)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self._stopping:
            log.warning("second_signal_killing_children", signal=signal.Signals(signum).name)
            self._signal_all(signal.SIGKILL)
            return
        log.info("shutdown_requested", signal=signal.Signals(signum).name)
        self._stopping = True

    def _signal_all(self, sig: int) -> None:
        for c in self.children:
            if c.proc is not None and c.proc.poll() is None:
                c.proc.send_signal(sig)

    def _pipeline_idle(self) -> bool:
        if in_flight(self.redis):
            return False
        with session_factory(self.engine)() as s:
            waiting = s.scalar(select(func.count()).select_from(Entry).where(Entry.state == "new"))
        return not waiting

    def _check_children(self) -> None:
        now = time.monotonic()
        for c in self.children:
            if c.done:
                continue
            if c.proc is None:
                if now >= c.next_start:
                    self._start(c)
                continue
            rc = c.proc.poll()
            if rc is None:
                continue
            if self.until_idle and c.role == "poller" and rc == 0:
                c.done = True
                log.info("poller_round_done")
                continue
            # Crash-looping children back off (1 s doubling to a minute) instead of spinning.
            c.restarts += 1
            if self.until_idle and c.restarts > MAX_RESTARTS_UNTIL_IDLE:
                # A one-shot run that cannot keep its processes alive will never drain.
                log.error("child_crash_loop", role=c.role, returncode=rc, restarts=c.restarts)
                self.failed = True
                self._stopping = True
                return
            delay = min(60.0, 2.0 ** min(c.restarts - 1, 6)) if now - c.started_at < 30 else 1.0
            log.error(
                "child_exited", role=c.role, pid=c.proc.pid, returncode=rc, restart_in_s=delay
            )
            c.proc = None
            c.next_start = now + delay

    def _shutdown(self) -> None:
        self._signal_all(signal.SIGTERM)
        grace = self.settings.job_timeout_s + 10
        deadline = time.monotonic() + grace
        for c in self.children:
            if c.proc is None:
                continue
            try:
                c.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("child_killed_after_grace", role=c.role, grace_s=grace)
                c.proc.kill()
                c.proc.wait()

    def run(self) -> int:
        """Supervise until a signal (or, with until_idle, until the pipeline drains).

        Returns the exit code: 0, or 1 when ``until_idle`` gave up on a crash-looping child.
        """
        old = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        workers = sum(c.role.startswith("worker-") for c in self.children)
        log.info("supervisor_started", workers=workers, until_idle=self.until_idle)
        idle_checks = 0
        try:
            while not self._stopping:
                self._check_children()
                poller_done = self.children[0].done
                if self.until_idle and poller_done:
                    idle_checks = idle_checks + 1 if self._pipeline_idle() else 0
                    if idle_checks >= 3:
                        log.info("pipeline_idle")
                        break
                time.sleep(0.3)
        finally:
            self._shutdown()
            for s, handler in old.items():
                signal.signal(s, handler)
            self.engine.dispose()
        log.info("supervisor_stopped", failed=self.failed)
        return 1 if self.failed else 0
