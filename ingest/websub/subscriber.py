"""Sends WebSub subscription requests to hubs: first subscriptions, renewals, cancellations.

Nothing here runs unless ``NEWSWIRE_WEBSUB_CALLBACK_URL`` is set (:meth:`Subscriber.from_settings`
returns None otherwise), so no hub hears from a deployment that did not ask for WebSub.

Each due row is claimed (so one of several subscriber processes sends), marked as awaiting
the hub's verification, then its request is POSTed with :func:`ingest.safehttp.post_form`: the
hub URL comes from a feed and is as untrusted as any feed URL. A hub answers 202 and later
verifies intent by calling our callback; the callback activates the row and schedules its
renewal at :data:`~ingest.websub.store.RENEW_AT` of the granted lease. A request that fails,
or that the hub never verifies, is retried with backoff. A row whose feed was deleted is
unsubscribed, then removed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from ingest.logsetup import get_logger
from ingest.safehttp import FetchError, FetchLimits, post_form
from ingest.settings import Settings
from ingest.websub.store import Subscription, SubscriptionStore

__all__ = ["VERIFY_WAIT_S", "Subscriber"]

log = get_logger("newswire.websub")

#: How long a hub has to verify a request before it is sent again (doubling per failure).
VERIFY_WAIT_S = 3600.0
MAX_VERIFY_WAIT_S = 24 * 3600.0
#: An unsubscription not verified after this many tries is dropped: the lease lapses anyway.
MAX_UNSUBSCRIBE_ATTEMPTS = 5
#: A hub's answer to a subscription request is a status line; more is not read.
MAX_HUB_RESPONSE_BYTES = 64 * 1024


class Subscriber:
    """Sends the subscription requests that are due, through the safe HTTP client."""

    def __init__(self, settings: Settings, store: SubscriptionStore, *, callback_url: str) -> None:
        self.settings = settings
        self.store = store
        self.callback_base = callback_url.rstrip("/")
        self.limits = FetchLimits(
            deadline_s=settings.fetch_deadline_s,
            max_body_bytes=MAX_HUB_RESPONSE_BYTES,
            max_decoded_bytes=MAX_HUB_RESPONSE_BYTES,
            user_agent=settings.user_agent,
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, sessions: sessionmaker[Session]
    ) -> Subscriber | None:
        """Return a subscriber, or None when WebSub is off (no callback URL configured)."""
        if settings.websub_callback_url is None:
            return None
        store = SubscriptionStore(sessions, watch_removals=True)
        return cls(settings, store, callback_url=settings.websub_callback_url)

    def callback_for(self, sub: Subscription) -> str:
        """Return the callback URL of ``sub``: the public base plus its secret token."""
        return f"{self.callback_base}/{sub.token}"

    def run_due(self, now: datetime | None = None, limit: int = 100) -> int:
        """Send every request that is due (up to ``limit``); return how many hubs accepted one."""
        now = now or datetime.now(UTC)
        accepted = 0
        for sub in self.store.due(now, limit):
            mode = "subscribe" if sub.feed_id is not None else "unsubscribe"
            attempts = sub.attempts
            if sub.pending_mode is not None and sub.next_action_at <= now:
                # The hub took the request but never verified it in time: a silent failure.
                attempts += 1
                self._log_failure(sub, sub.pending_mode, "verification_timeout", attempts, None)
            never_subscribed = sub.state in ("discovered", "denied", "failed")
            if mode == "unsubscribe" and (
                (never_subscribed and sub.pending_mode is None)
                or attempts >= MAX_UNSUBSCRIBE_ATTEMPTS
            ):
                # Never subscribed (or the hub will not confirm): nothing to cancel there.
                self.store.drop(sub)
                log.info(
                    "websub_subscription_dropped",
                    hub_url=sub.hub_url,
                    topic_url=sub.topic_url,
                    reason="gave_up" if attempts >= MAX_UNSUBSCRIBE_ATTEMPTS else "never_active",
                )
                continue
            current = replace(sub, attempts=attempts)
            # How long the hub has to verify before we ask again; longer after each silence.
            wait = min(VERIFY_WAIT_S * 2 ** min(attempts, 5), MAX_VERIFY_WAIT_S)
            if self.store.claim(current, mode, now, hold_s=wait) and self._send(current, mode, now):
                accepted += 1
        return accepted

    def _send(self, sub: Subscription, mode: str, now: datetime) -> bool:
        """POST one request to the hub; return True when the hub accepted it (2xx)."""
        fields = {
            "hub.mode": mode,
            "hub.topic": sub.topic_url,
            "hub.callback": self.callback_for(sub),
        }
        if mode == "subscribe":
            fields["hub.lease_seconds"] = str(self.settings.websub_lease_s)
            fields["hub.secret"] = sub.secret
        try:
            res = post_form(
                sub.hub_url,
                fields,
                limits=self.limits,
                allowed_networks=self.settings.allow_private_networks,
            )
        except FetchError as exc:
            reason = exc.reason
        else:
            if 200 <= res.status < 300:
                log.info(
                    "websub_subscribe_requested",
                    feed_id=sub.feed_id,
                    hub_url=sub.hub_url,
                    topic_url=sub.topic_url,
                    mode=mode,
                    status=res.status,
                )
                return True
            reason = f"http_{res.status}"  # a redirect: not followed for a form POST
        delay = self.store.request_failed(sub, mode, reason, now)
        self._log_failure(sub, mode, reason, sub.attempts + 1, delay)
        return False

    @staticmethod
    def _log_failure(
        sub: Subscription, mode: str, reason: str, attempts: int, retry_in_s: float | None
    ) -> None:
        log.warning(
            "websub_subscribe_failed",
            feed_id=sub.feed_id,
            hub_url=sub.hub_url,
            topic_url=sub.topic_url,
            mode=mode,
            reason=reason,
            attempts=attempts,
            retry_in_s=retry_in_s,
        )
