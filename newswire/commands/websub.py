"""``newswire websub``: the WebSub callback server and subscription upkeep (``ingest.websub``)."""

# The web stack is imported inside the command so that `newswire --help` stays fast.
# ruff: noqa: PLC0415

from __future__ import annotations

import click

from newswire.commands.options import listen_options


def websub_command(ctx: click.Context, host: str, port: int) -> None:
    """Serve WebSub callbacks on ``host:port`` until SIGTERM/Ctrl-C; exits 2 on bad setup."""
    import signal

    from ingest.websub.daemon import WebSubDaemon
    from newswire.cli import _engine, _fail, _redis, _settings

    settings = _settings(ctx)
    if settings.websub_callback_url is None:
        _fail(
            "WebSub is off: set NEWSWIRE_WEBSUB_CALLBACK_URL to the public URL where hubs "
            "reach this server"
        )
    engine = _engine(settings)
    conn = _redis(settings)
    daemon = WebSubDaemon(settings, engine, conn, host=host, port=port)
    # Installed before uvicorn's own handlers, which call these again once the server is down.
    signal.signal(signal.SIGTERM, lambda *_: daemon.stop())
    signal.signal(signal.SIGINT, lambda *_: daemon.stop())
    try:
        daemon.run()
    finally:
        engine.dispose()


def register(main: click.Group) -> None:
    """Add ``newswire websub`` to ``main``."""

    @main.command()
    @listen_options("NEWSWIRE_WEBSUB", default_port=8081)
    @click.pass_context
    def websub(ctx: click.Context, host: str, port: int) -> None:
        """Serve WebSub callbacks and keep hub subscriptions up (needs
        NEWSWIRE_WEBSUB_CALLBACK_URL, the public URL hubs call back).

        Subscribes to the hubs that polled feeds advertise, renews before leases end, cancels
        the subscriptions of deleted feeds, answers hubs' intent verifications, and turns
        signed pushes into entries on the fetch queue at once. Polling goes on as before.
        """
        websub_command(ctx, host, port)
