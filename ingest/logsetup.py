"""Process-wide structured logging: JSON lines when stdout is not a TTY, console when it is.

Standard-library loggers (rq, alembic, urllib3) are routed through the same structlog
processors, so every line a process prints has one shape. Context bound with
``structlog.contextvars`` (trace_id, article_key, stage, job_id) appears on every line
logged while it is bound, including rq's own.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

_configured = False


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]


def configure_logging(log_format: str = "auto", level: str = "INFO") -> None:
    """Configure structlog and stdlib logging for this process (idempotent; last call wins)."""
    global _configured
    use_json = log_format == "json" or (log_format == "auto" and not sys.stdout.isatty())
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=False)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())
    )
    processors = _shared_processors()
    structlog.configure(
        processors=[
            *processors,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: a cached logger ignores later reconfiguration (capture_logs in tests,
        # a CLI command reconfiguring), and caching saves only microseconds per line.
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=processors,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # rq attaches its own handler and format; route it through ours instead. Its per-job INFO
    # lines repeat our one ``job_done`` summary per job, so below DEBUG it says only warnings.
    for name in ("rq", "rq.worker", "rq.scheduler", "rq.job", "rq.queue"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
        lg.setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    # Chatty libraries: their INFO lines would drown ours.
    for name in ("urllib3", "trafilatura", "htmldate", "courlan", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    _configured = True


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """Return a structlog logger; configures console/JSON defaults on first use."""
    if not _configured:
        configure_logging()
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
