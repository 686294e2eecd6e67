"""Syndication check of the dedupe index: precision, recall, time per lookup, Redis bytes.

Run from the repository root (Redis on 127.0.0.1:6379; keys go under a fresh prefix that is
deleted afterwards, nothing is flushed)::

    python bench/dedupe_bench.py [--redis-url URL] [--scale N]

Originals are the 62 true article bodies of ``../shared/eval/extraction/ground-truth.json``
(distinct pages, read in place). From each long enough body it makes copies the way syndication
edits them (fixed seed): agency credit appended; a lede rewritten; one paragraph dropped; two
paragraphs dropped and a credit added; ~3 % of words changed; and a byte-exact copy under another
URL. Originals go in first, then the copies in random order. A copy counts as found when its
verdict points into its original's cluster; any other duplicate verdict is a false positive.
The rule is run twice: as shipped (Jaccard or containment) and with Jaccard alone.
Memory is ``MEMORY USAGE`` summed over the index's keys, per article, after the syndication
run and after adding ``--scale`` more distinct articles (random word sequences).

Growth (``--growth N``, e.g. 1000000): fills a fresh index with N synthetic distinct bodies
(40 random words from a 50,000-word vocabulary: short, so that the fill is fast, yet long
enough for the near-duplicate path; every one goes through the same atomic script) and at
each checkpoint (10k, 30k, 100k, 300k, 1M...) times 200 lookups of fresh 300-word articles
and 200 of their copies with a paragraph dropped, and sums ``MEMORY USAGE`` over the index.
Lookup time must stay flat as the index grows::

    python bench/dedupe_bench.py --redis-url URL --growth 1000000 --skip-syndication
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import redis

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workers import dedupe  # noqa: E402
from workers.dedupe import DedupeIndex, DedupeVerdict  # noqa: E402

TRUTH = REPO.parent / "shared" / "eval" / "extraction" / "ground-truth.json"
CREDITS = ("(Reporting by Reuters.)", "AFP contributed to this report.", "— AP")


def _copies(key: str, body: str, rng: random.Random) -> list[tuple[str, str, str]]:
    """Return [(copy key, edit name, text)] for one original body."""
    paras = [p for p in body.split("\n") if p.strip()]
    out = [
        ("credit", body + "\n\n" + rng.choice(CREDITS)),
        ("lede", "Officials gave new details on Monday.\n\n" + "\n".join(paras[1:])),
        ("exact", body),
    ]
    if len(paras) >= 4:
        i = rng.randrange(1, len(paras))
        out.append(("drop1", "\n".join(paras[:i] + paras[i + 1 :])))
        j, k = sorted(rng.sample(range(1, len(paras)), 2))
        kept = [p for n, p in enumerate(paras) if n not in (j, k)]
        out.append(("drop2+credit", "\n".join(kept) + "\n" + rng.choice(CREDITS)))
    words = body.split(" ")
    for n in rng.sample(range(len(words)), max(1, len(words) // 33)):
        words[n] = rng.choice(("said", "reported", "the", "officials", "on", "Tuesday"))
    out.append(("words3%", " ".join(words)))
    return [(f"{key}~{name}", name, text) for name, text in out]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _memory(conn: redis.Redis, prefix: str) -> tuple[int, int, int]:
    """Return (bytes, bytes of the LSH buckets, keys) used by every key under ``prefix``."""
    total = lsh = keys = 0
    for key in conn.scan_iter(match=f"{prefix}:*", count=1000):
        used = int(conn.memory_usage(key, samples=0) or 0)
        total += used
        lsh += used if b":lsh:" in key else 0
        keys += 1
    return total, lsh, keys


def _drop(conn: redis.Redis, prefix: str) -> None:
    batch = list(conn.scan_iter(match=f"{prefix}:*", count=1000))
    for i in range(0, len(batch), 500):
        conn.delete(*batch[i : i + 500])


def run(conn: redis.Redis, rule: str, scale: int) -> dict[str, Any]:
    """Return the figures of one syndication run with ``rule`` ("shipped" or "jaccard")."""
    truth = json.loads(TRUTH.read_text("utf-8"))
    originals = {k: v["articleBody"] for k, v in sorted(truth.items())}
    rng = random.Random(7)
    copies = [c for k, b in originals.items() for c in _copies(k, b, rng)]
    rng.shuffle(copies)
    prefix = f"bench:dedupe:{uuid.uuid4().hex[:8]}"
    saved_ratio = dedupe.MIN_SIZE_RATIO
    if rule == "jaccard":
        dedupe.MIN_SIZE_RATIO = 2.0  # the smaller text is never 2x the larger: containment off
    index = DedupeIndex(conn, prefix=prefix)
    times: list[float] = []
    try:
        verdicts: dict[str, DedupeVerdict] = {}
        for key, body in originals.items():
            t = time.perf_counter()
            verdicts[key] = index.check_and_add(
                key, canonical_url=f"https://a.example/{key}", content_hash=_hash(body),
                text=body, published_at=None,
            )  # fmt: skip
            times.append((time.perf_counter() - t) * 1000)
        false_pos = sum(v.kind != "unique" for v in verdicts.values())
        eligible = {k for k, b in originals.items() if len(b.split()) >= dedupe.MIN_WORDS}
        found = missed = 0
        by_edit: dict[str, list[int]] = {}
        for ckey, edit, text in copies:
            orig = ckey.split("~")[0]
            t = time.perf_counter()
            v = index.check_and_add(
                ckey, canonical_url=f"https://b.example/{ckey}", content_hash=_hash(text),
                text=text, published_at=None,
            )  # fmt: skip
            times.append((time.perf_counter() - t) * 1000)
            if edit != "exact" and orig not in eligible:
                continue  # too short for near-duplicate detection by design
            # Right when it points into its own family (the original or another copy of it).
            family = (v.duplicate_of or "").split("~")[0]
            hit = v.kind != "unique" and family == orig
            if v.kind != "unique" and not hit:
                false_pos += 1
            found += hit
            missed += not hit
            by_edit.setdefault(edit, []).append(int(hit))
        n_articles = len(originals) + len(copies)
        mem, lsh, keys = _memory(conn, prefix)
        result: dict[str, Any] = {
            "rule": rule,
            "copies": found + missed,
            "precision": found / (found + false_pos) if found + false_pos else 1.0,
            "recall": found / (found + missed),
            "false_positives": false_pos,
            "recall_by_edit": {e: sum(h) / len(h) for e, h in sorted(by_edit.items())},
            "ms_median": statistics.median(times),
            "ms_mean": statistics.fmean(times),
            "articles": n_articles,
            "bytes_per_article": mem / n_articles,
            "lsh_bytes_per_article": lsh / n_articles,
            "keys": keys,
        }
        if scale:
            vocab = sorted({w for b in originals.values() for w in b.split()})
            for i in range(scale):
                text = " ".join(rng.choice(vocab) for _ in range(300))
                index.check_and_add(
                    f"scale{i}", canonical_url=f"https://c.example/{i}",
                    content_hash=_hash(text), text=text, published_at=None,
                )  # fmt: skip
            mem2, lsh2, keys2 = _memory(conn, prefix)
            result["scale_articles"] = n_articles + scale
            result["scale_bytes_per_article"] = mem2 / (n_articles + scale)
            result["scale_lsh_bytes_per_article"] = lsh2 / (n_articles + scale)
            result["scale_keys"] = keys2
        return result
    finally:
        dedupe.MIN_SIZE_RATIO = saved_ratio
        _drop(conn, prefix)


def clusters(conn: redis.Redis) -> dict[str, int]:
    """Return how the stories cluster when every copy arrives before its original.

    The worst order for clustering: differently edited copies of one story may each be too far
    from the others to match, so each starts a cluster, and only the original, arriving last,
    matches them all and must merge their clusters. Counts, over the stories long enough for
    near-duplicate detection: stories whose articles all end in one cluster (resolved through
    the merge map, and as first recorded, without it), and stories that share a cluster with
    another story (a false merge).
    """
    truth = json.loads(TRUTH.read_text("utf-8"))
    originals = {
        k: v["articleBody"]
        for k, v in sorted(truth.items())
        if len(v["articleBody"].split()) >= dedupe.MIN_WORDS
    }
    rng = random.Random(11)
    copies = [(ck, text) for k, b in originals.items() for ck, _e, text in _copies(k, b, rng)]
    rng.shuffle(copies)
    last = list(originals.items())
    rng.shuffle(last)
    prefix = f"bench:dedupe:{uuid.uuid4().hex[:8]}"
    index = DedupeIndex(conn, prefix=prefix)
    try:
        recorded: dict[str, set[str]] = {}
        for key, text in copies + last:
            v = index.check_and_add(
                key, canonical_url=f"https://d.example/{key}", content_hash=_hash(text),
                text=text, published_at=None,
            )  # fmt: skip
            recorded.setdefault(key.split("~")[0], set()).add(v.cluster_id)
        resolved = {story: {index.resolve(c) for c in cs} for story, cs in recorded.items()}
        owners: dict[str, set[str]] = {}
        for story, roots in resolved.items():
            for root in roots:
                owners.setdefault(root, set()).add(story)
        return {
            "stories": len(resolved),
            "one_cluster": sum(len(r) == 1 for r in resolved.values()),
            "one_cluster_unmerged": sum(len(c) == 1 for c in recorded.values()),
            "shared": len({s for group in owners.values() if len(group) > 1 for s in group}),
            "merges": int(conn.hlen(f"{prefix}:root")),
        }
    finally:
        _drop(conn, prefix)


CHECKPOINTS = (10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000)


def _memory_pipelined(conn: redis.Redis, prefix: str) -> tuple[int, int, int]:
    """Return (bytes, bytes of the LSH buckets, keys) under ``prefix``, 1,000 keys a round."""
    total = lsh = keys = 0
    batch: list[bytes] = []

    def flush() -> None:
        nonlocal total, lsh, keys
        pipe = conn.pipeline(transaction=False)
        for key in batch:
            pipe.memory_usage(key, samples=0)
        for key, used in zip(batch, pipe.execute(), strict=True):
            total += int(used or 0)
            lsh += int(used or 0) if b":lsh:" in key else 0
            keys += 1
        batch.clear()

    for key in conn.scan_iter(match=f"{prefix}:*", count=5000):
        batch.append(key)
        if len(batch) >= 1000:
            flush()
    if batch:
        flush()
    return total, lsh, keys


def _fill(index: DedupeIndex, rng: random.Random, vocab: list[str], start: int, stop: int) -> None:
    """Add distinct synthetic 40-word articles ``start``..``stop`` to ``index``."""
    for i in range(start, stop):
        text = " ".join(rng.choices(vocab, k=40))
        index.check_and_add(
            f"g{i}", canonical_url=f"https://g.example/{i}",
            content_hash=_hash(text), text=text, published_at=None,
        )  # fmt: skip


def _probe(
    indexes: dict[str, DedupeIndex], rng: random.Random, vocab: list[str], probes: int, tag: str
) -> tuple[dict[tuple[str, str], list[float]], dict[str, int]]:
    """Look up ``probes`` fresh 300-word articles and their copies (a paragraph dropped) on
    each index, interleaved so the indexes are timed at the same moments; return the ms of
    each lookup by (index, "new"/"copy") and the copies found as copies by index."""
    times: dict[tuple[str, str], list[float]] = {
        (name, kind): [] for name in indexes for kind in ("new", "copy")
    }
    found = dict.fromkeys(indexes, 0)
    for j in range(probes):
        paras = [" ".join(rng.choices(vocab, k=60)) for _ in range(5)]
        for name, index in indexes.items():
            for kind, body in (("new", paras), ("copy", paras[:2] + paras[3:])):
                text = "\n".join(body)
                key = f"{tag}-{name}-{j}-{kind}"
                t = time.perf_counter()
                v = index.check_and_add(
                    key, canonical_url=f"https://p.example/{key}",
                    content_hash=_hash(text), text=text, published_at=None,
                )  # fmt: skip
                times[name, kind].append((time.perf_counter() - t) * 1000)
                found[name] += kind == "copy" and v.kind == "near"
    return times, found


def _side_by_side(
    indexes: dict[str, DedupeIndex], rng: random.Random, vocab: list[str], probes: int = 300
) -> None:
    """Print lookup times on each index, measured side by side (see :func:`_probe`)."""
    times, found = _probe(indexes, rng, vocab, probes, "side")
    for (name, kind), values in times.items():
        q = statistics.quantiles(values, n=20)
        label = f"{name} {kind}"
        print(f"side by side: {label:>14} ms p50 {statistics.median(values):.2f} p95 {q[18]:.2f}")
    print(f"side by side: copies found {found} of {probes} each", flush=True)


def growth(conn: redis.Redis, n: int) -> None:
    """Fill an index up to ``n`` articles; print lookup time and memory at each checkpoint,
    then lookups on it and on a fresh 10,000-article index side by side."""
    rng = random.Random(11)
    vocab = [f"{rng.choice('bcdfglmnprst')}{rng.choice('aeiou')}{i:x}" for i in range(50_000)]
    prefix = f"bench:growth:{uuid.uuid4().hex[:8]}"
    small_prefix = f"{prefix}-small"
    index = DedupeIndex(conn, prefix=prefix)
    print(f"{'articles':>10} {'new ms p50':>10} {'p95':>6} {'copy ms p50':>11} {'p95':>6} "
          f"{'found':>6} {'bytes/art':>9} {'LSH':>6} {'keys':>8} {'fill s':>7}")  # fmt: skip
    filled, started = 0, time.perf_counter()
    try:
        for checkpoint in (c for c in CHECKPOINTS if c <= n):
            _fill(index, rng, vocab, filled, checkpoint)
            filled = checkpoint
            times, copies = _probe({"index": index}, rng, vocab, 200, f"probe{checkpoint}")
            new_ms, copy_ms, found = times["index", "new"], times["index", "copy"], copies["index"]
            mem, lsh, keys = _memory_pipelined(conn, prefix)
            articles = filled + 400
            q = statistics.quantiles
            print(
                f"{articles:>10} {statistics.median(new_ms):>10.2f} {q(new_ms, n=20)[18]:>6.2f} "
                f"{statistics.median(copy_ms):>11.2f} {q(copy_ms, n=20)[18]:>6.2f} "
                f"{found:>6} {mem / articles:>9.0f} {lsh / articles:>6.0f} {keys:>8} "
                f"{time.perf_counter() - started:>7.0f}",
                flush=True,
            )
        small = DedupeIndex(conn, prefix=small_prefix)
        _fill(small, random.Random(12), vocab, 0, 10_000)
        _side_by_side({f"grown {filled:,}": index, "fresh 10,000": small}, rng, vocab)
    finally:
        _drop(conn, prefix)
        _drop(conn, small_prefix)


def main() -> int:
    """Run the syndication check under both rules and print the figures; return exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--scale", type=int, default=5000, help="extra distinct articles")
    parser.add_argument("--growth", type=int, default=0, help="fill to N articles, timing lookups")
    parser.add_argument("--skip-syndication", action="store_true", help="only the growth run")
    args = parser.parse_args()
    if not TRUTH.is_file():
        print(f"no ground truth at {TRUTH}", file=sys.stderr)
        return 2
    conn: redis.Redis = redis.Redis.from_url(args.redis_url)
    if args.growth:
        growth(conn, args.growth)
    for rule, scale in () if args.skip_syndication else (("shipped", args.scale), ("jaccard", 0)):
        r = run(conn, rule, scale)
        print(
            f"{rule:8} copies={r['copies']} precision={r['precision']:.3f} "
            f"recall={r['recall']:.3f} false_pos={r['false_positives']} "
            f"ms/lookup median={r['ms_median']:.2f} mean={r['ms_mean']:.2f} "
            f"bytes/article={r['bytes_per_article']:.0f} "
            f"(LSH {r['lsh_bytes_per_article']:.0f}; {r['articles']} articles, "
            f"{r['keys']} keys)"
        )
        print("         recall by edit: " + ", ".join(
            f"{e} {v:.2f}" for e, v in r["recall_by_edit"].items()
        ))  # fmt: skip
        if "scale_articles" in r:
            print(
                f"         at {r['scale_articles']} articles: "
                f"{r['scale_bytes_per_article']:.0f} bytes/article "
                f"(LSH {r['scale_lsh_bytes_per_article']:.0f}; {r['scale_keys']} keys)"
            )
    if not args.skip_syndication:
        c = clusters(conn)
        print(
            f"copies before their originals: {c['stories']} stories, one cluster per story "
            f"{c['one_cluster']}/{c['stories']} ({c['one_cluster_unmerged']} without merging; "
            f"{c['merges']} merges), stories sharing a cluster with another: {c['shared']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
