"""The composition root: the ``newswire`` CLI, the process supervisor and the demo."""

__version__ = "0.1.0"
