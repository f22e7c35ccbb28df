"""Near-duplicate sketches: MinHash over word shingles of the body text.

A sketch is stored as its hash values (128 little-endian uint32, 512 bytes) and
rebuilt as a ``LeanMinHash``; the LSH index that groups them lives in memory.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch 2.0's default; hash values carry no trace of it, so it is fixed here
THRESHOLD = 0.8
SHORT_BODY_WORDS = 50  # below this, 5-shingles are too few to survive a light edit: use 3-shingles

_WORD = re.compile(r"\w+")
_DTYPE = np.dtype("<u4")
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def shingles(text: str) -> set[bytes]:
    """Word 5-shingles of the lower-cased text (3-shingles for short texts)."""
    words = _WORD.findall(text.lower())
    if not words:
        return set()
    size = 5 if len(words) >= SHORT_BODY_WORDS else 3
    if len(words) <= size:
        return {" ".join(words).encode("utf-8", "surrogatepass")}
    return {" ".join(words[i : i + size]).encode("utf-8", "surrogatepass") for i in range(len(words) - size + 1)}


def sketch(text: str) -> LeanMinHash | None:
    """The MinHash of a body text; None when it has no words (nothing to compare)."""
    found = shingles(text)
    if not found:
        return None
    # crc32 instead of datasketch's default sha1: several times faster per shingle, and the
    # affine32 scheme pre-mixes every input hash (MurmurHash3 finalizer) before permuting
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme=SCHEME, hashfunc=zlib.crc32)
    minhash.update_batch(list(found))
    return LeanMinHash(minhash)


def to_bytes(minhash: LeanMinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype=_DTYPE).tobytes()


def from_bytes(blob: bytes) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(blob, dtype=_DTYPE), scheme=SCHEME)


def similar(a: LeanMinHash, b: LeanMinHash) -> bool:
    """LSH candidates include some below the threshold: check the estimate itself."""
    return a.jaccard(b) >= THRESHOLD


def new_index() -> MinHashLSH:
    return MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
