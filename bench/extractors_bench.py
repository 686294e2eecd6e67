"""Article extraction side by side: what a user would otherwise build on, and our cleaning.

On the same pages in one run (the 62 pages of ``../shared/eval/extraction`` with their true
bodies, and the two sample pages), each candidate extracts every page ``--rounds`` times;
reported: pages per second on one core (median round), token F1 against the truth, and how
our whole per-article pipeline (all stages, one process) compares.

* trafilatura   ``bare_extraction`` with defaults: the floor for our cleaning stage
* ours          ``ingest.clean.clean_html`` (trafilatura tuned + boilerplate removal + metadata)
* news-please   ``NewsPlease.from_html`` (extraction only, images off)
* newspaper4k   ``Article.download(input_html=...)`` + ``parse()``
* ours, all stages  clean → dedupe (Redis) → language → events → store (SQLite), no queues

    pip install -e '.[bench]' && python bench/extractors_bench.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval" / "extraction"
_WORD = re.compile(r"\w+")


def load_pages() -> list[tuple[str, bytes, str | None]]:
    """Return (url, html, true body or None) for every page."""
    pages: list[tuple[str, bytes, str | None]] = []
    if EVAL.is_dir():
        truth = json.loads((EVAL / "ground-truth.json").read_text(encoding="utf-8"))
        for key, rec in sorted(truth.items()):
            path = EVAL / "html" / f"{key}.html.gz"
            if path.exists():
                pages.append((rec["url"], gzip.decompress(path.read_bytes()), rec["articleBody"]))
    from newswire.newsroom import DEMO_DATA

    gold = {
        json.loads(line)["id"]: json.loads(line)["text"]
        for line in (DEMO_DATA / "gold_text.jsonl").read_text(encoding="utf-8").splitlines()
    }
    for path in sorted((DEMO_DATA / "articles").glob("*.html")):
        pages.append(
            (f"https://example.org/articles/{path.name}", path.read_bytes(), gold[path.stem])
        )
    return pages


def f1(found: str, truth: str) -> float:
    """Return token F1 (lower-cased \\w+ tokens, multiset overlap)."""
    a, b = Counter(_WORD.findall(found.lower())), Counter(_WORD.findall(truth.lower()))
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def candidates() -> dict[str, Callable[[str, bytes], str]]:
    """Return the extractors available here, by name."""
    import trafilatura

    from ingest.clean import clean_html

    out: dict[str, Callable[[str, bytes], str]] = {}

    def traf(url: str, html: bytes) -> str:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        return (doc.text if doc is not None else "") or ""

    def ours(url: str, html: bytes) -> str:
        art = clean_html(html, url=url)
        return art.text if art is not None else ""

    out["trafilatura (defaults)"] = traf
    out["ours (ingest.clean)"] = ours
    try:
        from newsplease import NewsPlease

        def news_please(url: str, html: bytes) -> str:
            art = NewsPlease.from_html(html.decode("utf-8", "replace"), url=url, fetch_images=False)
            return (art.maintext or "") if art is not None else ""

        out["news-please"] = news_please
    except ImportError:
        print("news-please not installed (pip install -e '.[bench]')", file=sys.stderr)
    try:
        from newspaper import Article

        def newspaper4k(url: str, html: bytes) -> str:
            art = Article(url, fetch_images=False)
            art.download(input_html=html.decode("utf-8", "replace"))
            art.parse()
            return str(art.text or "")

        out["newspaper4k"] = newspaper4k
    except ImportError:
        print("newspaper4k not installed (pip install -e '.[bench]')", file=sys.stderr)
    return out


def all_stages(redis_url: str) -> Callable[[str, bytes], str]:
    """Return a function running every stage after the HTTP fetch on one page, in-process."""
    import redis

    from ingest.clean import clean_html, content_hash
    from ingest.db import make_engine, session_factory, transaction, upgrade
    from ingest.identity import article_key, canonical_url
    from schemas.messages import ArticleMessage
    from workers.dedupe import DedupeIndex, dedupe_article
    from workers.events import code_article
    from workers.language import tag_language
    from workers.pool import preload
    from workers.store import store_article

    conn = redis.Redis.from_url(redis_url)
    conn.flushdb()
    db = f"sqlite:///{tempfile.mkdtemp(prefix='newswire-x-')}/x.db"
    upgrade(db)
    sessions = session_factory(make_engine(db))
    index = DedupeIndex(conn)
    preload()
    counter = iter(range(10**9))

    def run(url: str, html: bytes) -> str:
        # A fresh URL per call: every round is new articles, as in production, not duplicates.
        u = f"{url}#r{next(counter)}"
        art = clean_html(html, url=u)
        if art is None:
            return ""
        key = article_key(canonical_url(u) + u)
        msg = ArticleMessage(
            article_key=key,
            url=u,
            feed_url="bench",
            trace_id=key[:16],
            canonical_url=u,
            title=art.title,
            text=art.text,
            fetched_at="2024-07-16T12:00:00+00:00",
            content_hash=content_hash(art.text) + key,  # distinct: measure the full path
            published_at=art.published_at,
        )
        msg = code_article(tag_language(dedupe_article(msg, index)))
        with transaction(sessions) as s:
            store_article(s, msg)
        return msg.text

    return run


def main() -> int:
    """Run every candidate over the pages and print a Markdown table; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--redis-url",
        default=os.environ.get("NEWSWIRE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="a Redis database this benchmark may flush (default db 14)",
    )
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import logging

    logging.disable(logging.WARNING)
    pages = load_pages()
    runs = candidates()
    runs["ours, all stages (no queues)"] = all_stages(args.redis_url)
    rows = []
    errors: Counter[str] = Counter()

    def guarded(name: str, fn: Callable[[str, bytes], str], url: str, html: bytes) -> str:
        try:
            return fn(url, html)
        except Exception:  # a candidate failing on a page scores 0 for it; counted below
            errors[name] += 1
            return ""

    for name, fn in runs.items():
        guarded(name, fn, *pages[0][:2])  # warm-up: imports, models
        errors[name] = 0
        times: list[float] = []
        for _ in range(args.rounds):
            cpu = time.process_time()
            texts = [guarded(name, fn, url, html) for url, html, _ in pages]
            times.append(time.process_time() - cpu)
        scores = [f1(t, truth) for t, (_, _, truth) in zip(texts, pages, strict=True) if truth]
        rate = len(pages) / statistics.median(times)
        rows.append((name, rate, statistics.mean(scores)))
        print(f"{name}: {rate:.1f} pages/s", file=sys.stderr)
    base = {n: r for n, r, _ in rows}
    np_rate = base.get("news-please")
    print(f"\n{len(pages)} pages, {args.rounds} rounds, CPU time of this process (one core)\n")
    print("| extractor | pages/s per core | ms/page | mean token F1 | × news-please | errors |")
    print("|---|---|---|---|---|---|")
    for name, rate, score in rows:
        ratio = f"{rate / np_rate:.2f}" if np_rate else "-"
        f1_text = f"{score:.3f}" if "all stages" not in name else f"{score:.3f} (same text)"
        errs = errors[name] // args.rounds
        print(f"| {name} | {rate:.1f} | {1000 / rate:.1f} | {f1_text} | {ratio} | {errs} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
