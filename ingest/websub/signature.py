"""The ``X-Hub-Signature`` check of WebSub content distribution (WebSub §8).

The hub signs each pushed body with the subscription's secret: ``X-Hub-Signature:
method=signature``, where ``method`` is one of sha1, sha256, sha384 and sha512 and
``signature`` the hex HMAC of the body. A push that fails the check is not processed.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["ALGORITHMS", "sign", "signature_problem"]

#: The HMAC methods WebSub names, mapped to hashlib's constructors.
ALGORITHMS = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
}


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    """Return the ``X-Hub-Signature`` value for ``body`` signed with ``secret``."""
    digest = hmac.new(secret.encode("utf-8"), body, ALGORITHMS[method]).hexdigest()
    return f"{method}={digest}"


def signature_problem(header: str | None, secret: str, body: bytes) -> str | None:
    """Return None when ``header`` is a valid signature of ``body``, else the reason it is not.

    Reasons: ``missing_signature``, ``malformed_signature``, ``unsupported_signature_method``,
    ``bad_signature``.
    """
    if not header or not header.strip():
        return "missing_signature"
    method, eq, given = header.strip().partition("=")
    if not eq or not given:
        return "malformed_signature"
    algorithm = ALGORITHMS.get(method.strip().lower())
    if algorithm is None:
        return "unsupported_signature_method"
    expected = hmac.new(secret.encode("utf-8"), body, algorithm).hexdigest()
    # Constant time: the comparison must not tell an attacker how much of a guess was right.
    # Bytes, not str: compare_digest refuses non-ASCII str, and header values may be anything.
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode("utf-8", "replace")):
        return "bad_signature"
    return None
