"""``newswire serve``: the read-only HTTP API and the dashboard (see ``newswire.api``)."""

# The web stack is imported inside the command so that `newswire --help` stays fast.
# ruff: noqa: PLC0415

from __future__ import annotations

import sys

import click

from newswire.commands.options import listen_options


def serve_command(host: str, port: int) -> None:
    """Serve the API and dashboard on ``host:port`` until interrupted; exits 2 on bad setup."""
    from ingest.logsetup import configure_logging
    from ingest.settings import SettingsError, load_settings

    try:
        # NEWSWIRE_SERVE_HOST/PORT are Settings fields too, so a bad value is named here.
        settings = load_settings()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    configure_logging(settings.log_format, settings.log_level)

    import uvicorn
    from sqlalchemy import text

    from newswire.api.app import create_app
    from newswire.api.readonly import readonly_engine

    url = settings.effective_database_url
    shown = settings.redacted()["database_url"] or url
    try:
        engine = readonly_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM events"))
    except Exception as exc:  # missing file, unreachable server, schema not migrated...
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        click.echo(f"newswire: error: cannot read database {shown}: {first}", err=True)
        sys.exit(2)
    app = create_app(settings, engine=engine)
    click.echo(f"newswire: serving {shown} read-only on http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def register(main: click.Group) -> None:
    """Add ``newswire serve`` to ``main``."""

    @main.command()
    @listen_options("NEWSWIRE_SERVE", default_port=8000)
    def serve(host: str, port: int) -> None:
        """Serve the read-only HTTP API (/events, /articles, /feeds, /stats, /openapi.json) and the
        dashboard (/) over the database in NEWSWIRE_DATABASE_URL.

        The database is opened read-only. Queue depths on /stats need NEWSWIRE_REDIS_URL.
        """
        serve_command(host, port)
