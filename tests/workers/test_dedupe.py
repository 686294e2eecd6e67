"""Dedupe on a real Redis: exact claims, near copies, distinct stories, idempotence, races,
clusters merged when an original arrives after two of its copies."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import redis
from redis import Redis

from workers.dedupe import MIN_WORDS, DedupeIndex, DedupeVerdict, resolve_cluster
from workers.lsh import jaccard, signature, tokens

# Two reports of the same event written independently, as two agencies would.
STORY_A = (
    "A drone strike hit a vehicle near the border town early on Sunday, killing three people "
    "and wounding two others, local officials said. The vehicle was travelling on the main road "
    "towards the crossing when it was struck. Witnesses described a loud explosion followed by "
    "a fire that burned for nearly an hour before rescue teams could reach the site. No group "
    "has claimed responsibility, and the army said an investigation had been opened."
)
STORY_B = (
    "Three people died and two were injured on Sunday morning when an unmanned aircraft fired "
    "on a car close to the frontier, according to the regional governor. Residents told our "
    "correspondent they heard the blast from several kilometres away. Emergency services were "
    "delayed by the flames. Military spokesmen declined to say who was behind the attack, but "
    "promised a full inquiry into the incident in the coming days."
)


def _bodies(shared_dir: Path, n: int) -> list[str]:
    """Return ``n`` long ground-truth bodies of the extraction set, in a fixed order."""
    truth = json.loads((shared_dir / "eval" / "extraction" / "ground-truth.json").read_text())
    bodies = [truth[k]["articleBody"] for k in sorted(truth)]
    long = [b for b in bodies if b.count("\n\n") >= 6 and len(b.split()) >= 300]
    assert len(long) >= n
    return long[:n]


def _halves(original: str) -> tuple[str, str]:
    """Return two edits of ``original``: its first 60 % of words and its last 60 %.

    Each is a copy of the original (the original contains it), while the two share only a
    fifth of the story: too little for either to be a copy of the other.
    """
    words = original.split(" ")
    n = len(words)
    return " ".join(words[: n * 6 // 10]), " ".join(words[n * 4 // 10 :])


def _add(index: DedupeIndex, key: str, text: str, url: str | None = None) -> DedupeVerdict:
    return index.check_and_add(
        key,
        canonical_url=url or f"https://example.org/{key}",
        content_hash=f"hash-{key}",
        text=text,
        published_at="2024-05-01T10:00:00+00:00",
    )


def test_first_article_is_unique_and_its_own_cluster(redis_conn: Redis) -> None:
    verdict = _add(DedupeIndex(redis_conn), "a1", STORY_A)
    assert verdict == DedupeVerdict(None, "a1", "unique", None)


def test_exact_url(redis_conn: Redis) -> None:
    index = DedupeIndex(redis_conn)
    _add(index, "a1", STORY_A, url="https://example.org/story")
    verdict = _add(index, "a2", STORY_B, url="https://example.org/story")
    assert verdict == DedupeVerdict("a1", "a1", "exact_url", None)


def test_exact_text_even_when_short(redis_conn: Redis) -> None:
    index = DedupeIndex(redis_conn)
    text = "Short wire item."
    first = index.check_and_add(
        "a1",
        canonical_url="https://a.example/1",
        content_hash="sha256:abc",
        text=text,
        published_at=None,
    )
    second = index.check_and_add(
        "a2",
        canonical_url="https://b.example/2",
        content_hash="sha256:abc",
        text=text,
        published_at=None,
    )
    assert first.kind == "unique"
    assert second == DedupeVerdict("a1", "a1", "exact_text", 1.0)


def test_near_copies_with_syndication_edits(redis_conn: Redis, shared_dir: Path) -> None:
    index = DedupeIndex(redis_conn)
    original = _bodies(shared_dir, 1)[0]
    assert _add(index, "orig", original).kind == "unique"
    paras = original.split("\n\n")
    edits = {
        "credit": original + "\n\n(Reporting by Reuters; editing by the wire desk.)",
        "dropped": "\n\n".join(paras[:2] + paras[3:]),
        "headline": "UPDATED: officials respond\n\n" + original,
        "trimmed_and_credited": "\n\n".join(paras[:-1]) + "\n\nAFP contributed to this report.",
    }
    for name, text in edits.items():
        verdict = _add(index, name, text)
        assert verdict.kind == "near", name
        assert verdict.duplicate_of == "orig", name
        assert verdict.cluster_id == "orig", name
        assert verdict.similarity is not None
        assert verdict.similarity >= 0.8, name


def test_cluster_follows_the_first_article(redis_conn: Redis, shared_dir: Path) -> None:
    index = DedupeIndex(redis_conn)
    original = _bodies(shared_dir, 1)[0]
    _add(index, "orig", original)
    _add(index, "copy1", original + "\n\nAP contributed.")
    # A copy of the copy, whatever it matches first, lands in the first article's cluster.
    verdict = _add(index, "copy2", original + "\n\nAP contributed. Updated at noon.")
    assert verdict.kind == "near"
    assert verdict.cluster_id == "orig"


def test_different_stories_are_unique(redis_conn: Redis, shared_dir: Path) -> None:
    index = DedupeIndex(redis_conn)
    assert _add(index, "a", STORY_A).kind == "unique"
    assert _add(index, "b", STORY_B).kind == "unique"
    for i, body in enumerate(_bodies(shared_dir, 6)):
        assert _add(index, f"page{i}", body).kind == "unique"


def test_similarity_matches_the_signatures(redis_conn: Redis, shared_dir: Path) -> None:
    index = DedupeIndex(redis_conn, threshold=0.5)
    original = _bodies(shared_dir, 1)[0]
    words = original.split(" ")
    insert = ["according", "to", "a", "statement", "released", "later", "by", "the"]
    insert += ["ministry", "of", "information"]
    cut = [len(words) // 4, len(words) // 2, 3 * len(words) // 4]
    edited = " ".join(
        words[: cut[0]]
        + insert
        + words[cut[0] : cut[1]]
        + insert
        + words[cut[1] : cut[2]]
        + insert
        + words[cut[2] :]
    )
    _add(index, "orig", original)
    verdict = _add(index, "edit", edited)
    jac = jaccard(
        signature(tokens(original), 128, 32).packed, signature(tokens(edited), 128, 32).packed
    )
    assert verdict.kind == "near"
    assert verdict.similarity is not None
    assert verdict.similarity >= jac  # containment of the smaller text can only add
    assert 0.8 < jac < 1.0


def test_short_texts_skip_near_duplicates(redis_conn: Redis) -> None:
    index = DedupeIndex(redis_conn)
    short = " ".join(STORY_A.split()[: MIN_WORDS - 2])
    _add(index, "s1", short)
    assert _add(index, "s2", short + " Updated.").kind == "unique"
    assert redis_conn.hlen("newswire:dedupe:sig") == 0


def test_idempotent_per_article_key(redis_conn: Redis, shared_dir: Path) -> None:
    index = DedupeIndex(redis_conn)
    original = _bodies(shared_dir, 1)[0]
    first = [_add(index, "orig", original), _add(index, "copy", original + "\n\nAFP.")]
    keys_before = sorted(redis_conn.keys("newswire:dedupe:*"))
    seq = redis_conn.get("newswire:dedupe:seq")
    again = [_add(index, "orig", original), _add(index, "copy", original + "\n\nAFP.")]
    assert again == first
    assert first[1].kind == "near"
    assert index.verdict("copy") == first[1]
    assert index.verdict("never-seen") is None
    # A re-run adds nothing: no new sequence number, no new keys.
    assert redis_conn.get("newswire:dedupe:seq") == seq
    assert sorted(redis_conn.keys("newswire:dedupe:*")) == keys_before


def test_concurrent_near_copies_keep_exactly_one(redis_url: str, shared_dir: Path) -> None:
    original = _bodies(shared_dir, 1)[0]
    texts = (original + "\n\nReuters contributed.", original + "\n\nAFP contributed.")
    rounds = 40
    results: list[list[DedupeVerdict | None]] = [[None, None] for _ in range(rounds)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(slot: int) -> None:
        conn = redis.Redis.from_url(redis_url)
        try:
            for r in range(rounds):
                index = DedupeIndex(conn, prefix=f"race:{r}")
                barrier.wait(timeout=10)
                results[r][slot] = index.check_and_add(
                    f"r{r}-w{slot}",
                    canonical_url=f"https://site{slot}.example/{r}",
                    content_hash=f"h{r}-{slot}",
                    text=texts[slot],
                    published_at=None,
                )
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    winners = set()
    for r, pair in enumerate(results):
        assert all(v is not None for v in pair)
        kinds = sorted(v.kind for v in pair if v is not None)
        assert kinds == ["near", "unique"], (r, pair)
        unique = next(v for v in pair if v is not None and v.kind == "unique")
        near = next(v for v in pair if v is not None and v.kind == "near")
        assert near.duplicate_of == unique.cluster_id
        winners.add(unique.cluster_id.split("-")[1])
    # Which worker wins is left to the race; both orders are handled.
    assert winners


def test_copies_before_their_original_merge_into_the_earliest_cluster(
    redis_conn: Redis, shared_dir: Path
) -> None:
    index = DedupeIndex(redis_conn)
    original = _bodies(shared_dir, 1)[0]
    a, b = _halves(original)
    assert _add(index, "A", a) == DedupeVerdict(None, "A", "unique", None)
    # B is not a copy of A: a cluster of its own, as long as the original has not been seen.
    assert _add(index, "B", b) == DedupeVerdict(None, "B", "unique", None)
    b_copy = _add(index, "B2", b + "\n\nReuters contributed.")
    assert (b_copy.duplicate_of, b_copy.cluster_id) == ("B", "B")
    o = _add(index, "O", original)
    assert (o.kind, o.duplicate_of, o.cluster_id, o.merged) == ("near", "A", "A", ("B",))
    # Verdicts stay as given; the clusters they name resolve to the root.
    assert index.verdict("B") == DedupeVerdict(None, "B", "unique", None)
    assert [index.resolve(c) for c in ("A", "B")] == ["A", "A"]
    assert resolve_cluster(redis_conn, "newswire:dedupe", "B") == "A"
    assert index.cluster_path("B") == ["B", "A"]
    # A re-run of the original's check returns the same verdict and merges nothing again.
    roots_before = redis_conn.hgetall("newswire:dedupe:root")
    assert _add(index, "O", original) == o
    assert redis_conn.hgetall("newswire:dedupe:root") == roots_before
    # A later copy of B, or an exact copy of B, joins the root cluster directly.
    later = _add(index, "B3", b + "\n\nAFP contributed to this report.")
    assert (later.kind, later.cluster_id, later.merged) == ("near", "A", ())
    exact = _add(index, "B4", b, url="https://example.org/B")
    assert (exact.kind, exact.duplicate_of, exact.cluster_id) == ("exact_url", "B", "A")
    # A story of its own stays its own cluster.
    assert _add(index, "other", STORY_A) == DedupeVerdict(None, "other", "unique", None)
    assert index.resolve("other") == "other"


def test_merge_root_is_the_first_claim_not_the_first_match(
    redis_conn: Redis, shared_dir: Path
) -> None:
    """B claimed before A: B's cluster absorbs A's, whichever the original matches first."""
    index = DedupeIndex(redis_conn)
    original = _bodies(shared_dir, 1)[0]
    a, b = _halves(original)
    _add(index, "B", b)
    _add(index, "A", a)
    o = _add(index, "O", original)
    assert (o.cluster_id, o.merged) == ("B", ("A",))
    assert index.resolve("A") == "B"


def test_chained_merges_resolve_to_the_first_root(redis_conn: Redis, shared_dir: Path) -> None:
    """Clusters merged twice: C into B by one longer edit, then B into A by another."""
    index = DedupeIndex(redis_conn)
    words = _bodies(shared_dir, 1)[0].split(" ")
    n = len(words)

    def part(lo: int, hi: int) -> str:
        return " ".join(words[n * lo // 10 : n * hi // 10])

    # Windows on one story; neighbours overlap by a tenth, too little to be copies.
    _add(index, "A", part(0, 4))
    _add(index, "B", part(3, 7))
    _add(index, "C", part(6, 10))
    assert [_add(index, k, t).kind for k, t in (("A", ""), ("B", ""), ("C", ""))] == ["unique"] * 3
    tail = _add(index, "tail", part(3, 10))
    assert (tail.cluster_id, tail.merged) == ("B", ("C",))
    head = _add(index, "head", part(0, 7))
    assert (head.cluster_id, head.merged) == ("A", ("B",))
    assert index.cluster_path("C") == ["C", "B", "A"]
    assert [index.resolve(c) for c in ("A", "B", "C")] == ["A", "A", "A"]
    assert _add(index, "C2", part(6, 10) + " AP.").cluster_id == "A"
    # The script compressed C's path as it walked it.
    assert redis_conn.hget("newswire:dedupe:root", "C") == b"A"


def test_concurrent_copies_and_original_end_in_one_cluster(
    redis_url: str, shared_dir: Path
) -> None:
    """Three workers check A, B and the original at once: one cluster, whatever the order."""
    original = _bodies(shared_dir, 1)[0]
    a, b = _halves(original)
    texts = {"A": a, "B": b, "O": original}
    rounds = 30
    results: list[dict[str, DedupeVerdict]] = [{} for _ in range(rounds)]
    barrier = threading.Barrier(len(texts))
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        conn = redis.Redis.from_url(redis_url)
        try:
            for r in range(rounds):
                index = DedupeIndex(conn, prefix=f"race3:{r}")
                barrier.wait(timeout=10)
                results[r][name] = _add(index, f"{name}{r}", texts[name])
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    conn = redis.Redis.from_url(redis_url)
    merges = 0
    try:
        for r, verdicts in enumerate(results):
            roots = {resolve_cluster(conn, f"race3:{r}", v.cluster_id) for v in verdicts.values()}
            assert len(roots) == 1, (r, verdicts)
            # The root is the first article claimed: unique, and the original or the first copy.
            root = roots.pop()
            assert verdicts[root[0]] == DedupeVerdict(None, root, "unique", None), (r, verdicts)
            uniques = sorted(k for k, v in verdicts.items() if v.kind == "unique")
            merged = [m for v in verdicts.values() for m in v.merged]
            # Two uniques (A and B first) take one merge; with the original first, none.
            assert len(merged) == len(uniques) - 1, (r, verdicts)
            merges += len(merged)
    finally:
        conn.close()
    # Both copies first (a merge) comes up in about half the rounds.
    assert merges


def test_a_verdict_recorded_before_merging_existed_still_decodes(redis_conn: Redis) -> None:
    redis_conn.hset("newswire:dedupe:verdict", "old", "near\x1fa1\x1fa1\x1f0.9100")
    assert DedupeIndex(redis_conn).verdict("old") == DedupeVerdict("a1", "a1", "near", 0.91)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"bands": 30}, "divide"), ({"threshold": 0.0}, "threshold"), ({"bands": 0}, "bands")],
)
def test_bad_settings_are_refused(
    redis_conn: Redis, kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        DedupeIndex(redis_conn, **kwargs)  # type: ignore[arg-type]


def test_empty_article_key_is_refused(redis_conn: Redis) -> None:
    with pytest.raises(ValueError, match="article_key"):
        _add(DedupeIndex(redis_conn), "", STORY_A)
