"""Feed-polling benchmark: a loopback farm of feeds across many local hosts, real pollers.

The farm is an asyncio HTTP server in its own processes, listening on 127.0.0.2..127.0.0.N
(every 127/8 address is loopback on Linux), each address a separate "host" for the per-host
limits. Each feed answers 304 to a matching If-None-Match, or (``--changed``) a new RSS body
with one new item on every request. Pollers are real ``ingest.poller.Poller`` processes on a
SQLite database and a real Redis database (``--redis-url``; only that database is flushed).

Measured: feed checks per second per poller process (all feeds due at once, drained), the
lag between each feed's due time and its check (p50/p99) at a steady target rate, poller RSS,
and Redis memory per scheduled feed; with 1 and 2 poller processes.

    /work/venv/bin/python bench/feed_farm.py --feeds 10000 --hosts 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import redis  # noqa: E402
from sqlalchemy import insert, update  # noqa: E402

from ingest.db import make_engine, session_factory, upgrade  # noqa: E402
from ingest.hostlimits import HostPolicy  # noqa: E402
from ingest.logsetup import configure_logging  # noqa: E402
from ingest.poller import Poller, PollerOptions  # noqa: E402
from ingest.settings import load_settings  # noqa: E402
from schemas.tables import Feed  # noqa: E402

# -- the farm -------------------------------------------------------------------------------


def _rss(feed: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>{feed} {i}</title><link>http://127.0.0.1:9/{feed}/{i}</link>"
        f"<guid>{feed}-{i}</guid></item>"
        for i in range(max(0, n - 3), n + 1)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{feed}</title>'
        f"<link>http://127.0.0.1:9/</link>{items}</channel></rss>"
    ).encode()


class _Farm(asyncio.Protocol):
    changed = False
    counters: ClassVar[dict[str, int]] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buf = b""

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while b"\r\n\r\n" in self.buf:
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            lines = head.split(b"\r\n")
            path = lines[0].split(b" ")[1].decode()
            inm = None
            for line in lines[1:]:
                if line[:14].lower() == b"if-none-match:":
                    inm = line[14:].strip().decode()
            if not self.changed:
                tag = f'"{path}"'
                if inm == tag:
                    self.transport.write(
                        b"HTTP/1.1 304 Not Modified\r\nETag: "
                        + tag.encode()
                        + b"\r\nContent-Length: 0\r\n\r\n"
                    )
                    continue
                body = _rss(path, 3)
            else:
                n = self.counters.get(path, 3) + 1
                self.counters[path] = n
                tag = f'"{path}-{n}"'
                body = _rss(path, n)
            self.transport.write(
                (
                    f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: {tag}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                ).encode()
                + body
            )


def _serve(hosts: list[str], port: int, changed: bool, ready: Any) -> None:
    _Farm.changed = changed

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for h in hosts:
            await loop.create_server(_Farm, h, port, reuse_address=True, backlog=1024)
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


# -- pollers --------------------------------------------------------------------------------


def _settings(db: str, redis_url: str, interval: float) -> Any:
    return load_settings(
        {},
        overrides={
            "allow_private_networks": ("127.0.0.0/8",),
            "database_url": db,
            "redis_url": redis_url,
            "fetch_deadline_s": 10.0,
            "poll_interval_s": interval,
            "poll_min_interval_s": interval,
            "poll_max_interval_s": interval,
            "log_level": "WARNING",
        },
    )


def _poller_proc(job: dict[str, Any], out: Any) -> None:
    db, redis_url, seconds, drain = job["db"], job["redis_url"], job["seconds"], job["drain"]
    interval, threads = job["interval"], job["threads"]
    configure_logging("json", "WARNING")
    settings = _settings(db, redis_url, interval)
    engine = make_engine(db)
    poller = Poller(
        settings,
        engine,
        redis.Redis.from_url(redis_url),
        PollerOptions(threads=threads, host_policy=HostPolicy(max_concurrent=2, min_gap_s=0.0)),
    )
    proc = psutil.Process()
    peak = [0]

    def watch() -> None:
        while not poller._stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.5)

    drained_at: list[float] = []

    def drained() -> None:
        # Drain runs end when no feed due before the start is left, unclaimed or leased.
        t0 = time.time()
        sched = poller.schedule
        while not poller._stop.is_set():
            time.sleep(0.05)
            if (
                drain
                and sched.redis.zcount(sched.key, "-inf", t0) == 0
                and not sched.redis.zcard(sched.leases)
            ):
                drained_at.append(time.perf_counter())
                poller.stop()

    poller.sync_schedule()  # before the drain watcher looks at the schedule
    timer = threading.Timer(seconds, poller.stop)
    timer.start()
    threading.Thread(target=watch, daemon=True).start()
    threading.Thread(target=drained, daemon=True).start()
    start, cpu0 = time.perf_counter(), time.process_time()
    poller.run_forever()
    end = drained_at[0] if drained_at else time.perf_counter()
    cpu = time.process_time() - cpu0
    timer.cancel()
    out.put(
        {
            "checks": poller.stats.checks,
            "seconds": end - start,
            "by_outcome": poller.stats.by_outcome,
            "lags": list(poller.stats.lags),
            "rss_mb": peak[0] / 2**20,
            "cpu_s": cpu,
        }
    )


def _redis_cpu_s(conn: redis.Redis) -> float:
    """Return the Redis server's CPU seconds so far (user + system, main thread included)."""
    info = conn.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _reset(db: str, conn: redis.Redis, when: datetime) -> None:
    engine = make_engine(db)
    with session_factory(engine)() as s, s.begin():
        s.execute(update(Feed).values(next_check_at=when))
    engine.dispose()
    conn.delete("newswire:schedule:due", "newswire:schedule:leases")


def _run(
    db: str,
    redis_url: str,
    *,
    pollers: int,
    seconds: float,
    interval: float,
    threads: int,
    drain: bool,
) -> dict[str, Any]:
    out: Any = mp.Queue()
    job = {
        "db": db,
        "redis_url": redis_url,
        "seconds": seconds,
        "drain": drain,
        "interval": interval,
        "threads": threads,
    }
    procs = [mp.Process(target=_poller_proc, args=(job, out)) for _ in range(pollers)]
    conn = redis.Redis.from_url(redis_url)
    redis_cpu0 = _redis_cpu_s(conn)
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    redis_cpu = _redis_cpu_s(conn) - redis_cpu0
    for p in procs:
        p.join()
    print(f"  {pollers} poller(s): {[r['checks'] for r in results]} checks", file=sys.stderr)
    lags = sorted(x for r in results for x in r["lags"])
    checks = sum(r["checks"] for r in results)
    secs = max(r["seconds"] for r in results)

    def pct(q: float) -> float:
        return round(lags[min(len(lags) - 1, int(q * len(lags)))], 3) if lags else 0.0

    return {
        "pollers": pollers,
        "checks": checks,
        "seconds": round(secs, 1),
        "checks_per_s_per_poller": [round(r["checks"] / r["seconds"], 1) for r in results],
        "lag_p50_s": pct(0.5),
        "lag_p99_s": pct(0.99),
        "rss_mb": [round(r["rss_mb"], 1) for r in results],
        # CPU per check, per poller: flat from 1 to N pollers means throughput grows with the
        # cores given to pollers (this 2-core machine also runs the farm and Redis).
        "cpu_ms_per_check": [round(1000 * r["cpu_s"] / max(r["checks"], 1), 3) for r in results],
        # The shared Redis's CPU per check: the ceiling on pollers one Redis can serve.
        "redis_cpu_ms_per_check": round(1000 * redis_cpu / max(checks, 1), 4),
        "outcomes": [r["by_outcome"] for r in results],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--feeds", type=int, default=10_000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--rate", type=float, default=500.0, help="target checks/s for the lag run")
    ap.add_argument("--changed", action="store_true", help="every check finds a changed feed")
    ap.add_argument(
        "--redis-url",
        default=os.environ.get("NEWSWIRE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
    )
    args = ap.parse_args()

    hosts = [f"127.0.0.{i + 2}" for i in range(args.hosts)]
    port = 18_000 + os.getpid() % 10_000
    servers = []
    for part in range(2):  # two server processes so the farm is not the bottleneck
        ready = mp.Event()
        p = mp.Process(target=_serve, args=(hosts[part::2], port, args.changed, ready), daemon=True)
        p.start()
        ready.wait(10)
        servers.append(p)

    conn = redis.Redis.from_url(args.redis_url)
    conn.flushdb()
    tmp = tempfile.mkdtemp(prefix="feedfarm-")
    db = f"sqlite:///{tmp}/farm.db"
    upgrade(db)
    engine = make_engine(db)
    now = datetime.now(UTC)
    with session_factory(engine)() as s, s.begin():
        s.execute(
            insert(Feed),
            [
                {
                    "url": f"http://{hosts[i % len(hosts)]}:{port}/f/{i}.xml",
                    # The farm's ETag, as if each feed had been fetched once: checks are 304s.
                    "etag": None if args.changed else f'"/f/{i}.xml"',
                    "next_check_at": now,
                    "health": "new",
                    "error_count": 0,
                    "entries_seen": 0,
                    "created_at": now,
                }
                for i in range(args.feeds)
            ],
        )
    engine.dispose()
    report: dict[str, Any] = {"feeds": args.feeds, "hosts": args.hosts, "threads": args.threads}
    mode = "changed" if args.changed else "not_modified"
    for n in (1, 2):
        _reset(db, conn, datetime.now(UTC))
        report[f"drain_{mode}_{n}p"] = _run(
            db,
            args.redis_url,
            pollers=n,
            seconds=args.seconds,
            interval=3600,
            threads=args.threads,
            drain=True,
        )
    # Steady rate: due times spread over the interval so the target rate is asked for.
    interval = args.feeds / args.rate
    engine = make_engine(db)
    base = datetime.now(UTC) + timedelta(seconds=3)
    with session_factory(engine)() as s, s.begin():
        ids = [r[0] for r in s.execute(Feed.__table__.select().with_only_columns(Feed.id))]
        s.execute(
            update(Feed),
            [
                {"id": fid, "next_check_at": base + timedelta(seconds=interval * k / len(ids))}
                for k, fid in enumerate(ids)
            ],
        )
    engine.dispose()
    conn.delete("newswire:schedule:due", "newswire:schedule:leases")
    report[f"steady_{mode}_{int(args.rate)}per_s_1p"] = _run(
        db,
        args.redis_url,
        pollers=1,
        seconds=args.seconds,
        interval=interval,
        threads=args.threads,
        drain=False,
    )
    due_bytes = conn.memory_usage("newswire:schedule:due") or 0
    used = conn.info("memory")["used_memory"]
    conn.delete("newswire:schedule:due", "newswire:schedule:leases")
    base_mem = conn.info("memory")["used_memory"]
    report["redis_schedule_bytes_per_feed"] = round((used - base_mem) / args.feeds, 1)
    report["redis_memory_usage_due_key_per_feed"] = round(due_bytes / args.feeds, 1)
    conn.flushdb()
    for p in servers:
        p.terminate()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
