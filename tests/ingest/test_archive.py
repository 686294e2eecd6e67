"""The raw WARC archive on real files: round trips, rotation, several writers, damaged tails."""

from __future__ import annotations

import multiprocessing
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

from ingest.archive import (
    ArchiveError,
    ArchiveRef,
    WarcArchive,
    archive_files,
    host_matches,
    iter_archive,
    read_record,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PAGE = "<html><body><p>Un texte accentué — «&nbsp;ça marche&nbsp;» %d</p></body></html>"


def _write(
    archive: WarcArchive, i: int, *, host: str = "www.example.org", **kw: object
) -> ArchiveRef:
    return archive.write_response(
        url=f"https://{host}/article/{i}",
        status=200,
        headers={
            "content-type": "text/html; charset=utf-8",
            "content-encoding": "gzip",
            "etag": f'"v{i}"',
        },
        body=(PAGE % i).encode(),
        meta={"article_key": f"key{i}", "feed_url": "https://example.org/rss"},
        **kw,  # type: ignore[arg-type]
    )


def test_a_response_reads_back_exactly_from_its_file_and_offset(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)
    refs = [_write(archive, i, fetched_at=T0 + timedelta(seconds=i)) for i in range(3)]
    assert len({r.file for r in refs}) == 1 and refs[0].offset < refs[1].offset < refs[2].offset
    rec = read_record(tmp_path, refs[1])
    assert rec.url == "https://www.example.org/article/1"
    assert rec.status == 200
    assert rec.body == (PAGE % 1).encode()
    assert rec.headers["content-type"] == "text/html; charset=utf-8"
    assert rec.headers["etag"] == '"v1"'
    # The body is stored decoded, so the wire's encoding header must not describe it.
    assert "content-encoding" not in rec.headers
    assert rec.meta == {"article_key": "key1", "feed_url": "https://example.org/rss"}
    assert rec.fetched_at == T0 + timedelta(seconds=1)


def test_files_are_standard_warc_readable_by_warcio(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)
    _write(archive, 0)
    archive.close()
    (path,) = archive_files(tmp_path)
    with open(path, "rb") as fh:
        types = [r.rec_type for r in ArchiveIterator(fh)]
    assert types == ["warcinfo", "response"]


def test_rotation_by_size_and_by_age(tmp_path: Path) -> None:
    by_size = WarcArchive(tmp_path / "size", max_bytes=1500)
    refs = [_write(by_size, i, fetched_at=T0) for i in range(10)]
    files = archive_files(tmp_path / "size")
    assert 2 < len(files) <= 10
    assert all(p.stat().st_size < 1500 + 1000 for p in files)
    assert [read_record(tmp_path / "size", r).meta["article_key"] for r in refs] == [
        f"key{i}" for i in range(10)
    ]

    by_age = WarcArchive(tmp_path / "age", max_age_s=60)
    for minute in (0, 0.5, 2, 2.5, 5):
        _write(by_age, int(minute * 10), fetched_at=T0 + timedelta(minutes=minute))
    assert len(archive_files(tmp_path / "age")) == 3


def test_time_and_host_selection(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path, max_age_s=3600)
    for day in range(4):
        _write(archive, day, fetched_at=T0 + timedelta(days=day))
        _write(archive, 100 + day, host="news.other.net", fetched_at=T0 + timedelta(days=day))
    got = [
        r.meta["article_key"]
        for r in iter_archive(
            tmp_path, since=T0 + timedelta(days=1), until=T0 + timedelta(days=3), host="example.org"
        )
    ]
    assert got == ["key1", "key2"]
    assert len(list(iter_archive(tmp_path, host="other.net"))) == 4
    assert len(list(iter_archive(tmp_path))) == 8
    assert host_matches("https://www.lemonde.fr/x", "lemonde.fr")
    assert not host_matches("https://notlemonde.fr/x", "lemonde.fr")


def _child_writes(directory: str, worker: int, n: int) -> None:
    archive = WarcArchive(Path(directory))
    for i in range(n):
        _write(archive, worker * 1000 + i)
    archive.close()


def test_several_processes_write_at_once_without_mixing(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_child_writes, args=(str(tmp_path), w, 60)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    files = archive_files(tmp_path)
    assert len(files) == 4  # one per process
    keys = sorted(r.meta["article_key"] for r in iter_archive(tmp_path))
    assert keys == sorted(f"key{w * 1000 + i}" for w in range(4) for i in range(60))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_writes_its_own_file(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)
    _write(archive, 1)
    pid = os.fork()
    if pid == 0:  # child: write, then leave without running pytest's teardown
        code = 0
        try:
            _write(archive, 2)
        except BaseException:
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    _write(archive, 3)
    files = archive_files(tmp_path)
    assert len(files) == 2
    by_file = {
        p.name: [r.meta["article_key"] for r in iter_archive(tmp_path) if r.ref.file == p.name]
        for p in files
    }
    assert sorted(by_file.values()) == [["key1", "key3"], ["key2"]]


def test_a_truncated_tail_is_skipped_and_bad_refs_get_a_reason(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)
    good = [_write(archive, i) for i in range(3)]
    archive.close()
    (path,) = archive_files(tmp_path)
    whole = path.read_bytes()
    # A writer killed mid-record leaves half a gzip member at the end.
    path.write_bytes(whole + whole[good[1].offset : good[1].offset + 100])
    assert [r.meta["article_key"] for r in iter_archive(tmp_path)] == ["key0", "key1", "key2"]

    with pytest.raises(ArchiveError, match="no archive file"):
        read_record(tmp_path, ArchiveRef("missing.warc.gz", 0))
    with pytest.raises(ArchiveError, match="no archive file"):
        read_record(tmp_path, ArchiveRef("../etc/passwd", 0))
    with pytest.raises(ArchiveError, match="warcinfo"):
        read_record(tmp_path, ArchiveRef(path.name, 0))
    with pytest.raises(ArchiveError):
        read_record(tmp_path, ArchiveRef(path.name, good[1].offset + 7))
    with pytest.raises(ArchiveError):
        read_record(tmp_path, ArchiveRef(path.name, len(whole)))
