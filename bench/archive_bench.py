"""Cost of the raw archive and speed of reprocessing from it.

Archives the 62 pages of ``../shared/eval/extraction`` (read in place) as fetch responses,
``--copies`` times each under distinct article keys, into a scratch WARC directory; reports
ms per record written, bytes on disk per page against the raw HTML, and ms per record read
back by (file, offset). Then runs ``newswire reprocess``'s core over the archive into a scratch
SQLite database (dedupe and boilerplate keys under their usual names in the given Redis
database, deleted afterwards): articles per second through clean, dedupe, language, events
and store, twice (the second run is the idempotent replay).

    python bench/archive_bench.py [--redis-url URL] [--copies N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.archive import WarcArchive, archive_files, read_record  # noqa: E402
from ingest.boilerplate import BoilerplateStore  # noqa: E402
from ingest.db import make_engine, session_factory, upgrade  # noqa: E402
from ingest.logsetup import configure_logging  # noqa: E402
from newswire.commands.reprocess import reprocess_archive  # noqa: E402
from workers.dedupe import DedupeIndex  # noqa: E402

ROOT = REPO.parent / "shared" / "eval" / "extraction"


def main() -> int:
    """Print the archive and reprocessing figures; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    configure_logging("json", "WARNING")
    truth = json.loads((ROOT / "ground-truth.json").read_text("utf-8"))
    pages = [
        (key, item["url"], gzip.decompress((ROOT / "html" / f"{key}.html.gz").read_bytes()))
        for key, item in sorted(truth.items())
    ]
    conn = redis.Redis.from_url(args.redis_url)
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "warc"
        archive = WarcArchive(warc)
        write_ms: list[float] = []
        refs = []
        raw = 0
        for copy in range(args.copies):
            for key, url, html in pages:
                meta = {
                    "article_key": f"{key[:24]}{copy:08d}",
                    "url": f"{url}?copy={copy}",
                    "feed_url": "https://feeds.example/rss",
                    "entry_key": key[:16],
                    "trace_id": "bench",
                    "schema_version": 1,
                }
                headers = {"content-type": "text/html; charset=utf-8"}
                t = time.perf_counter()
                refs.append(
                    archive.write_response(
                        url=meta["url"], status=200, headers=headers, body=html, meta=meta,
                        fetched_at=datetime.now(UTC),
                    )
                )  # fmt: skip
                write_ms.append((time.perf_counter() - t) * 1000)
                raw += len(html)
        archive.close()
        disk = sum(p.stat().st_size for p in archive_files(warc))
        read_ms: list[float] = []
        for ref in refs:
            t = time.perf_counter()
            read_record(warc, ref)
            read_ms.append((time.perf_counter() - t) * 1000)
        n = len(refs)
        print(
            f"archive: {n} responses, write ms median {statistics.median(write_ms):.2f} "
            f"mean {statistics.fmean(write_ms):.2f}; read by ref ms median "
            f"{statistics.median(read_ms):.2f}; {disk / n / 1024:.1f} KiB on disk per page "
            f"({raw / n / 1024:.1f} KiB raw HTML, ratio {disk / raw:.2f})"
        )
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        prefix_keys = ("newswire:dedupe:*", "newswire:boiler:*")
        try:
            for run in ("first", "replay"):
                t = time.perf_counter()
                report = reprocess_archive(
                    warc,
                    sessions=sessions,
                    index=DedupeIndex(conn),
                    boilerplate=BoilerplateStore(conn),
                )
                s = time.perf_counter() - t
                print(
                    f"reprocess ({run}): {report.selected} articles in {s:.1f} s = "
                    f"{report.selected / s:.1f} articles/s; {dict(report.outcomes)}"
                )
        finally:
            engine.dispose()
            for pattern in prefix_keys:
                for key in conn.scan_iter(match=pattern, count=1000):
                    conn.delete(key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
