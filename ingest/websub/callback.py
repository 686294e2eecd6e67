"""The WebSub callback endpoint: hubs verify our intent (GET) and push new content (POST).

Every subscription has its own callback URL, the public base plus a random token; the
server answers on any path whose last segment is a token, so a proxy may keep or strip a
prefix. GET (WebSub §5.3): the challenge is echoed only for a request we made — the token's
subscription, its topic, and the mode we are waiting for (or ``subscribe`` for one we hold)
— anything else is a 404; a denial is recorded and logged. POST (§8): the body is read up to
a cap, its ``X-Hub-Signature`` checked against the subscription's secret, parsed from bytes
with the poller's parsers, and its entries recorded and enqueued by the poller's own code
(:meth:`ingest.poller.Poller.record_pushed`): same entry identity, same insert-if-absent, so a
push and a poll that see one entry at the same moment enqueue it once. A push we ignore
(bad signature, not a feed, too large) still gets a 2xx, as the spec asks, so the hub does not
retry it forever; an unknown subscription gets 410 Gone, which lets the hub drop it; our own
failure (database, Redis) gets a 503, so the hub retries later.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime

import redis
from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ingest.feeds import MAX_FEED_BYTES, NotAFeed
from ingest.formats import parse_source
from ingest.logsetup import get_logger
from ingest.poller import Poller
from ingest.settings import Settings
from ingest.websub.signature import signature_problem
from ingest.websub.store import Subscription, SubscriptionStore

__all__ = ["Callback", "create_app"]

log = get_logger("newswire.websub")

#: Leases a hub grants are believed up to a year (a larger one would be a hub's mistake).
MAX_LEASE_S = 366 * 24 * 3600
_FAULTS = (SQLAlchemyError, redis.RedisError)


def _now() -> datetime:
    return datetime.now(UTC)


def _lease(raw: str | None, default: int) -> int:
    """Return the lease the hub granted in ``hub.lease_seconds``, else ``default``."""
    if raw and raw.strip().isdigit() and int(raw) > 0:
        return min(int(raw), MAX_LEASE_S)
    return default


def verification_problem(
    sub: Subscription | None, mode: str, topic: str, challenge: str | None
) -> str | None:
    """Return None when a hub's GET on ``sub``'s callback is one we expect, else the reason.

    Reasons: ``unknown_callback``, ``topic_mismatch``, ``unknown_mode``, ``no_challenge``,
    ``not_requested`` (a mode we are not waiting for, e.g. an unsubscription we never asked).
    """
    if sub is None:
        return "unknown_callback"
    if topic != sub.topic_url:
        return "topic_mismatch"
    if mode == "denied":
        return None
    if mode not in ("subscribe", "unsubscribe"):
        return "unknown_mode"
    if not challenge:
        return "no_challenge"
    if mode == sub.pending_mode:
        return None
    if mode == "subscribe" and sub.state == "active" and sub.feed_id is not None:
        return None  # the hub re-verifying a subscription we hold and want
    return "not_requested"


class Callback:
    """What the endpoint does, apart from HTTP: run in worker threads (it does blocking I/O)."""

    def __init__(self, settings: Settings, engine: Engine, conn: redis.Redis) -> None:
        self.poller = Poller(settings, engine, conn)
        self.store = SubscriptionStore(self.poller.sessions, watch_removals=True)
        self.default_lease_s = settings.websub_lease_s
        #: Pushed bodies above this are not read (the parser refuses larger feeds anyway).
        self.max_body = min(settings.fetch_max_bytes, MAX_FEED_BYTES)

    def subscription(self, token: str) -> Subscription | None:
        """Return the subscription of the callback ``token``, else None."""
        return self.store.by_token(token)

    def verify(self, token: str, params: Mapping[str, str]) -> tuple[int, str]:
        """Answer a hub's GET on a callback; return the status and the plain-text body.

        200 with the challenge echoed for a verification we expect, 200 for a denial
        recorded, 404 for anything else, 503 when the database is unreachable.
        """
        mode = params.get("hub.mode", "")
        topic = params.get("hub.topic", "")
        challenge = params.get("hub.challenge")
        try:
            sub = self.store.by_token(token)
            problem = verification_problem(sub, mode, topic, challenge)
            if problem is not None or sub is None:
                log.warning(
                    "websub_verification_rejected",
                    reason=problem,
                    mode=mode[:32],
                    topic_url=topic[:2048],
                    hub_url=sub.hub_url if sub is not None else None,
                )
                return 404, ""
            now = _now()
            fields = {"feed_id": sub.feed_id, "hub_url": sub.hub_url, "topic_url": sub.topic_url}
            if mode == "denied":
                reason = params.get("hub.reason", "")[:500]
                self.store.denied(sub, reason, now)
                log.warning("websub_denied", reason=reason or None, **fields)
                return 200, ""
            if mode == "subscribe":
                lease_s = _lease(params.get("hub.lease_seconds"), self.default_lease_s)
                self.store.verified(sub, lease_s, now)
                log.info("websub_subscribed", lease_s=lease_s, **fields)
            else:
                self.store.drop(sub)
                log.info("websub_unsubscribed", **fields)
        except _FAULTS as exc:
            log.error(
                "websub_callback_failed", method="GET", reason=type(exc).__name__, error=str(exc)
            )
            return 503, ""
        return 200, challenge or ""

    def push(
        self, sub: Subscription, body: bytes, signature: str | None, content_type: str | None
    ) -> int:
        """Process one pushed body for ``sub``; return the HTTP status to answer.

        200 whether the push was processed or ignored (the reason is logged), 410 when the
        feed is gone, 503 when the database or Redis failed (the hub will retry).
        """
        started = time.perf_counter()
        fields = {"feed_id": sub.feed_id, "hub_url": sub.hub_url, "topic_url": sub.topic_url}
        problem = signature_problem(signature, sub.secret, body)
        if problem is not None:
            log.warning("websub_push_rejected", reason=problem, bytes=len(body), **fields)
            return 200
        try:
            headers = {"content-type": content_type} if content_type else None
            parsed = parse_source(body, url=sub.topic_url, headers=headers)
        except NotAFeed as exc:
            log.warning(
                "websub_push_rejected",
                reason="not_a_feed",
                detail=str(exc),
                bytes=len(body),
                **fields,
            )
            return 200
        if sub.feed_id is None:
            return 410
        try:
            new = self.poller.record_pushed(sub.feed_id, parsed)
            if new is not None:
                self.store.pushed(sub, new, _now())
        except _FAULTS as exc:
            log.error(
                "websub_callback_failed", method="POST", reason=type(exc).__name__, error=str(exc)
            )
            return 503
        if new is None:
            log.warning("websub_push_rejected", reason="feed_removed", bytes=len(body), **fields)
            return 410
        log.info(
            "websub_push_received",
            entries=len(parsed.entries),
            new_entries=new,
            bytes=len(body),
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            **fields,
        )
        return 200


def _token(path: str) -> str:
    """Return the last non-empty segment of a callback path: the subscription's token."""
    return next((seg for seg in reversed(path.split("/")) if seg), "")


async def _read_capped(request: Request, cap: int) -> bytes | None:
    """Return the request body, or None as soon as it proves longer than ``cap`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            return None
    return bytes(body)


def create_app(callback: Callback) -> FastAPI:
    """Return the ASGI app serving ``callback`` on every path (the token is the last segment)."""
    app = FastAPI(title="newswire WebSub callback", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/{path:path}")
    async def verify(path: str, request: Request) -> Response:
        status, text = await run_in_threadpool(
            callback.verify, _token(path), dict(request.query_params)
        )
        return PlainTextResponse(text, status_code=status)

    @app.post("/{path:path}")
    async def push(path: str, request: Request) -> Response:
        try:
            sub = await run_in_threadpool(callback.subscription, _token(path))
        except _FAULTS as exc:
            log.error(
                "websub_callback_failed", method="POST", reason=type(exc).__name__, error=str(exc)
            )
            return Response(status_code=503)
        if sub is None or sub.feed_id is None:
            log.warning("websub_push_rejected", reason="unknown_subscription")
            return Response(status_code=410)
        body = await _read_capped(request, callback.max_body)
        if body is None:
            log.warning(
                "websub_push_rejected",
                reason="body_too_large",
                max_bytes=callback.max_body,
                feed_id=sub.feed_id,
                hub_url=sub.hub_url,
                topic_url=sub.topic_url,
            )
            return Response(status_code=200)
        status = await run_in_threadpool(
            callback.push,
            sub,
            body,
            request.headers.get("x-hub-signature"),
            request.headers.get("content-type"),
        )
        return Response(status_code=status)

    return app
