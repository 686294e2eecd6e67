"""The FastAPI application: read-only routes, uniform errors, the dashboard's static files."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import redis
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.db import session_factory
from ingest.logsetup import get_logger
from ingest.settings import Settings
from newswire.api import metrics, routes_articles, routes_events, routes_pipeline
from newswire.api.deps import single_values
from newswire.api.models import ErrorOut
from newswire.api.readonly import readonly_engine

STATIC = Path(__file__).resolve().parent / "static"
log = get_logger("newswire.api")


def _where(loc: Any) -> str:
    """Return a validation error's location as people say it ("query parameter 'since'")."""
    parts = [str(p) for p in loc]
    if len(parts) >= 2 and parts[0] in ("query", "path"):
        return f"{parts[0]} parameter {parts[1]!r}"
    return " → ".join(parts) or "request"


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only loc/msg/type go back: pydantic's "ctx" can hold exception objects, and "input"
    # echoes whatever the client sent.
    detail = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    message = "; ".join(f"{_where(d['loc'])}: {d['msg']}" for d in detail)
    return JSONResponse({"detail": detail, "message": message}, status_code=422)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        {"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    # Logged in full for the operator; the client learns only that the database is at fault.
    log.error("api_database_error", path=request.url.path, error=str(exc).splitlines()[0])
    return JSONResponse({"detail": "the database is unavailable; try again"}, status_code=503)


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("api_internal_error", path=request.url.path, error=repr(exc), exc_info=exc)
    return JSONResponse({"detail": "internal error (logged on the server)"}, status_code=500)


def _redis_factory(settings: Settings) -> Callable[[], redis.Redis] | None:
    """Return a maker of one shared Redis client, or None when no server is configured.

    The embedded Redis belongs to the process that started it (``newswire run``): a server
    with no ``NEWSWIRE_REDIS_URL`` shows no queue depths rather than start a second one.
    """
    url = settings.redis_url
    if not url:
        return None

    @lru_cache(maxsize=1)
    def make() -> redis.Redis:
        return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)

    return make


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """Return the API and dashboard application reading ``settings``' database, read-only.

    ``engine`` replaces the read-only engine made from the settings (it must be read-only
    too). Raises FileNotFoundError when the SQLite database does not exist.
    """
    engine = engine or readonly_engine(settings.effective_database_url)
    app = FastAPI(
        title="newswire",
        version="0.1.0",
        summary="Coded conflict events from news feeds, with their evidence; read-only.",
        description=(
            "Events are ACLED-style codings merged over every article that reports them; "
            "each mention is the sentence it was coded from. Bad parameters are answered with "
            "422 and a `message` naming the parameter. The dashboard is at `/`."
        ),
        responses={503: {"model": ErrorOut, "description": "the database is unavailable"}},
        # Swagger UI and ReDoc load their scripts from a CDN; the server works offline, so
        # it offers the schema itself (/openapi.json) and no page that would fail to load.
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(single_values)],
    )
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.redis_factory = _redis_factory(settings)
    app.state.metrics_registry = metrics.metrics_registry(
        app.state.sessions, app.state.redis_factory
    )
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _internal_error)
    for module in (routes_events, routes_articles, routes_pipeline, metrics):
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    def dashboard() -> RedirectResponse:
        return RedirectResponse("/dashboard/")

    app.mount("/dashboard", StaticFiles(directory=STATIC, html=True), name="dashboard")
    return app
