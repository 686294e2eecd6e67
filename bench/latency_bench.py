"""Latency from the poll that sees an item to its events stored, at a steady offered load.

The loopback newsroom of ``pipeline_bench.py`` is split into many small feeds; a poller checks
one feed every ``feed_size / rate`` seconds, so articles arrive at ``--rate`` articles/s (choose
about 80 % of the maximum sustained rate measured by ``pipeline_bench.py``). ``--workers`` real
worker processes do the stages. For every article: latency = ``stored_at`` − the moment the
poller recorded its entry. Also reported: resident memory of every worker and Redis memory
per stored article.

    python bench/latency_bench.py --rate 14 --workers 2 [--copies 3] [--feed-size 4]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path
from typing import Any

import redis
from rq import Worker
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline_bench import (  # noqa: E402
    Newsrooms,
    build_newsroom,
    exit_on_sigterm,
    fresh_state,
    start_workers,
)

from ingest.db import make_engine, session_factory, transaction  # noqa: E402
from ingest.feedstore import add_feeds  # noqa: E402
from ingest.poller import Poller  # noqa: E402
from schemas.tables import Article, Entry, Feed  # noqa: E402


def split_feeds(root: Path, feed_size: int) -> int:
    """Rewrite the manifest in ``root`` into feeds of ``feed_size`` articles; return how many."""
    path = root / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    feeds = {}
    for i, art in enumerate(manifest["articles"]):
        fid = f"f{i // feed_size:04d}"
        art["feed"] = fid
        feeds[fid] = {"title": fid, "lang": ""}
    manifest["feeds"] = feeds
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return len(feeds)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0–1) of ``values`` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Offer the load, wait for the last article, return the figures."""
    n = build_newsroom(work / "room", args.copies)
    n_feeds = split_feeds(work / "room", args.feed_size)
    room = Newsrooms(work / "room", args.hosts).start()
    with fresh_state(args.redis_url, work, "lat") as (settings, db_url):
        engine = make_engine(db_url)
        sessions = session_factory(engine)
        with transaction(sessions) as s:
            add_feeds(s, room.feed_urls())
        conn = redis.Redis.from_url(str(settings.redis_url))
        mem0 = int(conn.info("memory")["used_memory"])
        procs = start_workers(settings, db_url, args.workers)
        peak_rss = {p.pid: 0.0 for p in procs}
        try:
            while len(Worker.all(connection=conn)) < args.workers:
                time.sleep(0.05)
            poller = Poller(settings, engine, conn)
            with sessions() as s:
                feed_ids = list(s.scalars(select(Feed.id).order_by(Feed.id)))
            gap = args.feed_size / args.rate
            t0 = time.perf_counter()
            for i, fid in enumerate(feed_ids):
                # Offer the load on a schedule, not as fast as we can: wait for the slot.
                delay = t0 + i * gap - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                poller.poll_feed(fid)
                for p in procs:
                    peak_rss[p.pid] = max(peak_rss[p.pid], _rss_mb(p.pid))
            offered_s = time.perf_counter() - t0
            deadline = time.monotonic() + 600
            while True:
                with sessions() as s:
                    done = s.query(Article).count()
                if done >= n or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            for p in procs:
                peak_rss[p.pid] = max(peak_rss[p.pid], _rss_mb(p.pid))
            mem1 = int(conn.info("memory")["used_memory"])
            with sessions() as s:
                rows = s.execute(
                    select(Entry.created_at, Article.stored_at).join(
                        Article, Article.article_key == Entry.article_key
                    )
                ).all()
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=60)
            room.stop()
            engine.dispose()
    lat = [
        (
            stored.replace(tzinfo=stored.tzinfo or UTC) - seen.replace(tzinfo=seen.tzinfo or UTC)
        ).total_seconds()
        for seen, stored in rows
    ]
    return {
        "articles": n,
        "feeds": n_feeds,
        "offered_rate": args.rate,
        "achieved_offer_rate": n / offered_s,
        "latency_p50": percentile(lat, 0.50),
        "latency_p95": percentile(lat, 0.95),
        "latency_max": max(lat),
        "latency_mean": statistics.mean(lat),
        "worker_rss_mb": sorted(round(v, 1) for v in peak_rss.values()),
        "redis_bytes_per_article": (mem1 - mem0) / n,
    }


def main() -> int:
    """Run the latency benchmark and print its figures; return the exit code."""
    exit_on_sigterm()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rate", type=float, default=14.0, help="offered articles per second")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--hosts", type=int, default=4, help="loopback servers (127.0.0.2...)")
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--feed-size", type=int, default=4)
    ap.add_argument(
        "--redis-url",
        default=os.environ.get("NEWSWIRE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="a Redis database this benchmark may flush (default db 14)",
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newswire-lat-"))
    try:
        res = run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n{res['articles']} articles in {res['feeds']} feeds, offered at {res['offered_rate']}/s "
        f"(achieved {res['achieved_offer_rate']:.1f}/s), {args.workers} workers\n"
    )
    print("| p50 s | p95 s | max s | mean s | worker RSS MB (peak) | Redis bytes/article |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {res['latency_p50']:.2f} | {res['latency_p95']:.2f} | {res['latency_max']:.2f} | "
        f"{res['latency_mean']:.2f} | {', '.join(map(str, res['worker_rss_mb']))} | "
        f"{res['redis_bytes_per_article']:.0f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
