"""The only way newswire fetches anything over HTTP: bounded, SSRF-safe GETs on urllib3.

(:func:`post_form` sends the one kind of POST newswire makes, a WebSub subscription request
to a hub named by a feed, under the same rules; it follows no redirect.)

Every URL that comes from a feed is untrusted, so :func:`fetch` refuses private, loopback,
link-local, multicast, reserved and unspecified targets *at connect time*, on the address the
socket is actually connected to (so DNS rebinding and every redirect hop are covered), unless
the address lies in one of the caller's ``allowed_networks``. It follows redirects itself
(counted, loop-checked, each hop re-checked), enforces one total deadline across connect,
headers and body (a server dripping a byte a second fails at the deadline), and caps both the
bytes on the wire and the bytes after gzip/deflate decoding, decoding incrementally so that a
compression bomb costs bounded memory. It never retries: callers decide from ``.transient``.

Error tree (every error carries ``.url``, a snake_case ``.reason`` and ``.transient``)::

    FetchError
    ├── InvalidURL          not http/https, no host, bad port, bad redirect target  (permanent)
    ├── BlockedAddress      target address not public and not in allowed_networks   (permanent)
    ├── TooManyRedirects    more than max_redirects hops, or a redirect loop         (permanent)
    ├── FetchTimeout        connect timeout or total deadline exceeded               (transient)
    ├── BodyTooLarge        wire or decoded size cap exceeded                        (permanent)
    ├── ContentDecodingError  corrupt or unsupported Content-Encoding                 (permanent)
    ├── ConnectError        DNS failure, refused, reset, TLS error, truncated body   (transient)
    └── HTTPStatusError     status >= 400; transient for 408/425/429/5xx, with
                            ``retry_after`` seconds when the server sent Retry-After
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

__all__ = [
    "BlockedAddress",
    "BodyTooLarge",
    "ConnectError",
    "ContentDecodingError",
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "FetchTimeout",
    "HTTPStatusError",
    "InvalidURL",
    "TooManyRedirects",
    "fetch",
    "post_form",
]

MiB = 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Responses that never carry a body (RFC 9110): safe to finish and keep the connection.
_NO_BODY_STATUSES = frozenset({204, 304})
TRANSIENT_STATUSES = frozenset({408, 425, 429})
_CHUNK = 64 * 1024
# Only what we can decode ourselves with bounded output; brotli/zstd are not advertised.
_ACCEPT_ENCODING = "gzip, deflate"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


# --------------------------------------------------------------------------- errors


class FetchError(Exception):
    """Base of every fetch failure: ``url``, snake_case ``reason`` and ``transient``."""

    transient: bool = False

    def __init__(self, url: str, reason: str, message: str | None = None) -> None:
        self.url = url
        self.reason = reason
        super().__init__(message or f"{reason}: {url}")


class InvalidURL(FetchError):
    """The URL is not fetchable: not http/https, no host, bad port."""


class BlockedAddress(FetchError):
    """The target address is private/loopback/link-local/... and not explicitly allowed."""

    def __init__(self, url: str, address: str, reason: str = "blocked_address") -> None:
        self.address = address
        super().__init__(url, reason, f"{reason}: {url} resolves to {address}")


class TooManyRedirects(FetchError):
    """More redirect hops than allowed, or a redirect loop."""


class FetchTimeout(FetchError):
    """Connect timeout or total deadline exceeded."""

    transient = True


class BodyTooLarge(FetchError):
    """The body exceeded the wire or the decoded size cap."""


class ContentDecodingError(FetchError):
    """The body's Content-Encoding is corrupt or not one we decode."""


class ConnectError(FetchError):
    """DNS failure, connection refused or reset, TLS failure, truncated body."""

    transient = True


class HTTPStatusError(FetchError):
    """The server answered with a status >= 400 (other than 304)."""

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        self.status = status
        self.retry_after = retry_after
        self.transient = status in TRANSIENT_STATUSES or 500 <= status <= 599
        super().__init__(url, f"http_{status}", f"HTTP {status}: {url}")


# --------------------------------------------------------------------------- public data


@dataclass(frozen=True)
class FetchLimits:
    """Caps applied to one :func:`fetch` call (redirect hops included)."""

    deadline_s: float = 20.0
    connect_timeout_s: float = 5.0
    max_body_bytes: int = 10 * MiB
    max_decoded_bytes: int = 20 * MiB
    max_redirects: int = 5
    user_agent: str = "newswire/0.1 (+https://github.com/newswire)"


@dataclass(frozen=True)
class FetchResult:
    """A completed fetch: the final URL, status, lower-cased headers and decoded body."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    redirects: tuple[str, ...]
    elapsed_s: float
    not_modified: bool
    #: The status of each redirect hop, in order (301/308 ones are permanent moves).
    redirect_statuses: tuple[int, ...] = ()

    @property
    def permanent_url(self) -> str | None:
        """Return the final URL when every redirect hop was permanent (301/308), else None."""
        if self.redirects and all(st in (301, 308) for st in self.redirect_statuses):
            return self.url
        return None


# --------------------------------------------------------------------------- address policy


class _PeerBlocked(Exception):
    """Raised inside the connection (not an OSError, so urllib3 lets it through unwrapped)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(address)


def _unwrap(ip: IPAddress) -> IPAddress:
    """Return the IPv4 address inside an IPv4-mapped IPv6 address, else ``ip``."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


class _AddressPolicy:
    """Which peer addresses may be connected to: public ones plus ``allowed`` networks."""

    def __init__(self, allowed: Sequence[str]) -> None:
        self.allowed: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(cidr.strip(), strict=False) for cidr in allowed if cidr.strip()
        )

    def permits(self, address: str) -> bool:
        """Return True when a connection to ``address`` (an IP literal) is allowed."""
        ip = _unwrap(ipaddress.ip_address(address.split("%", 1)[0]))
        if any(ip in net for net in self.allowed):
            return True
        special = (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
            or not ip.is_global
        )
        return not special

    def check_socket(self, sock: socket.socket) -> None:
        """Raise _PeerBlocked (closing ``sock``) when its peer is not permitted."""
        peer = str(sock.getpeername()[0])
        if not self.permits(peer):
            sock.close()
            raise _PeerBlocked(peer)


def _literal_ip(host: str) -> IPAddress | None:
    """Return the address a literal host names (incl. 127.1, 0x7f.1, 2130706433), else None."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    # inet_aton accepts the legacy shorthand forms the resolver also accepts; only try it on
    # strings that look numeric, since it is what getaddrinfo would do with them anyway.
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


class _GuardedHTTPConnection(HTTPConnection):
    """HTTP connection that checks the connected peer before a byte is sent."""

    def __init__(self, *args: Any, address_policy: _AddressPolicy, **kwargs: Any) -> None:
        self._address_policy = address_policy
        super().__init__(*args, **kwargs)

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self._address_policy.check_socket(sock)
        return sock


class _GuardedHTTPSConnection(HTTPSConnection):
    """HTTPS connection that checks the connected peer before the TLS handshake."""

    def __init__(self, *args: Any, address_policy: _AddressPolicy, **kwargs: Any) -> None:
        self._address_policy = address_policy
        super().__init__(*args, **kwargs)

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self._address_policy.check_socket(sock)
        return sock


class _GuardedPoolManager(urllib3.PoolManager):
    """PoolManager whose pools build guarded connections under one address policy.

    One manager per policy, so a connection admitted under a permissive policy is never
    reused by a call with a stricter one.
    """

    def __init__(self, policy: _AddressPolicy) -> None:
        super().__init__(num_pools=32, maxsize=4, block=False)
        self._policy = policy

    def _new_pool(
        self,
        scheme: str,
        host: str,
        port: int,
        request_context: dict[str, Any] | None = None,
    ) -> HTTPConnectionPool:
        pool = super()._new_pool(scheme, host, port, request_context)
        pool.ConnectionCls = (
            _GuardedHTTPSConnection if scheme == "https" else _GuardedHTTPConnection
        )
        pool.conn_kw["address_policy"] = self._policy
        return pool


_managers: dict[tuple[str, ...], _GuardedPoolManager] = {}
_managers_by_arg: dict[tuple[str, ...], _GuardedPoolManager] = {}
_managers_lock = threading.Lock()


def _manager_for(allowed: Sequence[str]) -> tuple[_GuardedPoolManager, _AddressPolicy]:
    """Return the shared pool manager (and its policy) for this set of allowed networks."""
    # Fast path without parsing the networks again: this runs once per request.
    fast = _managers_by_arg.get(tuple(allowed))
    if fast is not None:
        return fast, fast._policy
    policy = _AddressPolicy(allowed)
    key = tuple(sorted(str(net) for net in policy.allowed))
    with _managers_lock:
        manager = _managers.get(key)
        if manager is None:
            if len(_managers) >= 16:  # policies are few in practice; bound the cache anyway
                _managers.pop(next(iter(_managers))).clear()
                _managers_by_arg.clear()
            manager = _managers[key] = _GuardedPoolManager(policy)
        if len(_managers_by_arg) >= 64:
            _managers_by_arg.clear()
        _managers_by_arg[tuple(allowed)] = manager
    return manager, manager._policy


# --------------------------------------------------------------------------- helpers


def _validate_url(url: str) -> str:
    """Return ``url`` if fetchable, else raise InvalidURL."""
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise InvalidURL(url, "url_control_chars")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(url, "bad_port" if "port" in str(exc).lower() else "bad_url") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidURL(url, "unsupported_scheme")
    if not parts.hostname:
        raise InvalidURL(url, "no_host")
    if port is not None and not 0 < port < 65536:
        raise InvalidURL(url, "bad_port")
    return url


def _retry_after(value: str | None) -> float | None:
    """Return Retry-After as seconds from now (delta-seconds or HTTP-date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _Decoder:
    """Incremental gzip/deflate decoder with a hard cap on total output."""

    def __init__(self, encoding: str, url: str, cap: int) -> None:
        self.url = url
        self.cap = cap
        self.total = 0
        self.encoding = encoding
        self._deflate_raw_fallback = encoding == "deflate"
        self._obj: Any = self._new()

    def _new(self) -> Any:
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS)

    def feed(self, data: bytes, out: bytearray) -> None:
        """Decode ``data`` into ``out``; raise BodyTooLarge past the cap."""
        while data:
            room = self.cap - self.total + 1  # one byte more than allowed detects overflow
            try:
                chunk = self._obj.decompress(data, room)
            except zlib.error as exc:
                if self._deflate_raw_fallback and self.total == 0:
                    # Some servers send raw deflate without the zlib header.
                    self._deflate_raw_fallback = False
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise ContentDecodingError(self.url, "bad_content_encoding") from exc
            self._deflate_raw_fallback = False
            self.total += len(chunk)
            if self.total > self.cap:
                raise BodyTooLarge(self.url, "decoded_too_large")
            out += chunk
            if self._obj.unconsumed_tail:
                data = self._obj.unconsumed_tail
            elif self._obj.eof and self._obj.unused_data:
                # Concatenated gzip members are legal.
                data = self._obj.unused_data
                self._obj = self._new()
            else:
                data = b""

    def finish(self, out: bytearray) -> None:
        """Flush the decoder into ``out``."""
        tail = self._obj.flush()
        self.total += len(tail)
        if self.total > self.cap:
            raise BodyTooLarge(self.url, "decoded_too_large")
        out += tail


def _set_read_timeout(resp: Any, remaining: float) -> None:
    """Shrink the socket's timeout to the time left, so no single recv outlives the deadline."""
    sock = getattr(getattr(resp, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(max(remaining, 0.001))


def _map_urllib3(url: str, exc: BaseException) -> FetchError:
    """Return the FetchError for a urllib3/socket exception (mapped once, here)."""
    if isinstance(exc, NameResolutionError):
        return ConnectError(url, "dns_failure", str(exc))
    if isinstance(exc, NewConnectionError):
        text = str(exc).lower()
        reason = "connection_refused" if "refused" in text else "connect_failed"
        return ConnectError(url, reason, str(exc))
    if isinstance(exc, ConnectTimeoutError):
        return FetchTimeout(url, "connect_timeout", str(exc))
    if isinstance(exc, ReadTimeoutError | TimeoutError | socket.timeout):
        return FetchTimeout(url, "deadline_exceeded", str(exc))
    if isinstance(exc, SSLError):
        return ConnectError(url, "tls_error", str(exc))
    if isinstance(exc, LocationParseError):
        return InvalidURL(url, "bad_url", str(exc))
    if isinstance(exc, ProtocolError):
        text = str(exc).lower()
        reason = "incomplete_body" if "incomplete" in text else "connection_reset"
        return ConnectError(url, reason, str(exc))
    return ConnectError(url, "http_error" if isinstance(exc, HTTPError) else "os_error", str(exc))


# --------------------------------------------------------------------------- fetch


def fetch(
    url: str,
    *,
    limits: FetchLimits = FetchLimits(),
    allowed_networks: Sequence[str] = (),
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = "*/*",
) -> FetchResult:
    """GET ``url`` within ``limits`` and return the final response, decoded.

    Returns a FetchResult for any status < 400 and for 304 (``not_modified=True``, empty
    body). Raises a :class:`FetchError` subclass for everything else; see the module doc.
    """
    start = time.monotonic()
    deadline = start + limits.deadline_s
    manager, policy = _manager_for(allowed_networks)
    headers = {
        "User-Agent": limits.user_agent,
        "Accept": accept,
        "Accept-Encoding": _ACCEPT_ENCODING,
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    current = _validate_url(url)
    redirects: list[str] = []
    hop_statuses: list[int] = []
    seen = {current}
    while True:
        resp = _open(manager, policy, current, headers=headers, limits=limits, deadline=deadline)
        try:
            status = resp.status
            location = resp.headers.get("location")
            if status in REDIRECT_STATUSES and location:
                nxt = urljoin(current, location.strip())
                redirects.append(nxt)
                hop_statuses.append(status)
                if nxt in seen:
                    raise TooManyRedirects(current, "redirect_loop", f"redirect loop via {nxt}")
                if len(redirects) > limits.max_redirects:
                    raise TooManyRedirects(current, "too_many_redirects")
                try:
                    _validate_url(nxt)
                except InvalidURL as exc:
                    raise InvalidURL(nxt, f"redirect_{exc.reason}") from exc
                seen.add(nxt)
                current = nxt
                continue
            if status == 304:
                return FetchResult(
                    url=current,
                    status=304,
                    headers=_headers(resp),
                    body=b"",
                    redirects=tuple(redirects),
                    elapsed_s=time.monotonic() - start,
                    not_modified=True,
                    redirect_statuses=tuple(hop_statuses),
                )
            if status >= 400:
                raise HTTPStatusError(
                    current, status, _retry_after(resp.headers.get("retry-after"))
                )
            body = _read_body(resp, current, limits, deadline)
            return FetchResult(
                url=current,
                status=status,
                headers=_headers(resp),
                body=body,
                redirects=tuple(redirects),
                elapsed_s=time.monotonic() - start,
                not_modified=False,
                redirect_statuses=tuple(hop_statuses),
            )
        finally:
            # Unread bodies (redirects, errors, aborted streams) make the connection unusable,
            # so close it rather than drain a possibly endless body. A 304 or 204 has no body
            # by definition: finishing it keeps the keep-alive connection (closing it made every
            # conditional check of a feed open a new TCP connection).
            if not resp.isclosed():
                if resp.status in _NO_BODY_STATUSES:
                    resp.drain_conn()
                else:
                    resp.close()
            resp.release_conn()


def _headers(resp: Any) -> Mapping[str, str]:
    """Return the response's headers, lower-cased, each repeated one comma-joined.

    Servers split list headers over several lines (Link: a WebSub hub and the feed's self URL;
    Cache-Control: max-age and no-cache...). RFC 9110 makes the lines one comma-separated
    value, which is what indexing urllib3's header dict gives; its ``items()`` would keep
    only the last line.
    """
    return MappingProxyType({k.lower(): resp.headers[k] for k in resp.headers})


def post_form(
    url: str,
    fields: Mapping[str, str],
    *,
    limits: FetchLimits = FetchLimits(),
    allowed_networks: Sequence[str] = (),
) -> FetchResult:
    """POST ``fields`` form-encoded to ``url`` under the same address policy and caps as fetch.

    Redirects are not followed (re-sending a form to wherever a server points is not ours to
    decide): a 3xx comes back as a FetchResult like any status < 400, and the caller judges
    it. Returns the FetchResult; raises a :class:`FetchError` subclass as :func:`fetch` does.
    """
    start = time.monotonic()
    deadline = start + limits.deadline_s
    manager, policy = _manager_for(allowed_networks)
    headers = {
        "User-Agent": limits.user_agent,
        "Accept": "*/*",
        "Accept-Encoding": _ACCEPT_ENCODING,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    current = _validate_url(url)
    body = urlencode(fields).encode("ascii")
    resp = _open(
        manager,
        policy,
        current,
        headers=headers,
        limits=limits,
        deadline=deadline,
        method="POST",
        body=body,
    )
    try:
        if resp.status >= 400:
            raise HTTPStatusError(
                current, resp.status, _retry_after(resp.headers.get("retry-after"))
            )
        return FetchResult(
            url=current,
            status=resp.status,
            headers=_headers(resp),
            body=_read_body(resp, current, limits, deadline),
            redirects=(),
            elapsed_s=time.monotonic() - start,
            not_modified=False,
        )
    finally:
        if not resp.isclosed():
            resp.close()
        resp.release_conn()


def _open(
    manager: _GuardedPoolManager,
    policy: _AddressPolicy,
    url: str,
    *,
    headers: Mapping[str, str],
    limits: FetchLimits,
    deadline: float,
    method: str = "GET",
    body: bytes | None = None,
) -> Any:
    """Send the request for one hop and return the response with headers read."""
    host = urlsplit(url).hostname or ""
    literal = _literal_ip(host)
    # Literal addresses are refused before connecting, for a clear reason and no packet sent;
    # the connect-time check below still covers every name that resolves somewhere private.
    if literal is not None and not policy.permits(str(literal)):
        raise BlockedAddress(url, str(literal))
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeout(url, "deadline_exceeded")
    timeout = urllib3.Timeout(connect=min(limits.connect_timeout_s, remaining), read=remaining)
    try:
        return manager.request(
            method,
            url,
            body=body,
            headers=dict(headers),
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=False,
            timeout=timeout,
        )
    except _PeerBlocked as exc:
        raise BlockedAddress(url, exc.address) from exc
    except (HTTPError, OSError) as exc:
        raise _map_urllib3(url, exc) from exc
    except ValueError as exc:  # e.g. IDNA failures on odd host names
        raise InvalidURL(url, "bad_url", str(exc)) from exc


def _read_body(resp: Any, url: str, limits: FetchLimits, deadline: float) -> bytes:
    """Stream and decode the body, enforcing the deadline and both size caps."""
    length = resp.headers.get("content-length")
    if length and length.strip().isdigit() and int(length) > limits.max_body_bytes:
        raise BodyTooLarge(url, "content_length_too_large")
    encoding = (resp.headers.get("content-encoding") or "").strip().lower()
    decoder: _Decoder | None = None
    if encoding in ("gzip", "x-gzip"):
        decoder = _Decoder("gzip", url, limits.max_decoded_bytes)
    elif encoding == "deflate":
        decoder = _Decoder("deflate", url, limits.max_decoded_bytes)
    elif encoding not in ("", "identity"):
        raise ContentDecodingError(url, "unsupported_content_encoding")

    out = bytearray()
    wire = 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchTimeout(url, "deadline_exceeded")
            _set_read_timeout(resp, remaining)
            chunk = resp.read1(_CHUNK, decode_content=False)
            if not chunk:
                break
            wire += len(chunk)
            if wire > limits.max_body_bytes:
                raise BodyTooLarge(url, "body_too_large")
            if decoder is None:
                if len(out) + len(chunk) > limits.max_decoded_bytes:
                    raise BodyTooLarge(url, "decoded_too_large")
                out += chunk
            else:
                decoder.feed(chunk, out)
        if decoder is not None:
            decoder.finish(out)
    except FetchError:
        raise
    except (HTTPError, OSError) as exc:
        raise _map_urllib3(url, exc) from exc
    return bytes(out)
