"""The ``newswire`` command line: one executable, one subcommand per verb.

Every option also has a ``NEWSWIRE_*`` environment variable (``newswire config`` prints them).
Errors a user can fix (a bad setting, a bad URL, a broken OPML file, a database not migrated)
end with one line on stderr and exit code 2; no traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ingest.settings import Settings, SettingsError, load_settings

EXIT_USAGE = 2


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    try:
        settings = load_settings(overrides=overrides)
    except SettingsError as exc:
        raise click.UsageError(str(exc), ctx) from exc
    from ingest.logsetup import configure_logging

    configure_logging(settings.log_format, settings.log_level)
    return settings


def _fail(message: str) -> None:
    click.echo(f"newswire: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _engine(settings: Settings, *, migrate: bool = False, require_current: bool = True) -> Any:
    from ingest.db import make_engine, pending_migrations, upgrade

    url = settings.effective_database_url
    if migrate:
        upgrade(url)
    engine = make_engine(url)
    if require_current:
        try:
            pending = pending_migrations(engine)
        except Exception as exc:  # unreachable server, bad credentials...
            _fail(f"cannot open database {settings.redacted()['database_url'] or url}: {exc}")
        if pending:
            _fail(f"the database needs migrations {', '.join(pending)}: run 'newswire db upgrade'")
    return engine


def _redis(settings: Settings) -> Any:
    """Return a client of the configured Redis once it answers and may hold queued entries.

    Exits 2 on a Redis that evicts keys: it would silently drop queued entries.
    """
    from ingest.redisconn import RedisConfigError, check_server, connect, wait_for_redis

    conn = connect(settings)
    wait_for_redis(conn)
    try:
        check_server(conn)
    except RedisConfigError as exc:
        _fail(str(exc))
    return conn


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="newswire")
def main() -> None:
    """newswire: news feeds in, coded conflict and political-violence events out.

    \b
    Quick start:
      newswire demo                      run the bundled sample newsroom end to end
      newswire feeds add URL...          register feeds
      newswire run                       pollers + workers until Ctrl-C
      newswire export events --format jsonl

    With no NEWSWIRE_REDIS_URL an embedded Redis is started, and with no
    NEWSWIRE_DATABASE_URL a SQLite database is used, both under NEWSWIRE_DATA_DIR
    (default ./newswire-data).
    """


@main.command()
@click.pass_context
def config(ctx: click.Context) -> None:
    """Print the settings in effect (credentials masked) as JSON."""
    click.echo(json.dumps(_settings(ctx).redacted(), indent=2))


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Create or migrate the database schema to the latest version."""
    settings = _settings(ctx)
    from ingest.db import upgrade

    try:
        upgrade(settings.effective_database_url)
    except Exception as exc:
        _fail(f"migration failed: {exc}")
    click.echo("database is up to date")


# -- feeds ------------------------------------------------------------------------------
@main.group()
def feeds() -> None:
    """Register, list, import and export feeds."""


def _report_adds(results: list[Any]) -> None:
    for r in results:
        line = f"{r.status:<8} {r.url}" + (f"  ({r.reason})" if r.reason else "")
        click.echo(line, err=r.status == "invalid")


@feeds.command("add")
@click.argument("urls", nargs=-1, required=True)
@click.option("--language", help="Language hint for the feed's articles (ISO 639-1).")
@click.pass_context
def feeds_add(ctx: click.Context, urls: tuple[str, ...], language: str | None) -> None:
    """Register feed URLs (http or https). Exits 2 if any URL is invalid."""
    from ingest.db import session_factory, transaction
    from ingest.feedstore import add_feeds

    settings = _settings(ctx)
    engine = _engine(settings, migrate=True)
    with transaction(session_factory(engine)) as s:
        results = add_feeds(s, urls, language_hint=language)
    _report_adds(results)
    if any(r.status == "invalid" for r in results):
        sys.exit(EXIT_USAGE)


@feeds.command("import")
@click.argument("opml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def feeds_import(ctx: click.Context, opml: Path) -> None:
    """Register every feed listed in an OPML file."""
    from ingest.db import session_factory, transaction
    from ingest.feedstore import FeedInputError, add_feeds, parse_opml

    settings = _settings(ctx)
    try:
        listed = parse_opml(opml.read_bytes())
    except FeedInputError as exc:
        _fail(f"{opml}: {exc}")
    engine = _engine(settings, migrate=True)
    with transaction(session_factory(engine)) as s:
        results = add_feeds(s, [u for u, _ in listed], titles={u: t for u, t in listed if t})
    _report_adds(results)
    added = sum(r.status == "added" for r in results)
    click.echo(f"{added} added, {len(results) - added} not added, from {opml}", err=True)


@feeds.command("export")
@click.pass_context
def feeds_export(ctx: click.Context) -> None:
    """Print every registered feed as OPML."""
    from ingest.db import session_factory
    from ingest.feedstore import export_opml, list_feeds

    engine = _engine(_settings(ctx))
    with session_factory(engine)() as s:
        sys.stdout.buffer.write(export_opml(list_feeds(s)))


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed.")
@click.pass_context
def feeds_list(ctx: click.Context, as_json: bool) -> None:
    """List feeds with their health, errors and schedule."""
    from ingest.db import session_factory
    from newswire.export import feed_rows

    engine = _engine(_settings(ctx))
    with session_factory(engine)() as s:
        rows = feed_rows(s)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r))
        return
    for r in rows:
        err = f"  last error: {r['last_error']}" if r["last_error"] else ""
        click.echo(
            f"{r['id']:>4} {r['health']:<11} errors={r['error_count']:<3} "
            f"entries={r['entries_seen']:<5} {r['url']}{err}"
        )


# -- daemons ----------------------------------------------------------------------------
@main.command()
@click.option("--once", is_flag=True, help="Check every feed once, enqueue new entries, exit.")
@click.pass_context
def poll(ctx: click.Context, once: bool) -> None:
    """Run the poller daemon (checks due feeds, enqueues new entries)."""
    import signal

    from ingest.poller import Poller

    settings = _settings(ctx)
    engine = _engine(settings)
    conn = _redis(settings)
    poller = Poller(settings, engine, conn)
    if once:
        poller.run_once()
        return
    signal.signal(signal.SIGTERM, lambda *_: poller.stop())
    signal.signal(signal.SIGINT, lambda *_: poller.stop())
    poller.run_forever()


@main.command()
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
@click.pass_context
def worker(ctx: click.Context, queues: tuple[str, ...], burst: bool) -> None:
    """Run a worker on QUEUES (default: every stage queue, downstream first).

    Queues: fetch, dedupe, language, events, store. A stage whose queue this worker also
    serves runs in the same job as the stage before it (NEWSWIRE_CHAIN_STAGES, on by
    default): `newswire worker events store` codes and stores an article in one job, while
    `newswire worker fetch` hands every article on through Redis. First SIGTERM finishes the
    current job and exits; a second one stops at once.
    """
    from schemas.messages import STAGES
    from workers.pool import run_worker

    settings = _settings(ctx)
    bad = [q for q in queues if q not in STAGES]
    if bad:
        raise click.BadParameter(
            f"unknown queue(s) {', '.join(bad)}; queues are {', '.join(STAGES)}",
            param_hint="QUEUES",
        )
    _engine(settings).dispose()
    run_worker(queues, burst=burst)


@main.command()
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    envvar="NEWSWIRE_WORKERS",
    show_default="NEWSWIRE_WORKERS or 2",
    help="Worker processes.",
)
@click.option("--until-idle", is_flag=True, help="Poll every feed once, drain every queue, exit 0.")
@click.pass_context
def run(ctx: click.Context, workers: int | None, until_idle: bool) -> None:
    """Run the whole service: a poller and a worker pool in one supervised process tree."""
    settings = _settings(ctx, workers=workers)
    sys.exit(run_service(settings, until_idle=until_idle))


def run_service(settings: Settings, *, until_idle: bool) -> int:
    """Migrate, start Redis if embedded, supervise the service; return the exit code."""
    from ingest.redisconn import ensure_redis, stop_embedded
    from newswire.supervisor import Supervisor

    _engine(settings, migrate=True).dispose()
    target = ensure_redis(settings)
    try:
        return Supervisor(
            settings, target.url, workers=settings.workers, until_idle=until_idle
        ).run()
    finally:
        if target.embedded:
            stop_embedded()


# -- reading ----------------------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show queue depths, failed jobs, workers and feed health."""
    from newswire.status import collect_status, render_status

    settings = _settings(ctx)
    report = collect_status(settings, _engine(settings))
    click.echo(json.dumps(report, indent=2) if as_json else render_status(report))


@main.command()
@click.argument("what", type=click.Choice(["events", "articles"]))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "acled-csv", "plover-jsonl", "geojson"]),
    default="jsonl",
    show_default=True,
    help="acled-csv, plover-jsonl and geojson are for events only.",
)
@click.option("--since", metavar="YYYY-MM-DD", help="Only records dated on or after this day.")
@click.pass_context
def export(ctx: click.Context, what: str, fmt: str, since: str | None) -> None:
    """Print stored events or articles to stdout."""
    from datetime import date

    from ingest.db import session_factory
    from newswire.export import (
        ARTICLE_FIELDS,
        EVENT_FIELDS,
        article_records,
        event_records,
        write_acled_csv,
        write_csv,
        write_geojson,
        write_jsonl,
        write_plover_jsonl,
    )

    event_writers = {
        "acled-csv": write_acled_csv,
        "plover-jsonl": write_plover_jsonl,
        "geojson": write_geojson,
    }
    if fmt in event_writers and what != "events":
        raise click.BadParameter(f"{fmt} is a format for events", param_hint="--format")

    if since:
        try:
            since = date.fromisoformat(since).isoformat()
        except ValueError as exc:
            raise click.BadParameter(
                f"{since!r} is not a date YYYY-MM-DD", param_hint="--since"
            ) from exc
    engine = _engine(_settings(ctx))
    with session_factory(engine)() as s:
        records = event_records(s, since) if what == "events" else article_records(s, since)
        if fmt in event_writers:
            event_writers[fmt](records, sys.stdout)
        elif fmt == "jsonl":
            write_jsonl(records, sys.stdout)
        else:
            write_csv(records, sys.stdout, EVENT_FIELDS if what == "events" else ARTICLE_FIELDS)


@main.command()
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=1,
    show_default=True,
    # Each worker loads its models first (~10 s of CPU): for two articles one worker is done
    # sooner (15.6 s against 21.4 s here on 2 cores).
    help="Worker processes; each loads the language and event models before its first job.",
)
@click.pass_context
def demo(ctx: click.Context, workers: int) -> None:
    """Run the bundled sample newsroom through the whole pipeline and print its events.

    Serves two French sample articles and their feed on 127.0.0.1, runs pollers and workers on
    an embedded Redis and SQLite under DATA_DIR/demo (recreated each time), and prints a
    table of the events stored. Needs no network and no services.
    """
    from newswire.demo import run_demo

    settings = _settings(ctx)
    sys.exit(run_demo(settings, workers=workers))


def _register_plugins() -> None:
    from newswire.commands import register_all

    register_all(main)


_register_plugins()
