"""WebSub (W3C Recommendation, formerly PubSubHubbub) subscriber: feeds pushed to us by hubs.

WebSub is a speed-up, never a replacement for polling: a hub can fail silently, so every
feed is still polled on its cadence. The parts, each in its own module:

- :mod:`~ingest.websub.links`: which hub and topic a fetched feed advertises (``rel="hub"``
  and ``rel="self"`` in the document or in HTTP ``Link`` headers).
- :mod:`~ingest.websub.store`: one ``websub_subscriptions`` row per feed with a hub; the
  poller records discoveries there, and the rows carry state, lease, token and secret.
- :mod:`~ingest.websub.subscriber`: sends subscribe / renew / unsubscribe requests to hubs
  through :func:`ingest.safehttp.post_form`, only when ``NEWSWIRE_WEBSUB_CALLBACK_URL`` is set.
- :mod:`~ingest.websub.signature`: the ``X-Hub-Signature`` HMAC check.
- :mod:`~ingest.websub.callback`: the callback endpoint: intent verification (GET) and
  content distribution (POST), whose entries go through the poller's own recording path.
- :mod:`~ingest.websub.daemon`: ``newswire websub``: the callback server plus the renewals.

This package imports nothing at import time, so the poller can import the store without
pulling in the web server (and the callback, which imports the poller, without a cycle).
"""
