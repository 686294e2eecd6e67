"""Duplicate detection against every article seen: exact URL, exact text, near copies.

One Lua script does the whole check for an article, so the check and the claim are one atomic
step: two workers handed two copies of a story at the same moment cannot both keep theirs,
whichever order Redis runs them in. The script, in order:

1. returns the verdict already recorded for this article key (a re-run job gets the same answer);
2. canonical URL, then content hash: the first article to claim one owns it (``exact_url``,
   ``exact_text``); a new URL or hash is claimed for this article;
3. for a body of at least :data:`MIN_WORDS` words, gives the article a sequence number, stores
   its MinHash signature, and for every LSH band both reads the articles already in the band's
   bucket and appends this one; each candidate found is confirmed against its stored
   signature, earliest first, and the first whose similarity reaches ``threshold`` is the one
   this article duplicates (``near``);
4. records the verdict.

``duplicate_of`` is the earliest-claimed stored article the new one matches; ``cluster_id`` is
that article's cluster, so a cluster is always named by its first article and a unique
article's cluster is its own key. Order is by claim, not by ``published_at``: verdicts are
final once given (idempotence), and a later claim cannot re-label an earlier article.

Similarity is the estimated Jaccard similarity of the two 5-word shingle sets, or, when the
smaller text has at least :data:`MIN_SIZE_RATIO` of the larger's shingles, the estimated share
of the smaller inside the larger: a syndicated copy that drops a paragraph or two is still a
copy, while a short brief quoting a long report is not.

Redis layout under ``prefix`` (memory per article is measured by ``bench/dedupe_bench.py``):
``:verdict`` {article_key: verdict}, ``:url`` {canonical_url: key}, ``:hash`` {content_hash:
key}, ``:seq`` counter, ``:key`` {id: key}, ``:sig`` {id: shingle count + packed signature},
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

# KEYS: 1 verdicts, 2 urls, 3 hashes, 4 seq, 5 ids, 6 signatures, 7.. LSH tables (one per band)
# ARGV: 1 article key, 2 url, 3 content hash, 4 threshold, 5 max bucket, 6 min size ratio,
#       7 signature ("" = no near check), 8.. band fields (ARGV[i + 1] goes with KEYS[i])
_LUA = """
local key = ARGV[1]
local done = redis.call('HGET', KEYS[1], key)
if done then return done end
local sep = '\\31'

local function verdict(kind, dup, sim)
  local cluster = key
  if dup then
    local rec = redis.call('HGET', KEYS[1], dup)
    if rec then
      local a = string.find(rec, sep, 1, true)
      local b = string.find(rec, sep, a + 1, true)
      local c = string.find(rec, sep, b + 1, true)
      cluster = string.sub(rec, b + 1, c - 1)
    else
      cluster = dup
    end
  end
  local s = kind .. sep .. (dup or '') .. sep .. cluster .. sep .. (sim or '')
  redis.call('HSET', KEYS[1], key, s)
  return s
end

local url, chash = ARGV[2], ARGV[3]
if url ~= '' then
  local owner = redis.call('HGET', KEYS[2], url)
  if owner then return verdict('exact_url', owner, nil) end
  redis.call('HSET', KEYS[2], url, key)
end
if chash ~= '' then
  local owner = redis.call('HGET', KEYS[3], chash)
  if owner then return verdict('exact_text', owner, '1') end
  redis.call('HSET', KEYS[3], chash, key)
end

local sig = ARGV[7]
if sig == '' then return verdict('unique', nil, nil) end
local id = redis.call('INCR', KEYS[4])
local pid = struct.pack('>I4', id)
redis.call('HSET', KEYS[5], pid, key)
redis.call('HSET', KEYS[6], pid, sig)

local maxb = tonumber(ARGV[5])
local seen, cands = {}, {}
for i = 7, #KEYS do
  local field = ARGV[i + 1]
  local cur = redis.call('HGET', KEYS[i], field)
  if cur then
    for j = 1, #cur, 4 do
      local c = struct.unpack('>I4', string.sub(cur, j, j + 3))
      if not seen[c] then seen[c] = true; cands[#cands + 1] = c end
    end
    if #cur < maxb * 4 then redis.call('HSET', KEYS[i], field, cur .. pid) end
  else
    redis.call('HSET', KEYS[i], field, pid)
  end
end
table.sort(cands)

local thr, ratio = tonumber(ARGV[4]), tonumber(ARGV[6])
local n = (#sig - 4) / 4
local na = struct.unpack('<I4', sig)
for _, c in ipairs(cands) do
  local cid = struct.pack('>I4', c)
  local other = redis.call('HGET', KEYS[6], cid)
  if other and #other == #sig then
    local same = 0
    for j = 5, #sig, 4 do
      if string.sub(sig, j, j + 3) == string.sub(other, j, j + 3) then same = same + 1 end
    end
    local jac = same / n
    local score = jac
    local nb = struct.unpack('<I4', other)
    local small, large = math.min(na, nb), math.max(na, nb)
    if small > 0 and small >= large * ratio then
      local cont = jac * (na + nb) / (1 + jac) / small
      if cont > score then score = math.min(cont, 1) end
    end
    if score >= thr then
      return verdict('near', redis.call('HGET', KEYS[5], cid), string.format('%.4f', score))
    end
  end
end
return verdict('unique', nil, nil)
"""


@dataclass(frozen=True)
class DedupeVerdict:
    """Whether an article copies one seen before, and which cluster of copies it belongs to."""

    duplicate_of: str | None
    cluster_id: str
    kind: Kind
    similarity: float | None


def _decode(raw: bytes | str) -> DedupeVerdict:
    """Return the verdict stored as ``kind␟duplicate_of␟cluster_id␟similarity``."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    kind, dup, cluster, sim = text.split(_SEP)
    if kind not in _KINDS:
        raise ValueError(f"unknown dedupe verdict kind {kind!r}")
    return DedupeVerdict(dup or None, cluster, kind, float(sim) if sim else None)


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
            f"{prefix}:{name}" for name in ("verdict", "url", "hash", "seq", "key", "sig")
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


# -- the RQ job ---------------------------------------------------------------------------


def dedupe_article(msg: ArticleMessage, index: DedupeIndex) -> ArticleMessage:
    """Return ``msg`` with its duplicate verdict from ``index`` (duplicate_of, cluster_id)."""
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
    return msg.with_(duplicate_of=verdict.duplicate_of, cluster_id=verdict.cluster_id)


@cache
def _index() -> DedupeIndex:
    return DedupeIndex(runtime().redis)


def _work(msg: ArticleMessage) -> ArticleMessage:
    return dedupe_article(msg, _index())


STAGE_WORK = StageWork(_work)


def job(payload: dict[str, Any]) -> JobResult:
    """RQ job of the dedupe stage; returns the job summary."""
    return run_stage("dedupe", payload, decode_article, STAGE_WORK.work)
