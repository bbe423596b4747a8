"""MinHash signatures of article text, computed with numpy and stable across processes.

A signature is two MinHash sketches over word 3-gram shingles:

- `full` (128 values) over the whole text: its agreement rate estimates the
  Jaccard similarity of two texts, and with the shingle counts, how much of
  the smaller text is contained in the larger (an excerpt in its original);
- `lead` (32 values) over the first `LEAD_WORDS` words: an excerpt ("first
  paragraphs + Read more") shares the original's lead even when it holds a
  tenth of its words, which the full sketch alone cannot see reliably.

Hashing uses no Python `hash()` (salted per process): words are hashed
with a polynomial over their UTF-8 bytes and a splitmix64 finaliser, all
vectorised, so a signature computed by one worker matches one computed by
another and can be stored. Ideographic scripts (Chinese, Japanese) have no
spaces, so each ideograph or kana counts as a word.

It refuses nothing: empty or tiny texts get a signature of size 0 that is
similar to nothing.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

NUM_PERM = 128
NUM_LEAD_PERM = 32
SHINGLE_WORDS = 3
LEAD_WORDS = 80
# The opening: a hash of the first words, exactly. An excerpt starts with them.
OPENING_WORDS = 12
_CHUNK = 4096
_MAGIC = b"SMH2"
_HEADER = struct.Struct("<4sHHIIQ")
_EMPTY = np.uint32(0xFFFFFFFF)

_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_IDEOGRAPHS}]|[^\W{_IDEOGRAPHS}]+")

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]


_GOLDEN, _MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def _splitmix(x: U64) -> U64:
    """The splitmix64 finaliser, element-wise (array arithmetic wraps silently mod 2**64)."""
    x = x + _GOLDEN
    x = (x ^ (x >> _S30)) * _MIX1
    x = (x ^ (x >> _S27)) * _MIX2
    return x ^ (x >> _S31)


def _permutations(count: int, seed: int) -> tuple[U64, U64]:
    rng = np.random.Generator(np.random.PCG64(seed))
    a = rng.integers(1, 2**63, size=count, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=count, dtype=np.uint64)
    return a, b


_FULL_A, _FULL_B = _permutations(NUM_PERM, 0x5EED_F011)
_LEAD_A, _LEAD_B = _permutations(NUM_LEAD_PERM, 0x5EED_1EAD)


def tokens(text: str) -> list[str]:
    """The words of `text`, case-folded; one token per ideograph in CJK text."""
    return _TOKEN.findall(text.casefold())


def _word_hashes(words: list[str]) -> U64:
    """A 64-bit hash per word, from its UTF-8 bytes, with no Python loop per word."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    data = np.frombuffer(("\x00".join(words) + "\x00").encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = np.flatnonzero(data == 0)
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    lengths = ends - starts
    owner = np.repeat(np.arange(len(ends)), lengths + 1)
    offset = np.arange(len(data)) - starts[owner]
    longest = int(lengths.max()) + 1
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(longest, 1099511628211, dtype=np.uint64), dtype=np.uint64)
        weighted = (data.astype(np.uint64) + np.uint64(1)) * powers[offset]
        sums = np.add.reduceat(weighted, starts)
    mixed: U64 = np.bitwise_xor(sums, lengths.astype(np.uint64))
    return _splitmix(mixed)


def _shingles(word_hashes: U64) -> U64:
    n = len(word_hashes)
    if n == 0:
        return word_hashes
    if n < SHINGLE_WORDS:
        return np.unique(_splitmix(word_hashes))
    with np.errstate(over="ignore"):
        acc = word_hashes[: n - SHINGLE_WORDS + 1].copy()
        for k in range(1, SHINGLE_WORDS):
            acc = _splitmix(acc) ^ word_hashes[k : n - SHINGLE_WORDS + 1 + k]
    return np.unique(_splitmix(acc))


def _minhash(shingles: U64, a: U64, b: U64) -> U32:
    if len(shingles) == 0:
        return np.full(len(a), _EMPTY, dtype=np.uint32)
    best = np.full(len(a), np.iinfo(np.uint64).max, dtype=np.uint64)
    buffer = np.empty((min(len(shingles), _CHUNK), len(a)), dtype=np.uint64)
    for start in range(0, len(shingles), _CHUNK):
        chunk = shingles[start : start + _CHUNK]
        out = buffer[: len(chunk)]
        # In place: temporaries of n x 128 would cost more than the arithmetic.
        np.multiply(chunk[:, None], a[None, :], out=out)
        np.add(out, b[None, :], out=out)
        np.minimum(best, out.min(axis=0), out=best)
    return (best >> np.uint64(32)).astype(np.uint32)


@dataclass(frozen=True, eq=False)
class Signature:
    """MinHash sketches of one text, and the number of shingles each covers."""

    full: U32
    lead: U32
    size: int
    lead_size: int
    opening: int = 0  # 0 when the text has fewer than OPENING_WORDS words

    def to_bytes(self) -> bytes:
        """A compact, versioned encoding (664 bytes) for the store."""
        header = _HEADER.pack(_MAGIC, len(self.full), len(self.lead), self.size, self.lead_size, self.opening)
        return header + self.full.astype("<u4").tobytes() + self.lead.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Decode `to_bytes`; raises ValueError on anything else."""
        if len(data) < _HEADER.size:
            raise ValueError("signature too short")
        magic, k, kl, size, lead_size, opening = _HEADER.unpack_from(data)
        if magic != _MAGIC or len(data) != _HEADER.size + 4 * (k + kl):
            raise ValueError("not a syndic MinHash signature")
        if k != NUM_PERM or kl != NUM_LEAD_PERM:
            raise ValueError(f"signature has {k}+{kl} permutations, expected {NUM_PERM}+{NUM_LEAD_PERM}")
        body = np.frombuffer(data, dtype="<u4", offset=_HEADER.size).astype(np.uint32)
        return cls(body[:k].copy(), body[k:].copy(), size, lead_size, opening)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signature):
            return NotImplemented
        return (
            self.size == other.size
            and self.lead_size == other.lead_size
            and self.opening == other.opening
            and bool(np.array_equal(self.full, other.full))
            and bool(np.array_equal(self.lead, other.lead))
        )

    __hash__ = None  # type: ignore[assignment]


def signature(text: str) -> Signature:
    """The MinHash signature of `text` (plain text, residue already cleaned)."""
    hashes = _word_hashes(tokens(text))
    full_shingles = _shingles(hashes)
    lead_shingles = _shingles(hashes[:LEAD_WORDS])
    return Signature(
        full=_minhash(full_shingles, _FULL_A, _FULL_B),
        lead=_minhash(lead_shingles, _LEAD_A, _LEAD_B),
        size=len(full_shingles),
        lead_size=len(lead_shingles),
        opening=_opening(hashes),
    )


def _opening(word_hashes: U64) -> int:
    if len(word_hashes) < OPENING_WORDS:
        return 0
    acc = np.uint64(OPENING_WORDS)
    for value in word_hashes[:OPENING_WORDS]:
        acc = _splitmix(np.asarray([acc ^ value], dtype=np.uint64))[0]
    return int(acc) or 1


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 when either is empty)."""
    if a.size == 0 or b.size == 0:
        return 0.0
    return float(np.count_nonzero(a.full == b.full)) / len(a.full)


def lead_similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' leads (their first words)."""
    if a.lead_size == 0 or b.lead_size == 0:
        return 0.0
    return float(np.count_nonzero(a.lead == b.lead)) / len(a.lead)
