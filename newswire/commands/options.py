"""Command-line options that several ``newswire`` daemons share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def listen_options(env_prefix: str, default_port: int) -> Callable[[F], F]:
    """Return a decorator adding ``--host`` and ``--port`` (``{env_prefix}_HOST``/``_PORT``)."""

    def decorate(func: F) -> F:
        func = click.option(
            "--port",
            envvar=f"{env_prefix}_PORT",
            type=click.IntRange(0, 65535),
            default=default_port,
            show_default=True,
            show_envvar=True,
            help="TCP port to listen on.",
        )(func)
        return click.option(
            "--host",
            envvar=f"{env_prefix}_HOST",
            default="127.0.0.1",
            show_default=True,
            show_envvar=True,
            help="Address to listen on (0.0.0.0 for every interface).",
        )(func)

    return decorate
