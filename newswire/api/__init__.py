"""``newswire serve``: a read-only HTTP API over the stored events and a dashboard beside it.

``create_app(settings)`` (in :mod:`newswire.api.app`) builds the FastAPI application; the
dashboard's files live in ``static/`` and need nothing from the network.
"""
