"""``newswire failed list | retry | purge``: the failed registries of every stage, with reasons.

A failed job keeps its reason code in its meta (``failure_reason``, set by the job wrapper or
by orphan recovery as ``worker_died``); jobs failed before that existed, or by RQ itself, get
one derived from the last line of their traceback.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import click

_EXC_LINE = re.compile(r"^(?:[\w.]+\.)?(\w+)(?::|$)")


@dataclass(frozen=True, slots=True)
class FailedJob:
    """One job in a stage's failed registry."""

    stage: str
    job_id: str
    article_key: str
    reason: str
    error: str
    failed_at: str | None
    crashes: int


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def reason_from(meta: dict[str, Any], exc_string: str) -> tuple[str, str]:
    """Return (reason code, one-line error) for a failed job's meta and traceback text."""
    lines = [ln for ln in exc_string.strip().splitlines() if ln.strip()]
    error = lines[-1].strip() if lines else ""
    reason = meta.get("failure_reason")
    if isinstance(reason, str) and reason:
        return reason, error
    if error.startswith("worker_died") or "AbandonedJobError" in exc_string:
        return "worker_died", error
    match = _EXC_LINE.match(error)
    return (_snake(match.group(1)) if match else "unknown"), error


def failed_jobs(conn: Any, stages: Sequence[str] = ()) -> list[FailedJob]:
    """Return the failed jobs of ``stages`` (all when empty), oldest failure first."""
    from rq.exceptions import NoSuchJobError  # noqa: PLC0415 -- keep `newswire --help` fast
    from rq.job import Job  # noqa: PLC0415
    from rq.serializers import JSONSerializer  # noqa: PLC0415

    from ingest.queueing import get_queue  # noqa: PLC0415
    from schemas.messages import STAGES  # noqa: PLC0415

    out: list[FailedJob] = []
    for stage in stages or STAGES:
        registry = get_queue(conn, stage).failed_job_registry
        for jid in registry.get_job_ids(cleanup=False):
            try:
                job = Job.fetch(jid, connection=conn, serializer=JSONSerializer)
            except NoSuchJobError:
                continue
            result = job.latest_result()
            exc_string = (result.exc_string if result is not None else None) or ""
            reason, error = reason_from(job.meta, exc_string)
            ended = job.ended_at.isoformat() if job.ended_at else None
            key = jid.split("-", 1)[1] if "-" in jid else jid
            crashes = int(job.meta.get("crashes", 0))
            out.append(FailedJob(stage, jid, key, reason, error[:300], ended, crashes))
    return out


def select(jobs: Iterable[FailedJob], reason: str | None, ids: Sequence[str]) -> list[FailedJob]:
    """Return the jobs matching ``reason`` (if given) and ``ids`` (job ids or article keys)."""
    wanted = set(ids)
    return [
        j
        for j in jobs
        if (reason is None or j.reason == reason)
        and (not wanted or j.job_id in wanted or j.article_key in wanted)
    ]


def retry_jobs(conn: Any, jobs: Iterable[FailedJob]) -> int:
    """Put ``jobs`` back on their queues with a clean slate; return how many were requeued."""
    from rq.job import Job  # noqa: PLC0415
    from rq.serializers import JSONSerializer  # noqa: PLC0415

    from ingest.queueing import get_queue  # noqa: PLC0415

    done = 0
    for fj in jobs:
        job = Job.fetch(fj.job_id, connection=conn, serializer=JSONSerializer)
        job.meta.pop("failure_reason", None)
        job.meta.pop("crashes", None)
        job.save_meta()  # type: ignore[no-untyped-call]
        get_queue(conn, fj.stage).failed_job_registry.requeue(job)
        done += 1
    return done


def purge_jobs(conn: Any, jobs: Iterable[FailedJob]) -> int:
    """Delete ``jobs`` and their failure records; return how many were deleted."""
    from rq.exceptions import NoSuchJobError  # noqa: PLC0415
    from rq.job import Job  # noqa: PLC0415
    from rq.serializers import JSONSerializer  # noqa: PLC0415

    from ingest.queueing import get_queue  # noqa: PLC0415

    done = 0
    for fj in jobs:
        registry = get_queue(conn, fj.stage).failed_job_registry
        with contextlib.suppress(NoSuchJobError):
            Job.fetch(fj.job_id, connection=conn, serializer=JSONSerializer).delete()
        registry.remove(fj.job_id)
        done += 1
    return done


def render(jobs: Sequence[FailedJob]) -> str:
    """Return failed jobs as a table followed by the counts by stage and reason."""
    if not jobs:
        return "no failed jobs"
    lines = [f"{'stage':<9} {'reason':<22} {'failed at':<20} {'article':<18} error"]
    for j in jobs:
        when = (j.failed_at or "")[:19]
        lines.append(f"{j.stage:<9} {j.reason:<22} {when:<20} {j.article_key[:18]:<18} {j.error}")
    counts = Counter((j.stage, j.reason) for j in jobs)
    lines.append("")
    lines += [f"{n:>6}  {stage}:{reason}" for (stage, reason), n in counts.most_common()]
    return "\n".join(lines)


def _stages_option(f: Any) -> Any:
    return click.option(
        "--stage",
        "stages",
        multiple=True,
        help="Only this stage's failures (repeatable; default: all).",
    )(f)


def _connect(ctx: click.Context, stages: Sequence[str]) -> Any:
    from ingest.redisconn import connect  # noqa: PLC0415
    from newswire.cli import _settings  # noqa: PLC0415
    from schemas.messages import STAGES  # noqa: PLC0415

    bad = [s for s in stages if s not in STAGES]
    if bad:
        raise click.BadParameter(
            f"unknown stage(s) {', '.join(bad)}; stages are {', '.join(STAGES)}",
            param_hint="--stage",
        )
    return connect(_settings(ctx))


@click.group("failed")
def failed_group() -> None:
    """Failed jobs with their reasons: list them, retry them, purge them."""


@failed_group.command("list")
@_stages_option
@click.option("--reason", help="Only failures with this reason code.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def list_cmd(
    ctx: click.Context, stages: tuple[str, ...], reason: str | None, as_json: bool
) -> None:
    """List failed jobs: stage, reason, when, article, error."""
    jobs = select(failed_jobs(_connect(ctx, stages), stages), reason, ())
    if as_json:
        for j in jobs:
            click.echo(json.dumps(asdict(j)))
    else:
        click.echo(render(jobs))


@failed_group.command("retry")
@_stages_option
@click.option("--reason", help="Only failures with this reason code.")
@click.option("--all", "everything", is_flag=True, help="Every failure selected by the filters.")
@click.argument("ids", nargs=-1)
@click.pass_context
def retry_cmd(
    ctx: click.Context,
    stages: tuple[str, ...],
    reason: str | None,
    everything: bool,
    ids: tuple[str, ...],
) -> None:
    """Requeue failed jobs (IDS: job ids or article keys; or --all / --reason)."""
    if not (ids or everything or reason):
        raise click.UsageError("name the jobs to retry (IDS), or use --reason or --all", ctx)
    conn = _connect(ctx, stages)
    n = retry_jobs(conn, select(failed_jobs(conn, stages), reason, ids))
    click.echo(f"{n} failed job(s) requeued")


@failed_group.command("purge")
@_stages_option
@click.option("--reason", help="Only failures with this reason code.")
@click.option("--all", "everything", is_flag=True, help="Every failure selected by the filters.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.argument("ids", nargs=-1)
@click.pass_context
def purge_cmd(  # noqa: PLR0917 -- click passes every option by keyword anyway
    ctx: click.Context,
    stages: tuple[str, ...],
    reason: str | None,
    everything: bool,
    yes: bool,
    ids: tuple[str, ...],
) -> None:
    """Delete failed jobs for good (IDS: job ids or article keys; or --all / --reason)."""
    if not (ids or everything or reason):
        raise click.UsageError("name the jobs to purge (IDS), or use --reason or --all", ctx)
    conn = _connect(ctx, stages)
    jobs = select(failed_jobs(conn, stages), reason, ids)
    if jobs and not yes:
        click.confirm(f"delete {len(jobs)} failed job(s)?", abort=True)
    click.echo(f"{purge_jobs(conn, jobs)} failed job(s) purged")


def register(main: click.Group) -> None:
    """Add ``newswire failed`` to the command line."""
    main.add_command(failed_group)
