"""Raw archive: every fetched response, as fetched, in rotating WARC files (warcio).

The archive is what lets the pipeline re-extract everything when the extractors improve
(``newswire reprocess``) without fetching a page twice.

Layout and concurrency: each writing process owns its own file, named
``newswire-<UTC start>-<host>-<pid>-<token>-<n>.warc.gz``, so several worker processes (on one
machine or several sharing a disk) never write into the same file and need no lock between
them. A file is closed and the next one started when it reaches ``max_bytes`` or is older than
``max_age_s``, and after a fork (the child gets a file of its own). Every record is its own
gzip member, written with one ``write`` and flushed, so its (file, offset) stays valid forever
and a crash can at worst leave a truncated last record, which readers skip.

Each response record carries the status line, the headers and the body as the pipeline
received them. The body is stored decoded (safehttp undoes Content-Encoding), so the
Content-Encoding / Transfer-Encoding / Content-Length headers are kept under an
``X-Archive-Orig-`` prefix rather than describing a body they no longer match. The
``Newswire-Meta`` WARC header holds the pipeline's own facts about the fetch (article key,
feed, entry...) as ASCII JSON.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import secrets
import socket
import threading
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

__all__ = [
    "ArchiveError",
    "ArchiveRef",
    "ArchivedResponse",
    "WarcArchive",
    "archive_files",
    "iter_archive",
    "read_record",
]

#: Default rotation: a file is closed at this size or age, whichever comes first.
MAX_BYTES = 256 * 1024 * 1024
MAX_AGE_S = 3600.0
#: gzip level of each record. Measured on the extraction pages (bench/RESULTS.md): level 9
#: (warcio's own) costs ~8 ms a page for 21 % of the HTML's size, level 3 ~6 ms for 24 %,
#: level 1 ~3 ms for 25 %; the fetch stage pays it on every page, so a fast level wins.
COMPRESS_LEVEL = 1
META_HEADER = "Newswire-Meta"
_SUFFIX = ".warc.gz"
_GZIP_MAGIC = b"\x1f\x8b"
_PREFIX = "newswire"
#: Headers that describe the bytes on the wire, not the decoded body we store.
_WIRE_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


class ArchiveError(Exception):
    """An archive record that cannot be read: missing file, bad offset, not a response."""


@dataclass(frozen=True)
class ArchiveRef:
    """Where a record lives: the file's name inside the archive directory and its offset."""

    file: str
    offset: int


@dataclass(frozen=True)
class ArchivedResponse:
    """One archived response as read back: where it is, what was fetched, and when."""

    ref: ArchiveRef
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    meta: dict[str, Any] = field(default_factory=dict)


def _file_start(name: str) -> datetime | None:
    """Return the UTC start time encoded in an archive file's name, or None if not ours."""
    parts = name.split("-")
    if len(parts) < 3 or parts[0] != _PREFIX:
        return None
    try:
        return datetime.strptime(parts[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


class WarcArchive:
    """A per-process writer of rotating WARC files under ``directory``.

    Thread-safe within a process; safe across processes because each process writes its own
    files (the pid and a random token are in the name).
    """

    def __init__(
        self,
        directory: Path,
        *,
        max_bytes: int = MAX_BYTES,
        max_age_s: float = MAX_AGE_S,
        compress_level: int = COMPRESS_LEVEL,
    ) -> None:
        if max_bytes <= 0 or max_age_s <= 0:
            raise ValueError("max_bytes and max_age_s must be positive")
        if not 0 <= compress_level <= 9:
            raise ValueError("compress_level must be in 0..9")
        self.compress_level = compress_level
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.max_age_s = max_age_s
        self._lock = threading.Lock()
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._opened_at = 0.0
        self._pid = os.getpid()
        self._token = secrets.token_hex(3)
        self._count = 0

    @property
    def current_file(self) -> Path | None:
        """Return the file being written, or None before the first record."""
        return self._path

    def _open(self, now: datetime) -> BinaryIO:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._count += 1
        host = "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:32] or "host"
        name = (
            f"{_PREFIX}-{now.strftime('%Y%m%dT%H%M%SZ')}-{host}-{self._pid}-{self._token}"
            f"-{self._count:05d}{_SUFFIX}"
        )
        self._path = self.directory / name
        fh: BinaryIO = open(self._path, "ab")  # noqa: SIM115 -- kept open across records
        self._file = fh
        self._opened_at = now.timestamp()
        info = io.BytesIO()
        writer = WARCWriter(info, gzip=False)
        writer.write_record(
            writer.create_warcinfo_record(name, {"software": "newswire", "format": "WARC/1.0"})
        )
        fh.write(gzip.compress(info.getvalue(), compresslevel=self.compress_level))
        fh.flush()
        return fh

    def _writable(self, now: datetime) -> BinaryIO:
        """Return the file to append to, rotating on size, age or a fork."""
        if os.getpid() != self._pid:
            # A forked child must not share its parent's file: drop it without closing the
            # parent's descriptor state (every record was flushed, so nothing is pending).
            self._pid, self._token, self._file, self._count = (
                os.getpid(),
                secrets.token_hex(3),
                None,
                0,
            )
        fh = self._file
        if fh is not None and (
            fh.tell() >= self.max_bytes or now.timestamp() - self._opened_at >= self.max_age_s
        ):
            fh.close()
            fh = None
        return fh if fh is not None else self._open(now)

    def write_response(
        self,
        *,
        url: str,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        meta: Mapping[str, Any] | None = None,
        fetched_at: datetime | None = None,
    ) -> ArchiveRef:
        """Append one response record; return where it was written."""
        when = (fetched_at or datetime.now(UTC)).astimezone(UTC)
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        http_headers = [
            (f"X-Archive-Orig-{k}" if k.lower() in _WIRE_HEADERS else k, v)
            for k, v in headers.items()
        ]
        warc_headers = {"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
        if meta:
            warc_headers[META_HEADER] = json.dumps(dict(meta), ensure_ascii=True, default=str)
        buf = io.BytesIO()
        # Records are built plain and gzipped here, one member each, at our own level.
        writer = WARCWriter(buf, gzip=False, warc_version="WARC/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(f"{status} {phrase}", http_headers, protocol="HTTP/1.1"),
            warc_headers_dict=warc_headers,
        )
        writer.write_record(record)
        data = gzip.compress(buf.getvalue(), compresslevel=self.compress_level, mtime=0)
        with self._lock:
            fh = self._writable(when)
            offset = fh.tell()
            fh.write(data)
            fh.flush()
            assert self._path is not None
            return ArchiveRef(self._path.name, offset)

    def close(self) -> None:
        """Close the current file (the next record opens a new one)."""
        with self._lock:
            if self._file is not None and os.getpid() == self._pid:
                self._file.close()
            self._file = None


# --------------------------------------------------------------------------- reading


def _parse_warc_date(value: str | None) -> datetime:
    if not value:
        return datetime.fromtimestamp(0, UTC)
    text = value.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _to_response(record: Any, ref: ArchiveRef) -> ArchivedResponse:
    rec_headers = record.rec_headers
    raw_meta = rec_headers.get_header(META_HEADER)
    try:
        meta = json.loads(raw_meta) if raw_meta else {}
    except ValueError:
        meta = {}
    http = record.http_headers
    headers: dict[str, str] = {}
    for key, value in http.headers if http is not None else ():
        lower = key.lower()
        if lower.startswith("x-archive-orig-") and lower[15:] in _WIRE_HEADERS:
            continue
        headers[lower] = value
    status = int(http.get_statuscode()) if http is not None else 0
    return ArchivedResponse(
        ref=ref,
        url=rec_headers.get_header("WARC-Target-URI") or "",
        status=status,
        headers=headers,
        body=record.content_stream().read(),
        fetched_at=_parse_warc_date(rec_headers.get_header("WARC-Date")),
        meta=meta if isinstance(meta, dict) else {},
    )


def read_record(directory: Path, ref: ArchiveRef) -> ArchivedResponse:
    """Return the response archived at ``ref``; raise ArchiveError with the reason if none."""
    path = Path(directory) / ref.file
    if Path(ref.file).name != ref.file or not path.is_file():
        raise ArchiveError(f"no archive file {ref.file!r} in {directory}")
    with open(path, "rb") as fh:
        fh.seek(ref.offset)
        # Every record is its own gzip member, so a valid offset starts with gzip's magic.
        # Checked here because warcio's reader is lenient: from the middle of a member it
        # can parse stray bytes into an empty "response" instead of failing.
        if fh.read(2) != _GZIP_MAGIC:
            raise ArchiveError(f"{ref.file}@{ref.offset}: not the start of a record")
        fh.seek(ref.offset)
        try:
            for record in ArchiveIterator(fh):
                if not record.rec_headers.get_header("WARC-Record-ID"):
                    raise ArchiveError(f"{ref.file}@{ref.offset}: not a WARC record")
                if record.rec_type != "response":
                    raise ArchiveError(f"{ref.file}@{ref.offset} is a {record.rec_type} record")
                return _to_response(record, ref)
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, gzip.BadGzipFile) as exc:
            raise ArchiveError(f"{ref.file}@{ref.offset}: unreadable record ({exc})") from exc
    raise ArchiveError(f"{ref.file}@{ref.offset}: no record at this offset")


def archive_files(directory: Path) -> list[Path]:
    """Return the archive's WARC files, oldest first (names start with their UTC start)."""
    root = Path(directory)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.name.endswith(_SUFFIX) and p.is_file())


def host_matches(url: str, host: str) -> bool:
    """Return whether ``url``'s host is ``host`` or one of its subdomains (``www.`` ignored)."""
    got = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    want = host.lower().strip().removeprefix("www.")
    return got == want or got.endswith("." + want)


def iter_archive(
    directory: Path,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    host: str | None = None,
) -> Iterator[ArchivedResponse]:
    """Yield every archived response fetched in [since, until) from ``host``, oldest file first.

    A truncated or corrupt tail (a writer that died mid-record, a file still being written)
    ends that file's records; the rest of the archive is still read.
    """
    for path in archive_files(directory):
        start = _file_start(path.name)
        if until is not None and start is not None and start >= until:
            continue  # a file holds nothing fetched before it was opened
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            try:
                for record in iterator:
                    if record.rec_type != "response":
                        continue
                    url = record.rec_headers.get_header("WARC-Target-URI") or ""
                    when = _parse_warc_date(record.rec_headers.get_header("WARC-Date"))
                    if (since is not None and when < since) or (
                        until is not None and when >= until
                    ):
                        continue
                    if host is not None and not host_matches(url, host):
                        continue
                    ref = ArchiveRef(path.name, iterator.get_record_offset())
                    yield _to_response(record, ref)
            except (ArchiveLoadFailed, EOFError, OSError, zlib.error, gzip.BadGzipFile):
                continue
