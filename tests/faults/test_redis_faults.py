"""Redis crashing and coming back, or gone for half a minute, under a running pipeline:
every article ends stored exactly once or failed with a reason."""

from __future__ import annotations

import time

import pytest
import redis

from tests.faults.conftest import RedisServer, Service
from tests.faults.invariants import pipeline_drained, verdict
from tests.faults.test_worker_faults import articles, enqueue, started

pytestmark = pytest.mark.slow


def _outage(server: RedisServer, at_started: int, down_s: float) -> tuple[list[float], object]:
    """Return the outage log and a ``strike`` callback: once ``at_started`` jobs have started,
    kill the server, keep it down ``down_s`` seconds, start it again on its AOF."""
    state: list[float] = []
    conn = server.client()

    def strike(_elapsed: float) -> None:
        if not state:
            try:
                if started(conn) >= at_started:
                    server.stop()
                    state.append(time.monotonic())
            except redis.exceptions.ConnectionError:  # not up yet
                return
        elif len(state) == 1 and time.monotonic() - state[0] >= down_s:
            server.start()
            state.append(time.monotonic())

    return state, strike


@pytest.mark.parametrize("down_s", [1.0, 30.0], ids=["restart", "unreachable_30s"])
def test_redis_going_away_mid_run_loses_and_duplicates_nothing(
    service: Service, private_redis: RedisServer, down_s: float
) -> None:
    conn = private_redis.client()
    msgs = articles(30, "r")
    enqueue(conn, "tests.faults.jobs.slow_store", msgs)
    service.env["FAULTS_DELAY_S"] = "0.3"
    service.worker("store")
    service.worker("store")
    state, strike = _outage(private_redis, 5, down_s)
    restarts = service.supervise(
        lambda: len(state) == 2 and pipeline_drained(conn),
        timeout=down_s + 150,
        strike=strike,  # type: ignore[arg-type]
    )
    assert len(state) == 2
    v = verdict(conn, service.env["NEWSWIRE_DATABASE_URL"], {m.article_key: 1 for m in msgs})
    assert (v.lost, v.duplicated, v.failed) == (set(), set(), {}), restarts
