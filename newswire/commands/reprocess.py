"""``newswire reprocess``: re-run cleaning and every later stage from the raw WARC archive.

Nothing is refetched. For each article in the selection (fetch time in [since, until), host),
the latest archived response is cleaned again and goes through dedupe, language, events and
store in this process; every stage is idempotent per article key, so the results replace the
old ones. A dedupe verdict, once given, stays (a copy stays a copy of the same original);
everything else is recomputed. A record that cannot be read or decoded is counted with its
reason and the run goes on.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


@dataclass
class ReprocessReport:
    """What a reprocessing run did: articles seen and each outcome's count."""

    selected: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return a one-line human summary of the run."""
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return f"{self.selected} archived articles reprocessed: {parts or 'nothing to do'}"


@dataclass(frozen=True)
class _Latest:
    ref: Any  # ingest.archive.ArchiveRef
    fetched_at: datetime


def select_latest(
    directory: Path,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    host: str | None = None,
) -> tuple[list[Any], int]:
    """Return (the ArchiveRef of each article's latest response in the selection, foreign count).

    "Foreign" records are responses the pipeline did not write (no article key): skipped.
    """
    from ingest.archive import iter_archive  # noqa: PLC0415 -- keep `newswire --help` fast

    latest: dict[str, _Latest] = {}
    foreign = 0
    for rec in iter_archive(directory, since=since, until=until, host=host):
        key = rec.meta.get("article_key")
        if not isinstance(key, str) or not key:
            foreign += 1
            continue
        seen = latest.get(key)
        if seen is None or rec.fetched_at >= seen.fetched_at:
            latest[key] = _Latest(rec.ref, rec.fetched_at)
    ordered = sorted(latest.values(), key=lambda item: item.fetched_at)
    return [item.ref for item in ordered], foreign


def reprocess_one(
    directory: Path, ref: Any, *, sessions: Any, index: Any, boilerplate: Any = None
) -> str:
    """Re-run every stage after the fetch for the response at ``ref``; return the outcome.

    Outcomes: ``stored``, ``skipped:<reason>``. Raises ingest.archive.ArchiveError or
    schemas.messages.MessageError for a record that cannot be used.
    """
    from ingest.archive import read_record  # noqa: PLC0415
    from schemas.messages import Skip, decode_entry  # noqa: PLC0415
    from workers.dedupe import dedupe_article  # noqa: PLC0415
    from workers.events import code_article  # noqa: PLC0415
    from workers.fetch import article_from_response, link_archive  # noqa: PLC0415
    from workers.language import tag_language  # noqa: PLC0415
    from workers.store import record_skip, settle_cluster, store_article  # noqa: PLC0415

    rec = read_record(directory, ref)
    entry = decode_entry(rec.meta)
    out = article_from_response(
        entry,
        url=rec.url,
        status=rec.status,
        headers=rec.headers,
        body=rec.body,
        fetched_at=rec.fetched_at,
        boilerplate=boilerplate,
    )
    if isinstance(out, Skip):
        with sessions() as session, session.begin():
            link_archive(session, entry, ref)
            record_skip(session, entry, out.reason, out.detail)
        return f"skipped:{out.reason}"
    msg = code_article(tag_language(dedupe_article(out, index)))
    with sessions() as session, session.begin():
        link_archive(session, entry, ref)
        store_article(session, msg, index)  # stores the cluster's root, as the stage does
    settle_cluster(sessions, msg.cluster_id, index)  # a merge during the commit (see store)
    return "stored"


def reprocess_archive(
    directory: Path,
    *,
    sessions: Any,
    index: Any,
    boilerplate: Any = None,
    since: datetime | None = None,
    until: datetime | None = None,
    host: str | None = None,
    progress: Callable[[list[Any]], Any] | None = None,
) -> ReprocessReport:
    """Reprocess the selection of the archive in ``directory``; return the run's report.

    ``boilerplate`` (an ingest.boilerplate.BoilerplateStore) drops learned site boilerplate.
    ``progress`` wraps the list of records to process (e.g. ``click.progressbar``) and must
    return a context manager iterating over it.
    """
    from ingest.archive import ArchiveError  # noqa: PLC0415
    from schemas.messages import MessageError  # noqa: PLC0415

    refs, foreign = select_latest(directory, since=since, until=until, host=host)
    report = ReprocessReport(selected=len(refs))
    if foreign:
        report.outcomes["foreign_record"] = foreign
    with progress(refs) if progress is not None else nullcontext(refs) as items:
        for ref in items:
            try:
                outcome = reprocess_one(
                    directory, ref, sessions=sessions, index=index, boilerplate=boilerplate
                )
            except (ArchiveError, MessageError) as exc:
                outcome = "unreadable"
                report.errors.append(f"{ref.file}@{ref.offset}: {exc}")
            report.outcomes[outcome] += 1
    return report


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@click.command()
@click.option(
    "--since",
    type=click.DateTime(DATE_FORMATS),
    help="Only responses fetched at or after this UTC time (YYYY-MM-DD[THH:MM:SS]).",
)
@click.option(
    "--until", type=click.DateTime(DATE_FORMATS), help="Only responses fetched before this."
)
@click.option("--site", "host", metavar="HOST", help="Only pages of this host (and subdomains).")
@click.pass_context
def reprocess(
    ctx: click.Context, since: datetime | None, until: datetime | None, host: str | None
) -> None:
    """Re-run cleaning and every later stage from the raw archive, without refetching."""
    from ingest.boilerplate import BoilerplateStore  # noqa: PLC0415
    from ingest.db import session_factory  # noqa: PLC0415
    from ingest.redisconn import connect  # noqa: PLC0415
    from newswire.cli import _engine, _settings  # noqa: PLC0415
    from workers.dedupe import DedupeIndex  # noqa: PLC0415
    from workers.fetch import archive_dir  # noqa: PLC0415

    settings = _settings(ctx)
    lo, hi = _utc(since), _utc(until)
    if lo is not None and hi is not None and lo >= hi:
        raise click.UsageError("--since must be before --until", ctx)
    directory = archive_dir(settings)
    if not directory.is_dir():
        click.echo(f"no archive at {directory}: nothing to reprocess", err=True)
        return
    sessions = session_factory(_engine(settings))
    conn = connect(settings)
    index, boilerplate = DedupeIndex(conn), BoilerplateStore(conn)

    def bar(items: list[Any]) -> Any:
        return click.progressbar(items, label="reprocessing", file=sys.stderr)

    report = reprocess_archive(
        directory,
        sessions=sessions,
        index=index,
        boilerplate=boilerplate,
        since=lo,
        until=hi,
        host=host,
        progress=bar,
    )
    for line in report.errors[:20]:
        click.echo(f"unreadable: {line}", err=True)
    click.echo(report.summary())


def register(main: click.Group) -> None:
    """Add ``reprocess`` to the ``newswire`` command group."""
    main.add_command(reprocess)
