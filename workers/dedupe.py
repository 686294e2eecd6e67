"""Duplicate detection against every article seen: exact URL, exact text, near copies.

One Lua script does the whole check for an article, so the check and the claim are one atomic
step: two workers handed two copies of a story at the same moment cannot both keep theirs,
whichever order Redis runs them in. The script, in order:

1. returns the verdict already recorded for this article key (a re-run job gets the same answer);
2. canonical URL, then content hash: the first article to claim one owns it (``exact_url``,
   ``exact_text``); a new URL or hash is claimed for this article;
3. for a body of at least :data:`MIN_WORDS` words, gives the article a sequence number, stores
   its MinHash signature, and for every LSH band both reads the articles already in the band's
   bucket and appends this one; the candidates found (deduplicated, at most :data:`MAX_BUCKET`
   per band) are confirmed against their stored signatures, earliest first. The first whose
   similarity reaches ``threshold`` is the one this article duplicates (``near``). With more
   than one candidate the rest are looked at too, but only those in a cluster not yet matched
   are compared (a cluster lookup is cheaper than a signature comparison): when the matches
   fall in several clusters, the clusters are merged (below);
4. records the verdict.

``duplicate_of`` is the earliest-claimed stored article the new one matches; ``cluster_id`` is
the root of that article's cluster. A cluster is named by its canonical (first) article, and a
unique article's cluster is its own key.

Merging. Two differently edited copies A and B of a story that arrive before the original O
may be too different from each other to match: each becomes a cluster of its own. O matches
both, so its check merges them. Clusters form a union-find forest in ``:root`` {cluster:
parent cluster}; the root of a merge is the cluster whose canonical article was claimed first
(its sequence number is kept in its verdict), so a cluster is still named by its earliest
article. O's verdict names the root and lists the clusters it merged (``merged``). Verdicts
are final once given (idempotence): B's verdict still says ``unique``, cluster B; what changes
is that cluster B now resolves to A (:func:`resolve_cluster`, :meth:`DedupeIndex.resolve`).
The store stage resolves clusters when it writes them and re-labels rows stored under a
merged cluster (see ``workers/store.py``). Order is by claim, not by ``published_at``.
Verdicts written before merging existed carry no sequence number; such a cluster ranks before
every cluster that has one (it is older), and two of them rank by their earliest matched
member.

Similarity is the estimated Jaccard similarity of the two 5-word shingle sets, or, when the
smaller text has at least :data:`MIN_SIZE_RATIO` of the larger's shingles, the estimated share
of the smaller inside the larger: a syndicated copy that drops a paragraph or two is still a
copy, while a short brief quoting a long report is not.

Redis layout under ``prefix`` (memory per article is measured by ``bench/dedupe_bench.py``):
``:verdict`` {article_key: ``kind␟duplicate_of␟cluster␟similarity[␟merged[␟seq]]``} (merged
cluster ids separated by ␞; ``seq`` only on the verdict of a unique article with a signature),
``:url`` {canonical_url: key}, ``:hash`` {content_hash: key}, ``:seq`` counter, ``:key`` {id:
key}, ``:sig`` {id: shingle count + packed signature}, ``:root`` {merged cluster: parent},
``:lsh:<2 hex bytes>`` {band byte + 6 digest bytes: packed ids}. Ids are 4-byte big-endian;
the LSH buckets are spread over 65,536 small hashes so that Redis keeps each in its compact
listpack form (up to ``hash-max-listpack-entries`` fields, 128 by default, i.e. about 260,000
articles; raise it for more).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, cast

import redis

from ingest.logsetup import get_logger
from schemas.messages import ArticleMessage, decode_article
from workers.lsh import signature, tokens
from workers.runtime import JobResult, StageWork, run_stage, runtime

log = get_logger("newswire.stage")
Kind = Literal["unique", "exact_url", "exact_text", "near"]
_KINDS: tuple[Kind, ...] = ("unique", "exact_url", "exact_text", "near")
#: Bodies with fewer words are checked for exact copies only: a few words share too little.
MIN_WORDS = 30
#: Containment counts only when the smaller text has at least this share of the larger's shingles.
MIN_SIZE_RATIO = 0.5
#: A bucket stops growing at this many articles: its earliest ones are the canonical ones, and
#: a bucket that full means a band shared by unrelated texts (boilerplate), not a story.
MAX_BUCKET = 64
_SEP = "\x1f"

_MSEP = "\x1e"

# KEYS: 1 verdicts, 2 urls, 3 hashes, 4 seq, 5 ids, 6 signatures, 7 roots, 8.. LSH tables
# ARGV: 1 article key, 2 url, 3 content hash, 4 threshold, 5 max bucket, 6 min size ratio,
#       7 signature ("" = no near check), 8.. band fields (ARGV[i] goes with KEYS[i])
_LUA = """
local key = ARGV[1]
local done = redis.call('HGET', KEYS[1], key)
if done then return done end
local sep, msep = '\\31', '\\30'

-- Field n (1-based) of a recorded verdict, '' when absent.
local function field(rec, n)
  local s = 1
  for _ = 2, n do
    local p = string.find(rec, sep, s, true)
    if not p then return '' end
    s = p + 1
  end
  local p = string.find(rec, sep, s, true)
  return string.sub(rec, s, (p or 0) - 1)
end

-- The root of cluster c, compressing the path walked.
local function root(c)
  local p = redis.call('HGET', KEYS[7], c)
  if not p then return c end
  local path = {}
  while p do
    path[#path + 1] = c
    c = p
    p = redis.call('HGET', KEYS[7], c)
  end
  for i = 1, #path - 1 do redis.call('HSET', KEYS[7], path[i], c) end
  return c
end

-- The root cluster of stored article a.
local function cluster_of(a)
  local rec = redis.call('HGET', KEYS[1], a)
  if rec then return root(field(rec, 3)) end
  return root(a)
end

local function record(kind, dup, cluster, sim, merged, seq)
  local s = kind .. sep .. (dup or '') .. sep .. cluster .. sep .. (sim or '')
  if merged ~= '' or seq then s = s .. sep .. merged end
  if seq then s = s .. sep .. seq end
  redis.call('HSET', KEYS[1], key, s)
  return s
end

local url, chash = ARGV[2], ARGV[3]
if url ~= '' then
  local owner = redis.call('HGET', KEYS[2], url)
  if owner then return record('exact_url', owner, cluster_of(owner), nil, '', nil) end
  redis.call('HSET', KEYS[2], url, key)
end
if chash ~= '' then
  local owner = redis.call('HGET', KEYS[3], chash)
  if owner then return record('exact_text', owner, cluster_of(owner), '1', '', nil) end
  redis.call('HSET', KEYS[3], chash, key)
end

local sig = ARGV[7]
if sig == '' then return record('unique', nil, key, nil, '', nil) end
local id = redis.call('INCR', KEYS[4])
local pid = struct.pack('>I4', id)
redis.call('HSET', KEYS[5], pid, key)
redis.call('HSET', KEYS[6], pid, sig)

local maxb = tonumber(ARGV[5])
local seen, cands = {}, {}
for i = 8, #KEYS do
  local f = ARGV[i]
  local cur = redis.call('HGET', KEYS[i], f)
  if cur then
    for j = 1, #cur, 4 do
      local c = struct.unpack('>I4', string.sub(cur, j, j + 3))
      if not seen[c] then seen[c] = true; cands[#cands + 1] = c end
    end
    if #cur < maxb * 4 then redis.call('HSET', KEYS[i], f, cur .. pid) end
  else
    redis.call('HSET', KEYS[i], f, pid)
  end
end
table.sort(cands)

local thr, ratio = tonumber(ARGV[4]), tonumber(ARGV[6])
local n = (#sig - 4) / 4
local na = struct.unpack('<I4', sig)
-- The similarity of candidate cid when it reaches the threshold, else nil.
local function score(cid)
  local other = redis.call('HGET', KEYS[6], cid)
  if not other or #other ~= #sig then return nil end
  local same = 0
  for j = 5, #sig, 4 do
    if string.sub(sig, j, j + 3) == string.sub(other, j, j + 3) then same = same + 1 end
  end
  local jac = same / n
  local s = jac
  local nb = struct.unpack('<I4', other)
  local small, large = math.min(na, nb), math.max(na, nb)
  if small > 0 and small >= large * ratio then
    local cont = jac * (na + nb) / (1 + jac) / small
    if cont > s then s = math.min(cont, 1) end
  end
  if s >= thr then return s end
  return nil
end

local first, sim
local first_seq = {}   -- root cluster matched -> its earliest matched candidate
local roots = {}
for _, c in ipairs(cands) do
  local cid = struct.pack('>I4', c)
  if not first then
    local s = score(cid)
    if s then
      first, sim = redis.call('HGET', KEYS[5], cid), string.format('%.4f', s)
      if #cands == 1 then break end
      local r = cluster_of(first)
      first_seq[r] = c
      roots[1] = r
    end
  else
    local a = redis.call('HGET', KEYS[5], cid)
    if a then
      local r = cluster_of(a)
      if not first_seq[r] and score(cid) then
        first_seq[r] = c
        roots[#roots + 1] = r
      end
    end
  end
end
if not first then return record('unique', nil, key, nil, '', tostring(id)) end
if #roots <= 1 then return record('near', first, roots[1] or cluster_of(first), sim, '', nil) end

-- Several clusters: the one whose canonical article was claimed first absorbs the others.
local best, best_rank, best_seq = nil, nil, nil
for _, r in ipairs(roots) do
  local rec = redis.call('HGET', KEYS[1], r)
  local rank = (rec and tonumber(field(rec, 6))) or 0
  local s = first_seq[r]
  if not best or rank < best_rank or (rank == best_rank and s < best_seq) then
    best, best_rank, best_seq = r, rank, s
  end
end
local merged = {}
for _, r in ipairs(roots) do
  if r ~= best then
    redis.call('HSET', KEYS[7], r, best)
    merged[#merged + 1] = r
  end
end
return record('near', first, best, sim, table.concat(merged, msep), nil)
"""


@dataclass(frozen=True)
class DedupeVerdict:
    """Whether an article copies one seen before, and which cluster of copies it belongs to.

    ``merged`` lists the clusters this article's check merged into ``cluster_id`` (see the
    module docstring); empty for almost every article.
    """

    duplicate_of: str | None
    cluster_id: str
    kind: Kind
    similarity: float | None
    merged: tuple[str, ...] = ()


def _decode(raw: bytes | str) -> DedupeVerdict:
    """Return the verdict stored as ``kind␟duplicate_of␟cluster_id␟similarity[␟merged[␟seq]]``."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    parts = text.split(_SEP)
    if len(parts) < 4:
        raise ValueError(f"malformed dedupe verdict {text!r}")
    kind, dup, cluster, sim = parts[:4]
    merged = tuple(parts[4].split(_MSEP)) if len(parts) > 4 and parts[4] else ()
    if kind not in _KINDS:
        raise ValueError(f"unknown dedupe verdict kind {kind!r}")
    return DedupeVerdict(dup or None, cluster, kind, float(sim) if sim else None, merged)


def cluster_path(client: redis.Redis, prefix: str, cluster_id: str) -> list[str]:
    """Return ``[cluster_id, its parent, ..., its root]`` in the merge map under ``prefix``.

    A cluster that was never merged is its own root: ``[cluster_id]``. Read only (the Lua
    script compresses paths as it walks them); one round trip per step, and merges are rare
    enough that paths stay short.
    """
    roots = f"{prefix}:root"
    path = [cluster_id]
    while (parent := cast(bytes | None, client.hget(roots, path[-1]))) is not None:
        nxt = parent.decode()
        if nxt in path:  # never written by the script; refuse to loop on a corrupt map
            raise ValueError(f"cycle in the dedupe cluster map at {nxt!r}")
        path.append(nxt)
    return path


def resolve_cluster(client: redis.Redis, prefix: str, cluster_id: str) -> str:
    """Return the cluster ``cluster_id`` now belongs to: itself, or the root it was merged into."""
    return cluster_path(client, prefix, cluster_id)[-1]


class DedupeIndex:
    """The index of every article seen, in Redis, shared by all dedupe workers."""

    def __init__(
        self,
        conn: redis.Redis,
        *,
        prefix: str = "newswire:dedupe",
        num_perm: int = 128,
        bands: int = 32,
        threshold: float = 0.8,
    ) -> None:
        if not 0 < bands <= 256 or num_perm % bands:
            raise ValueError(f"bands={bands} must be in 1..256 and divide num_perm={num_perm}")
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold={threshold} must be in (0, 1]")
        self._conn = conn
        self._prefix = prefix
        self._num_perm = num_perm
        self._bands = bands
        self._threshold = threshold
        self._script = conn.register_script(_LUA)
        self._keys = [
            f"{prefix}:{name}" for name in ("verdict", "url", "hash", "seq", "key", "sig", "root")
        ]

    def check_and_add(
        self,
        article_key: str,
        *,
        canonical_url: str,
        content_hash: str,
        text: str,
        published_at: str | None,
    ) -> DedupeVerdict:
        """Return the article's verdict, adding it to the index in the same atomic step.

        Calling again with the same ``article_key`` returns the first verdict unchanged.
        ``published_at`` does not change the verdict (the first claim wins; see the module
        docstring). Raises ValueError for an empty ``article_key``; Redis errors propagate
        so that the job is retried.
        """
        del published_at  # accepted for the stage's uniform call; order is by claim
        if not article_key:
            raise ValueError("article_key is empty")
        sig_arg = b""
        band_keys: list[str] = []
        band_fields: list[bytes] = []
        toks = tokens(text or "")
        if len(toks) >= MIN_WORDS:
            sig = signature(toks, self._num_perm, self._bands)
            sig_arg = struct.pack("<I", sig.shingles) + sig.packed
            for i, digest in enumerate(sig.bands):
                # The first two digest bytes pick the small hash; the band byte keeps bands apart.
                band_keys.append(f"{self._prefix}:lsh:{digest[:2].hex()}")
                band_fields.append(bytes([i]) + digest[2:])
        raw = self._script(
            keys=[*self._keys, *band_keys],
            args=[
                article_key,
                canonical_url or "",
                content_hash or "",
                repr(self._threshold),
                MAX_BUCKET,
                repr(MIN_SIZE_RATIO),
                sig_arg,
                *band_fields,
            ],
        )
        return _decode(cast(bytes, raw))

    def verdict(self, article_key: str) -> DedupeVerdict | None:
        """Return the verdict recorded for ``article_key``, or None if it was never checked."""
        raw = cast(bytes | None, self._conn.hget(self._keys[0], article_key))
        return None if raw is None else _decode(raw)

    def cluster_path(self, cluster_id: str) -> list[str]:
        """Return ``[cluster_id, ..., root]``: the clusters ``cluster_id`` was merged through."""
        return cluster_path(self._conn, self._prefix, cluster_id)

    def resolve(self, cluster_id: str) -> str:
        """Return the root cluster ``cluster_id`` now belongs to (itself when never merged)."""
        return resolve_cluster(self._conn, self._prefix, cluster_id)


# -- the RQ job ---------------------------------------------------------------------------


def dedupe_article(msg: ArticleMessage, index: DedupeIndex) -> ArticleMessage:
    """Return ``msg`` with its duplicate verdict from ``index``.

    The message carries the verdict as recorded (duplicate_of, cluster_id, and the clusters
    its check merged); the store stage resolves clusters merged since.
    """
    verdict = index.check_and_add(
        msg.article_key,
        canonical_url=msg.canonical_url,
        content_hash=msg.content_hash,
        text=msg.text,
        published_at=msg.published_at,
    )
    if verdict.duplicate_of is not None:
        log.info(
            "duplicate_found",
            kind=verdict.kind,
            duplicate_of=verdict.duplicate_of,
            similarity=verdict.similarity,
        )
    if verdict.merged:
        log.info("clusters_merged", cluster_id=verdict.cluster_id, merged=list(verdict.merged))
    return msg.with_(
        duplicate_of=verdict.duplicate_of,
        cluster_id=verdict.cluster_id,
        merged_clusters=verdict.merged,
    )


@cache
def _index() -> DedupeIndex:
    return DedupeIndex(runtime().redis)


def _work(msg: ArticleMessage) -> ArticleMessage:
    return dedupe_article(msg, _index())


STAGE_WORK = StageWork(_work)


def job(payload: dict[str, Any]) -> JobResult:
    """RQ job of the dedupe stage; returns the job summary."""
    return run_stage("dedupe", payload, decode_article, STAGE_WORK.work)
