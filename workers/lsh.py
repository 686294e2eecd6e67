"""MinHash signatures of article bodies and their LSH band digests.

A body is normalised (Unicode NFKC, case-folded, punctuation dropped), cut into tokens (words;
each CJK, kana or Hangul character is its own token, since those scripts do not put spaces
between words) and into overlapping shingles of :data:`SHINGLE` tokens. datasketch's MinHash
turns the shingle set into ``num_perm`` 32-bit values; the fraction of equal values between two
signatures estimates the Jaccard similarity of the two shingle sets.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash

#: Tokens per shingle: long enough that two stories on the same event share few shingles.
SHINGLE = 5
#: The MinHash hashing scheme and seed are part of the stored format: changing either makes
#: new signatures incomparable with stored ones.
SCHEME = "affine32"
SEED = 1

_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"  # one wide char
    r"|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
)


@dataclass(frozen=True, slots=True)
class Signature:
    """A body's MinHash signature, packed, with its shingle count and band digests."""

    packed: bytes  # num_perm little-endian uint32 values
    shingles: int
    bands: tuple[bytes, ...]  # one 8-byte digest per band


def tokens(text: str) -> list[str]:
    """Return the normalised tokens of ``text`` (lower-cased words, single CJK characters)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(toks: list[str], size: int = SHINGLE) -> set[bytes]:
    """Return the set of ``size``-token shingles of ``toks`` (the whole text if shorter)."""
    if len(toks) <= size:
        return {" ".join(toks).encode()} if toks else set()
    return {" ".join(toks[i : i + size]).encode() for i in range(len(toks) - size + 1)}


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> Any:
    """Return datasketch's permutations for ``num_perm``, made once per process."""
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


def signature(toks: list[str], num_perm: int, bands: int) -> Signature:
    """Return the MinHash signature of ``toks`` and its ``bands`` LSH band digests.

    Raises ValueError when ``num_perm`` is not a multiple of ``bands``.
    """
    if bands <= 0 or num_perm % bands:
        raise ValueError(f"num_perm={num_perm} must be a positive multiple of bands={bands}")
    mh = MinHash(num_perm=num_perm, permutations=_permutations(num_perm), scheme=SCHEME)
    sh = shingles(toks)
    mh.update_batch(sorted(sh))
    packed = np.asarray(mh.hashvalues, dtype="<u4").tobytes()
    width = 4 * (num_perm // bands)
    digests = tuple(
        hashlib.blake2b(packed[i * width : (i + 1) * width], digest_size=8).digest()
        for i in range(bands)
    )
    return Signature(packed, len(sh), digests)


def jaccard(a: bytes, b: bytes) -> float:
    """Return the estimated Jaccard similarity of two packed signatures of equal length."""
    n = len(a) // 4
    va = struct.unpack(f"<{n}I", a)
    vb = struct.unpack(f"<{n}I", b)
    same: int = sum(x == y for x, y in zip(va, vb, strict=True))
    return same / n
