"""Queueing overhead: the RQ pipeline against the same stage functions called in one loop.

Both sides start from the same state (an empty Redis database, an empty SQLite database) and
process the same loopback newsroom: the 62 pages of ``../shared/eval/extraction`` and the two
sample pages, each served under ``--copies`` URLs, as syndication produces: copy 1 drops the
story's last paragraph, copy 2 is byte-exact, copy 3 drops the first paragraph and changes the
headline, and so on in turn, so deduplication sees near and exact copies of 64 distinct
stories. The items are split into ``--feeds`` feeds served by ``--hosts`` loopback servers
(127.0.0.2, 127.0.0.3...), each a host of its own for the per-host state (robots.txt, host
slots, learned boilerplate). Each side is timed from the poll that finds the entries to the
last article stored:

* loop      one fresh process with a worker's environment: poll, then fetch → dedupe →
            language → events → store per entry, calling each stage's ``STAGE_WORK`` (the
            very functions its job calls: robots.txt, host limits, archive, boilerplate
            learning included), no queue in between; it reports CPU ms per stage;
* pipeline  the poll enqueues; N real ``newswire worker`` processes (SimpleWorker) over every
            queue do the rest: chained (the default: a worker runs the stages it serves one
            after the other in the fetch job) and, with ``--hops``, one Redis queue hop per
            stage (``NEWSWIRE_CHAIN_STAGES=false``, what per-queue workers do).

The ratio pipeline(1 worker) / loop is the cost of the queues (goal ≥ 0.85). Workers preload
their models before they register, and the loop warms up the same way, so neither side pays
start-up inside the timing.

    python bench/pipeline_bench.py [--copies 3] [--feeds 16] [--hosts 4] [--workers 1 2]
        [--rounds 2] [--hops]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from rq import Worker
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.db import make_engine, normalise_url, session_factory, transaction, upgrade  # noqa: E402
from ingest.feedstore import add_feeds  # noqa: E402
from ingest.poller import Poller  # noqa: E402
from ingest.queueing import get_queue  # noqa: E402
from ingest.settings import Settings, load_settings  # noqa: E402
from newswire.newsroom import DEMO_DATA, Newsroom  # noqa: E402
from schemas.messages import STAGES, ArticleMessage, Skip, decode_entry  # noqa: E402
from schemas.tables import Article  # noqa: E402
from workers.pool import preload  # noqa: E402
from workers.runtime import runtime, stage_work  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "extraction"
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.S | re.I)


_PARAGRAPH = re.compile(rb"<p[\s>].*?</p>", re.S | re.I)
_TAG = re.compile(rb"<[^>]+>")
#: What copy k (k >= 1) of a page is, in turn: near copies and an exact one.
EDITS = ("drop_last", "exact", "drop_first_retitle")


def edit_copy(html: bytes, k: int) -> bytes:
    """Return copy ``k`` of a page: the original (k = 0), or an edit of it as in :data:`EDITS`.

    Edits work on the bytes, so the page keeps its own encoding; a paragraph counts as the
    story's when it has at least 15 words. A page without two such paragraphs stays exact.
    """
    if k == 0:
        return html
    edit = EDITS[(k - 1) % len(EDITS)]
    story = [m for m in _PARAGRAPH.finditer(html) if len(_TAG.sub(b" ", m.group()).split()) >= 15]
    if edit == "exact" or len(story) < 2:
        return html
    if edit == "drop_last":
        cut = story[-1]
        return html[: cut.start()] + html[cut.end() :]
    cut = story[0]
    html = html[: cut.start()] + html[cut.end() :]
    return _TITLE.sub(lambda m: m.group().replace(b"</title>", b" (wire)</title>"), html, 1)


def build_newsroom(dest: Path, copies: int, feeds: int = 1) -> int:
    """Write a manifest newsroom under ``dest`` (items dealt round-robin into ``feeds`` feeds);
    return the number of article URLs."""
    (dest / "articles").mkdir(parents=True)
    pages: list[tuple[str, bytes]] = []
    if EVAL.is_dir():
        for path in sorted((EVAL / "html").glob("*.html.gz")):
            pages.append((path.name.split(".")[0][:16], gzip.decompress(path.read_bytes())))
    for path in sorted((DEMO_DATA / "articles").glob("*.html")):
        pages.append((f"sample-{path.stem}", path.read_bytes()))
    articles = []
    for key, html in pages:
        match = _TITLE.search(html)
        title = match.group(1).decode("utf-8", "replace").strip() if match else key
        for k in range(copies):
            name = f"articles/{key}-{k}.html"
            (dest / name).write_bytes(edit_copy(html, k))
            articles.append(
                {
                    "id": f"{key}-{k}",
                    "feed": f"f{len(articles) % feeds:03d}",
                    "title": title[:200] or key,
                    "published": "2024-07-16T12:00:00+00:00",
                    "html": name,
                    "guid": f"{key}-{k}",
                }
            )
    feed_meta = {f"f{i:03d}": {"title": f"bench {i}", "lang": ""} for i in range(feeds)}
    manifest = {"feeds": feed_meta, "articles": articles}
    (dest / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return len(articles)


class Newsrooms:
    """The newsroom served by ``hosts`` loopback servers, feed i by host i mod ``hosts``."""

    def __init__(self, root: Path, hosts: int) -> None:
        self.rooms = [Newsroom(root, host=f"127.0.0.{2 + h}") for h in range(hosts)]

    def start(self) -> Newsrooms:
        """Start every server; return self."""
        for room in self.rooms:
            room.start()
        return self

    def stop(self) -> None:
        """Stop every server."""
        for room in self.rooms:
            room.stop()

    def feed_urls(self) -> list[str]:
        """Return each feed's URL on its own host (articles of a feed are on its host too)."""
        per_host = [room.feed_urls() for room in self.rooms]
        return [per_host[i % len(self.rooms)][i] for i in range(len(per_host[0]))]


def fresh_database(postgres: str | None, work: Path, tag: str) -> str:
    """Return the URL of an empty database: a new one on ``postgres`` if given, else SQLite."""
    if not postgres:
        return f"sqlite:///{work / f'{tag}.db'}"
    admin_url = make_url(normalise_url(postgres))
    name = f"newswire_{tag}_{os.getpid()}".replace("-", "_")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.set(database=name).render_as_string(hide_password=False)


def drop_database(postgres: str, db_url: str) -> None:
    """Drop a database made by :func:`fresh_database` on ``postgres``."""
    admin = create_engine(make_url(normalise_url(postgres)), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{make_url(db_url).database}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def fresh_state(
    redis_url: str, workdir: Path, tag: str, postgres: str | None = None
) -> Iterator[tuple[Settings, str]]:
    """Yield settings on an empty Redis database and a new SQLite (or PostgreSQL) database."""
    conn = redis.Redis.from_url(redis_url)
    conn.flushdb()
    db_url = fresh_database(postgres, workdir, tag)
    upgrade(db_url)
    settings = load_settings(
        {},
        overrides={
            "redis_url": redis_url,
            "database_url": db_url,
            "data_dir": workdir,
            "allow_private_networks": ("127.0.0.0/8",),
            "log_level": "WARNING",
            # Every page is on one loopback host standing for many sites: no per-host gap.
            "host_min_gap_s": 0.0,
            "host_max_concurrent": 64,
        },
    )
    try:
        yield settings, db_url
    finally:
        conn.flushdb()
        conn.close()
        if postgres:
            drop_database(postgres, db_url)


def _stored(db_url: str) -> int:
    """Return how many articles are finished: stored or skipped.

    The fetch stage writes an article's row (status ``fetched``) before the later stages run,
    so counting every row stopped the clock, and counted copies, while the last articles were
    still queued (with a queue hop per stage, a copy or two went uncounted).
    """
    engine = make_engine(db_url)
    with session_factory(engine)() as s:
        n = (
            s.scalar(select(func.count()).select_from(Article).where(Article.status != "fetched"))
            or 0
        )
    engine.dispose()
    return n


def _duplicates(db_url: str) -> int:
    """Return how many stored articles were found to be copies of another."""
    engine = make_engine(db_url)
    with session_factory(engine)() as s:
        n = (
            s.scalar(
                select(func.count()).select_from(Article).where(Article.duplicate_of.is_not(None))
            )
            or 0
        )
    engine.dispose()
    return n


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_loop(room: Newsrooms, settings: Settings, db_url: str) -> dict[str, Any]:
    """Run the loop in a fresh process with a worker's environment; return its timings."""
    engine = make_engine(db_url)
    with transaction(session_factory(engine)) as s:
        add_feeds(s, room.feed_urls())
    engine.dispose()
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--loop-child"],
        env=worker_env(settings, db_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["articles"] = _stored(db_url)
    result["duplicates"] = _duplicates(db_url)
    return result


def loop_child() -> int:
    """The loop side, in its own process: print its timings as one JSON line."""
    rt = runtime()
    preload()  # as a worker does before it takes jobs
    stage_cpu: dict[str, float] = defaultdict(float)
    cpu0, t0 = time.process_time(), time.perf_counter()
    Poller(rt.settings, rt.engine, rt.redis).run_once()
    queue = get_queue(rt.redis, "fetch")
    jobs = queue.get_jobs()
    queue.empty()
    works = {stage: stage_work(stage) for stage in STAGES}
    for job in jobs:
        msg: Any = decode_entry(job.args[0])
        for stage in STAGES:
            spec = works[stage]
            c = time.process_time()
            out = spec.work(msg)
            if isinstance(out, Skip) and spec.on_skip is not None:
                spec.on_skip(msg, out)
            stage_cpu[stage] += time.process_time() - c
            if not isinstance(out, ArticleMessage):
                break  # skipped, or stored
            msg = out
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    print(json.dumps({"wall_s": wall, "cpu_s": cpu, "stage_cpu_s": dict(stage_cpu)}))
    return 0


def worker_env(settings: Settings, db_url: str, *, chain: bool = True) -> dict[str, str]:
    """Return the environment of a worker (and of the loop child) on these settings."""
    env = dict(os.environ)
    env.update(
        NEWSWIRE_CHAIN_STAGES="true" if chain else "false",
        NEWSWIRE_REDIS_URL=str(settings.redis_url),
        NEWSWIRE_DATABASE_URL=db_url,
        NEWSWIRE_DATA_DIR=str(settings.data_dir),
        NEWSWIRE_ALLOW_PRIVATE_NETWORKS="127.0.0.0/8",
        NEWSWIRE_LOG_LEVEL="WARNING",
        NEWSWIRE_LOG_FORMAT="json",
        # Every page is on one loopback host standing for many sites: no per-host gap.
        NEWSWIRE_HOST_MIN_GAP_S="0",
        NEWSWIRE_HOST_MAX_CONCURRENT="64",
    )
    return env


def start_workers(
    settings: Settings, db_url: str, workers: int, *, chain: bool = True
) -> list[subprocess.Popen[bytes]]:
    """Start ``workers`` real ``newswire worker`` processes on these settings; return them."""
    env = worker_env(settings, db_url, chain=chain)
    return [
        subprocess.Popen(
            [sys.executable, "-m", "newswire", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            cwd=ROOT,
        )
        for _ in range(workers)
    ]


def run_pipeline(
    room: Newsrooms,
    settings: Settings,
    db_url: str,
    workers: int,
    expected: int,
    *,
    chain: bool = True,
) -> dict[str, Any]:
    """Poll here, let ``workers`` real worker processes do the stages; return timings."""
    engine = make_engine(db_url)
    with transaction(session_factory(engine)) as s:
        add_feeds(s, room.feed_urls())
    conn = redis.Redis.from_url(str(settings.redis_url))
    procs = start_workers(settings, db_url, workers, chain=chain)
    try:
        deadline = time.monotonic() + 60
        while len(Worker.all(connection=conn)) < workers:
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not start within 60 s")
            time.sleep(0.05)
        cpu0 = sum(_cpu_s(p.pid) for p in procs)
        own0, t0 = time.process_time(), time.perf_counter()
        Poller(settings, engine, conn).run_once()
        while _stored(db_url) < expected:
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        cpu = sum(_cpu_s(p.pid) for p in procs) - cpu0
        poll_cpu = time.process_time() - own0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
        engine.dispose()
    return {
        "articles": _stored(db_url),
        "duplicates": _duplicates(db_url),
        "wall_s": wall,
        "cpu_s": cpu,
        "poll_cpu_s": poll_cpu,
    }


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so ``finally`` blocks stop the workers this run started."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def run_service(room: Newsrooms, settings: Settings, db_url: str, workers: int) -> dict[str, Any]:
    """Run ``newswire run --until-idle`` (the whole service) on the newsroom; return figures.

    Timed from launch to exit, so it includes the supervisor's start-up, the workers' model
    preload and the drain; the peak resident memory of every process in the tree is sampled.
    """
    import psutil

    engine = make_engine(db_url)
    with transaction(session_factory(engine)) as s:
        add_feeds(s, room.feed_urls())
    engine.dispose()
    conn = redis.Redis.from_url(str(settings.redis_url))
    mem0 = int(conn.info("memory")["used_memory"])
    log_path = Path(str(settings.data_dir)) / "service.log"
    env = {**worker_env(settings, db_url), "NEWSWIRE_LOG_LEVEL": "INFO"}
    t0 = time.perf_counter()
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newswire", "run", "--until-idle", "--workers", str(workers)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    peak: dict[str, float] = {}
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in tree:
            try:
                name = " ".join(p.cmdline()[2:5]) or p.name()
                if p.ppid() != proc.pid and p.pid != proc.pid:
                    # A worker's own child: RQ's scheduler (delayed retries), forked from it,
                    # so most of its resident pages are shared with its parent.
                    name = f"rq scheduler forked from worker {p.ppid()}"
                key = f"{name} ({p.pid})"
                peak[key] = max(peak.get(key, 0.0), p.memory_info().rss / 2**20)
            except psutil.Error:
                continue
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    mem1 = int(conn.info("memory")["used_memory"])
    conn.close()
    events = [json.loads(x) for x in log_path.read_text().splitlines() if x.startswith("{")]
    return {
        "exit": proc.returncode,
        "child_exits": [e for e in events if e.get("event") == "child_exited"],
        "log": str(log_path),
        "articles": _stored(db_url),
        "duplicates": _duplicates(db_url),
        "wall_s": wall,
        "rss_mb": {k: round(v, 1) for k, v in sorted(peak.items())},
        "redis_bytes_per_article": (mem1 - mem0) / max(_stored(db_url), 1),
    }


def main() -> int:
    """Run the comparison and print the figures as Markdown; return the exit code."""
    exit_on_sigterm()
    if sys.argv[1:] == ["--loop-child"]:
        return loop_child()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--copies", type=int, default=3, help="URLs per page (default 3)")
    ap.add_argument("--feeds", type=int, default=16, help="feeds the items are dealt into")
    ap.add_argument("--hosts", type=int, default=4, help="loopback servers (127.0.0.2...)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds; best is kept")
    ap.add_argument(
        "--redis-url",
        default=os.environ.get("NEWSWIRE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="a Redis database this benchmark may flush (default db 14)",
    )
    ap.add_argument(
        "--postgres",
        metavar="URL",
        help="run both sides on a fresh database made on this PostgreSQL server (default SQLite)",
    )
    ap.add_argument(
        "--service",
        type=int,
        metavar="WORKERS",
        help="instead: time `newswire run --until-idle --workers WORKERS` (the whole service)",
    )
    ap.add_argument(
        "--hops",
        action="store_true",
        help="also run each worker count with one queue hop per stage (chaining off)",
    )
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"note: {EVAL} not found; using the two sample pages only", file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix="newswire-bench-"))
    try:
        n = build_newsroom(work / "room", args.copies, args.feeds)
        room = Newsrooms(work / "room", args.hosts).start()
        if args.service:
            with fresh_state(args.redis_url, work, "service", args.postgres) as (settings, db):
                res = run_service(room, settings, db, args.service)
            room.stop()
            print(json.dumps(res, indent=1))
            print(
                f"\nnewswire run --until-idle --workers {args.service}: {res['articles']} of {n} "
                f"articles stored ({res['duplicates']} copies found) in {res['wall_s']:.1f} s "
                f"from launch to exit = {res['articles'] / res['wall_s']:.1f} articles/s; "
                f"exit {res['exit']}"
            )
            return 0 if res["exit"] == 0 and res["articles"] == n else 1
        results: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in range(args.rounds):
            with fresh_state(args.redis_url, work, f"loop{r}", args.postgres) as (settings, db):
                results["loop"].append(run_loop(room, settings, db))
            for w in args.workers:
                for chain in (True, False) if args.hops else (True,):
                    name = f"pipeline-{w}" + ("" if chain else "-hops")
                    tag = f"{name}-{r}"
                    with fresh_state(args.redis_url, work, tag, args.postgres) as (settings, db):
                        results[name].append(run_pipeline(room, settings, db, w, n, chain=chain))
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
        room.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    best = {k: min(v, key=lambda x: x["wall_s"]) for k, v in results.items()}
    loop_rate = best["loop"]["articles"] / best["loop"]["wall_s"]
    print(
        f"\n{n} article URLs ({n // args.copies} pages x {args.copies}, of which "
        f"{n - n // args.copies} copies) in {args.feeds} feeds on {args.hosts} hosts; "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}; best of {args.rounds}"
    )
    # The loop's CPU includes its poll; its stages' CPU alone is what a worker's CPU compares to
    # (the pipeline's poll runs in this process, outside the workers).
    loop_stage_ms = 1000 * sum(best["loop"]["stage_cpu_s"].values()) / best["loop"]["articles"]
    print(
        "\n| run | articles | copies found | wall s | articles/s | ratio to loop "
        "| CPU ms/article | stage CPU ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, res in best.items():
        rate = res["articles"] / res["wall_s"]
        cpu_ms = 1000 * res["cpu_s"] / res["articles"]
        cpu_ratio = "—" if name == "loop" else f"{loop_stage_ms / cpu_ms:.2f}"
        print(
            f"| {name} | {res['articles']} | {res['duplicates']} | {res['wall_s']:.2f} | "
            f"{rate:.1f} | "
            f"{rate / loop_rate:.2f} | {cpu_ms:.1f} | {cpu_ratio} |"
        )
    stage = best["loop"]["stage_cpu_s"]
    print(
        "\nloop, CPU ms per article by stage: "
        + ", ".join(f"{k} {1000 * v / best['loop']['articles']:.1f}" for k, v in stage.items())
    )
    walls = {k: [round(x["wall_s"], 2) for x in v] for k, v in results.items()}
    print(f"all rounds (wall s): {walls}; median loop {statistics.median(walls['loop'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
