"""``newswire websub``: the callback server, with the subscription upkeep beside it.

One process serves the callback (uvicorn, the ASGI server ``newswire serve`` uses too) and
runs, in a thread, the subscriber that sends due requests: first subscriptions of newly
discovered hubs, renewals before leases end, cancellations of deleted feeds. They belong
together: a request is only worth sending when the callback that must answer the hub's
verification is up. Several such processes may run behind one public URL; rows are claimed,
so each request is sent once.
"""

from __future__ import annotations

import socket
import threading

import redis
import uvicorn
from sqlalchemy import Engine

from ingest.logsetup import get_logger
from ingest.settings import Settings
from ingest.websub.callback import Callback, create_app
from ingest.websub.subscriber import Subscriber

__all__ = ["WebSubDaemon"]

log = get_logger("newswire.websub")


class WebSubDaemon:
    """Serves the WebSub callback and keeps subscriptions up until :meth:`stop`."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        conn: redis.Redis,
        *,
        host: str | None = None,
        port: int | None = None,
        upkeep_every_s: float | None = 10.0,
    ) -> None:
        """Build the daemon; ``upkeep_every_s=None`` leaves subscription requests to the caller.

        Raises ValueError when WebSub is off (no ``websub_callback_url``).
        """
        self.callback = Callback(settings, engine, conn)
        subscriber = Subscriber.from_settings(settings, self.callback.poller.sessions)
        if subscriber is None:
            raise ValueError("WebSub is off: NEWSWIRE_WEBSUB_CALLBACK_URL is not set")
        self.subscriber = subscriber
        self.settings = settings
        self.upkeep_every_s = upkeep_every_s
        self.server = uvicorn.Server(
            uvicorn.Config(
                create_app(self.callback),
                host=host or settings.websub_host,
                port=settings.websub_port if port is None else port,
                # No logging config of uvicorn's own: its lines go through ours (JSON).
                log_config=None,
                log_level="warning",
                access_log=False,
            )
        )
        self._stop = threading.Event()

    @property
    def started(self) -> bool:
        """Return True once the server accepts connections."""
        return bool(self.server.started)

    def stop(self) -> None:
        """Ask :meth:`run` to return: the server finishes its requests, the upkeep its round."""
        self._stop.set()
        self.server.should_exit = True

    def run(self, sockets: list[socket.socket] | None = None) -> None:
        """Serve (on ``sockets`` if given, else host and port) and keep up until stopped."""
        upkeep = None
        if self.upkeep_every_s is not None:
            upkeep = threading.Thread(target=self._upkeep, name="websub-upkeep", daemon=True)
            upkeep.start()
        host, port = self.server.config.host, self.server.config.port
        if sockets:
            host, port = sockets[0].getsockname()[:2]
        log.info(
            "websub_server_started",
            host=host,
            port=port,
            callback_url=self.settings.websub_callback_url,
        )
        try:
            self.server.run(sockets=sockets)
        finally:
            self._stop.set()
            if upkeep is not None:
                upkeep.join(timeout=self.settings.fetch_deadline_s + 5)
            log.info("websub_server_stopped")

    def _upkeep(self) -> None:
        interval = self.upkeep_every_s or 10.0
        while not self._stop.is_set():
            try:
                self.subscriber.run_due()
            except Exception as exc:  # database or a bug: the server stays up, next round retries
                log.error("websub_upkeep_failed", reason=type(exc).__name__, error=str(exc))
            self._stop.wait(interval)
