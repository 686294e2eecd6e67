"""``newswire demo``: the sample newsroom through the whole pipeline, on embedded defaults."""

from __future__ import annotations

import shutil
import time
from dataclasses import replace

import click

from ingest.settings import Settings
from newswire.newsroom import serve


def _fresh_dir(settings: Settings) -> Settings:
    demo_dir = (settings.data_dir / "demo").resolve()
    if demo_dir.exists():
        # Only ever remove what an earlier demo made.
        if not (demo_dir / ".newswire-demo").exists():
            raise click.ClickException(f"{demo_dir} exists and was not made by the demo")
        shutil.rmtree(demo_dir)
    demo_dir.mkdir(parents=True)
    (demo_dir / ".newswire-demo").write_text("made by newswire demo; safe to delete\n")
    return replace(
        settings,
        data_dir=demo_dir,
        redis_url=None,
        database_url=None,
        allow_private_networks=("127.0.0.0/8",),
        log_level="WARNING" if settings.log_level == "INFO" else settings.log_level,
    )


def run_demo(settings: Settings, *, workers: int = 1) -> int:
    """Run the demo; print progress and the events table; return the exit code."""
    from ingest.db import make_engine, session_factory, transaction, upgrade
    from ingest.feedstore import add_feeds
    from ingest.logsetup import configure_logging
    from newswire.cli import run_service
    from newswire.export import article_records, event_records, render_events_table

    settings = replace(_fresh_dir(settings), workers=workers)
    # The demo speaks in progress lines and a table; logs only for warnings (or when asked).
    configure_logging(settings.log_format, settings.log_level)
    echo = click.echo
    started = time.monotonic()
    with serve() as room:
        echo(f"sample newsroom serving {len(room.pages)} articles at {room.base}")
        url = settings.effective_database_url
        upgrade(url)
        engine = make_engine(url)
        with transaction(session_factory(engine)) as s:
            add_feeds(s, room.feed_urls(), language_hint="fr")
        noun = "worker" if workers == 1 else "workers"
        echo(f"pipeline running: data in {settings.data_dir} ({workers} {noun})...")
        rc = run_service(settings, until_idle=True)
        if rc:
            echo(f"the pipeline exited with {rc}", err=True)
            return rc
    with session_factory(engine)() as s:
        events = list(event_records(s))
        articles = list(article_records(s))
    engine.dispose()
    stored = sum(a["status"] == "stored" for a in articles)
    echo(
        f"\n{stored} articles stored, {len(events)} events, in {time.monotonic() - started:.1f} s\n"
    )
    echo(render_events_table(events))
    skipped = [a for a in articles if a["status"] != "stored"]
    for a in skipped:
        echo(f"skipped {a['url']}: {a['skip_reason']}", err=True)
    echo(
        f"export them with: NEWSWIRE_DATA_DIR={settings.data_dir} "
        "newswire export events --format jsonl"
    )
    return 0
