"""RQ job functions for the fault tests: the real store stage with faults injected around it.

Workers started by the tests import these by dotted path. Each records that it started in a
Redis list (``faults:started``) so a test can strike while the job is running.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from schemas.messages import ArticleMessage, decode_article
from workers import store
from workers.runtime import JobResult, run_stage, runtime


class StoreUnavailable(Exception):
    """The database said "try again later" (a transient failure, as the wrapper sees it)."""

    transient = True
    reason = "store_unavailable"


def _started(payload: dict[str, Any]) -> None:
    runtime().redis.rpush("faults:started", str(payload.get("article_key")))


def slow_store(payload: dict[str, Any]) -> JobResult:
    """Wait ``FAULTS_DELAY_S`` seconds (default 3), then run the real store job."""
    _started(payload)
    time.sleep(float(os.environ.get("FAULTS_DELAY_S", "3")))
    return store.job(payload)


def _flaky_then_store(msg: ArticleMessage) -> None:
    tries = runtime().redis.incr(f"faults:tries:{msg.article_key}")
    if tries <= int(os.environ.get("FAULTS_FAILURES", "1")):
        raise StoreUnavailable("database busy, try later")
    store._work(msg)


def flaky_store(payload: dict[str, Any]) -> JobResult:
    """The store job, failing transiently the first ``FAULTS_FAILURES`` times (default 1)."""
    _started(payload)
    return run_stage("store", payload, decode_article, _flaky_then_store)


def crashing_store(payload: dict[str, Any]) -> JobResult:
    """A poison job: it kills its own process, as a segfaulting extractor would."""
    _started(payload)
    os.kill(os.getpid(), signal.SIGKILL)
    return {"outcome": "unreachable"}
