"""RQ job functions used by the job-wrapper tests (importable by dotted path)."""

from __future__ import annotations

from typing import Any

from schemas.messages import ArticleMessage, decode_article
from workers.runtime import JobResult, run_stage


class FlakyError(Exception):
    """A failure that says it may go away by itself."""

    transient = True
    reason = "flaky_upstream"


def _fail_transient(msg: ArticleMessage) -> ArticleMessage:
    raise FlakyError("upstream busy")


def _fail_permanent(msg: ArticleMessage) -> ArticleMessage:
    raise ValueError("this article breaks the extractor")


def transient_job(payload: dict[str, Any]) -> JobResult:
    """Always fails transiently."""
    return run_stage("events", payload, decode_article, _fail_transient)


def permanent_job(payload: dict[str, Any]) -> JobResult:
    """Always fails permanently."""
    return run_stage("events", payload, decode_article, _fail_permanent)
