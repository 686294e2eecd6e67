"""Soak: a bounded run of many articles through the loopback newsroom under injected faults.

A private ``redis-server`` (AOF on, ``noeviction``) and a SQLite database in a temp dir; the
newsroom of ``bench/pipeline_bench.py`` (the extraction pages, each under many URLs) split
over several feeds; one ``newswire poll`` and N ``newswire worker`` processes, restarted when
they die as systemd would. Along the way a random worker is SIGKILLed every so often, and
Redis is restarted once (SIGTERM, down for a few seconds, started again on its AOF).

At the end every entry the poller saw must be a stored (or skipped-with-reason) article, or a
failed job with a reason; events must count each article once. Prints a Markdown section.

    python bench/soak.py --articles 20000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import create_engine, distinct, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline_bench import build_newsroom, drop_database, fresh_database  # noqa: E402
from ingest.db import (  # noqa: E402
    make_engine,
    normalise_url,
    session_factory,
    transaction,
    upgrade,
)
from ingest.feedstore import add_feeds  # noqa: E402
from newswire.commands.failed import failed_jobs  # noqa: E402
from newswire.newsroom import Newsroom  # noqa: E402
from newswire.pipeline_state import in_flight  # noqa: E402
from schemas.messages import STAGES  # noqa: E402
from schemas.tables import Article, Entry, Event, Mention  # noqa: E402

PAGES_PER_FEED = 1000
FINISHED = ("stored", "skipped")


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RedisProc:
    """Our own redis-server, configured as production should be."""

    workdir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir),
                "--appendonly", "yes", "--appendfsync", "everysec",
                "--maxmemory-policy", "noeviction", "--save", "",
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        conn = redis.Redis.from_url(self.url)
        for _ in range(200):
            try:
                conn.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop as ``systemctl restart`` does (SIGTERM: Redis flushes its AOF and exits)."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=60)
            self.proc = None


def split_feeds(root: Path) -> int:
    """Spread the newsroom's articles over feeds of PAGES_PER_FEED; return the feed count."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    n = math.ceil(len(manifest["articles"]) / PAGES_PER_FEED)
    manifest["feeds"] = {f"f{i:03d}": {"title": f"feed {i}", "lang": ""} for i in range(n)}
    for i, art in enumerate(manifest["articles"]):
        art["feed"] = f"f{i // PAGES_PER_FEED:03d}"
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return n


@dataclass
class Fleet:
    """The poller and worker processes, restarted when they exit."""

    env: dict[str, str]
    logdir: Path
    workers: int
    per_queue: bool = False
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    restarts: Counter[str] = field(default_factory=Counter)
    spawned: int = 0

    def _spawn(self, role: str) -> None:
        argv = ["poll"] if role == "poller" else ["worker"]
        if role.startswith("worker") and self.per_queue:
            argv.append(role.split("-", 1)[1])
        self.spawned += 1
        out = (self.logdir / f"{role}-{self.spawned:04d}.log").open("wb")
        self.procs[role] = subprocess.Popen(
            [sys.executable, "-m", "newswire", *argv],
            env=self.env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def start(self) -> None:
        self._spawn("poller")
        # per queue: one process per stage, as the systemd units and k8s Deployments run them
        names = STAGES if self.per_queue else [str(i) for i in range(self.workers)]
        for name in names:
            self._spawn(f"worker-{name}")

    def keep_alive(self) -> None:
        for role, proc in list(self.procs.items()):
            if proc.poll() is not None:
                self.restarts[role.split("-")[0]] += 1
                self._spawn(role)

    def kill_random_worker(self, rng: random.Random) -> None:
        role = rng.choice([r for r in self.procs if r.startswith("worker")])
        self.procs[role].send_signal(signal.SIGKILL)

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=240)
            except subprocess.TimeoutExpired:
                proc.kill()


def check(db_url: str, conn: redis.Redis) -> dict[str, Any]:
    """Return the invariants: entries seen, stored, skipped, failed (by reason), lost, doubled."""
    engine = make_engine(db_url)
    with session_factory(engine)() as s:
        keys = set(s.scalars(select(Entry.article_key).distinct()))
        by_status = select(Article.status, func.count()).group_by(Article.status)
        status = dict(s.execute(by_status).all())
        # the fetch stage writes a "fetched" row first: only stored or skipped are finished
        have = set(s.scalars(select(Article.article_key).where(Article.status.in_(FINISHED))))
        # an event's article count must be the number of distinct articles among its mentions
        per_event = s.execute(
            select(Event.id, Event.num_articles, func.count(distinct(Mention.article_key)))
            .join(Mention, Mention.event_id == Event.id)
            .group_by(Event.id, Event.num_articles)
        ).all()
    engine.dispose()
    failed = {f.article_key: f.reason for f in failed_jobs(conn)}
    lost = keys - have - set(failed)
    miscounted = [eid for eid, n, distinct_n in per_event if n != distinct_n]
    return {
        "entries": len(keys),
        "stored": status.get("stored", 0),
        "skipped": status.get("skipped", 0),
        "failed": len(set(failed) - have),
        "failed_reasons": dict(Counter(failed.values())),
        "lost": len(lost),
        "lost_sample": sorted(lost)[:5],
        "events_miscounted": len(miscounted),
        "events": len(per_event),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the soak; return its figures."""
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="newswire-soak-"))
    (work / "redis").mkdir()
    (work / "logs").mkdir()
    copies = math.ceil(args.articles / 64)
    total = build_newsroom(work / "room", copies)
    feeds = split_feeds(work / "room")
    redis_proc = RedisProc(work / "redis")
    redis_proc.start()
    db_url = fresh_database(args.postgres, work, "soak")
    upgrade(db_url)
    # Progress is read with a plain engine: make_engine's SQLite sessions begin IMMEDIATE
    # (write-locked) even to read, and would queue behind the workers.
    monitor = create_engine(normalise_url(db_url))
    room = Newsroom(work / "room").start()
    engine = make_engine(db_url)
    with transaction(session_factory(engine)) as s:
        add_feeds(s, room.feed_urls())
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(
        NEWSWIRE_REDIS_URL=redis_proc.url,
        NEWSWIRE_DATABASE_URL=db_url,
        NEWSWIRE_DATA_DIR=str(work / "data"),
        NEWSWIRE_ALLOW_PRIVATE_NETWORKS="127.0.0.0/8",
        NEWSWIRE_LOG_FORMAT="json",
        NEWSWIRE_STATS_INTERVAL_S="30",
        # Every page is on one loopback host standing for many sites: no per-host gap
        # (with the default 0.5 s gap the whole soak could not pass 2 articles/s).
        NEWSWIRE_HOST_MIN_GAP_S="0",
        NEWSWIRE_HOST_MAX_CONCURRENT="64",
    )
    fleet = Fleet(env, work / "logs", args.workers, per_queue=args.per_queue)
    conn = redis.Redis.from_url(redis_proc.url, socket_timeout=10)
    kills = 0
    redis_restarted_at: float | None = None
    next_kill = time.monotonic() + rng.uniform(args.kill_min_s, args.kill_max_s)
    finished = select(func.count()).select_from(Article).where(Article.status.in_(FINISHED))
    t0 = time.monotonic()
    next_progress = t0 + 30.0
    fleet.start()
    done = 0
    try:
        while time.monotonic() - t0 < args.timeout_s:
            time.sleep(1.0)
            fleet.keep_alive()
            now = time.monotonic()
            with monitor.connect() as c:
                done = c.scalar(finished) or 0
            if now >= next_progress:  # a line every 30 s: a soak runs for tens of minutes
                elapsed = now - t0
                print(
                    f"soak: {done}/{total} finished, {done / elapsed:.1f}/s, {kills} kills, "
                    f"redis restarted: {'yes' if redis_restarted_at else 'no'}, {elapsed:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
                next_progress = now + 30.0
            if now >= next_kill:
                fleet.kill_random_worker(rng)
                kills += 1
                next_kill = now + rng.uniform(args.kill_min_s, args.kill_max_s)
            if redis_restarted_at is None and done >= total * args.redis_restart_at:
                redis_proc.stop()
                time.sleep(args.redis_down_s)
                redis_proc.start()
                redis_restarted_at = time.monotonic() - t0
            if done >= total:
                break
            if redis_restarted_at is not None and done > 0:
                try:
                    idle = in_flight(conn) == 0
                except redis.exceptions.RedisError:
                    idle = False
                with monitor.connect() as c:
                    waiting = c.scalar(
                        select(func.count()).select_from(Entry).where(Entry.state == "new")
                    )
                if idle and not waiting and fleet.procs["poller"].poll() is None:
                    # nothing queued, running or retrying and every entry handed on: only
                    # failures are left to count (stay a little for pollers to re-check)
                    time.sleep(5)
                    if in_flight(conn) == 0:
                        break
        wall = time.monotonic() - t0
    finally:
        fleet.stop()
        room.stop()
    verdict = check(db_url, conn)
    redis_proc.stop()
    engine.dispose()
    monitor.dispose()
    if args.postgres and not args.keep:
        drop_database(args.postgres, db_url)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "articles_served": total,
        "feeds": feeds,
        "workers": "one per stage" if args.per_queue else args.workers,
        "wall_s": round(wall, 1),
        "articles_per_s": round(done / wall, 2),
        "worker_kills": kills,
        "restarts": dict(fleet.restarts),
        "redis_restarted_at_s": round(redis_restarted_at or -1, 1),
        "workdir": str(work) if args.keep else None,
        "database": "postgresql" if args.postgres else "sqlite",
        **verdict,
    }


def main() -> int:
    """Parse arguments, run the soak, print JSON and a Markdown table; 0 when invariants hold."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=2, help="processes serving every queue")
    ap.add_argument("--per-queue", action="store_true", help="one worker process per stage")
    ap.add_argument("--kill-min-s", type=float, default=20.0)
    ap.add_argument("--kill-max-s", type=float, default=60.0)
    ap.add_argument("--redis-restart-at", type=float, default=0.4, help="fraction stored")
    ap.add_argument("--redis-down-s", type=float, default=5.0)
    ap.add_argument("--timeout-s", type=float, default=4 * 3600)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--keep", action="store_true", help="keep the work dir (logs, db)")
    ap.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL server to make the soak's database on"
    )
    args = ap.parse_args()
    res = run(args)
    print(json.dumps(res, indent=2))
    print()
    print(
        "| articles served | stored | skipped (reason kept) | failed with reason | lost | "
        "events miscounted | wall s | articles/s under faults | worker kills | Redis restart |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {res['articles_served']} | {res['stored']} | {res['skipped']} | {res['failed']} "
        f"{res['failed_reasons'] or ''} | {res['lost']} | {res['events_miscounted']} | "
        f"{res['wall_s']} | {res['articles_per_s']} | {res['worker_kills']} | "
        f"at {res['redis_restarted_at_s']} s |"
    )
    return 0 if res["lost"] == 0 and res["events_miscounted"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
