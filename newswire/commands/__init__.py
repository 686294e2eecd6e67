"""Optional command groups: each module here defines ``register(main)`` and is added at start.

Keeping each verb family in its own module (``serve``, ``failed``, ``reprocess``...) lets it
import its machinery lazily and keeps ``cli.py`` small.
"""

from __future__ import annotations

import importlib
import pkgutil

import click


def register_all(main: click.Group) -> None:
    """Import every module of this package and let it add its commands to ``main``."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(main)
