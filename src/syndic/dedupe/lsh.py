"""Locality-sensitive hashing: from a signature to the keys that find its copies.

`band_keys` cuts the full sketch into 42 bands of 3 values and the lead
sketch into 16 bands of 2, hashes each band (with its position) to a
signed 64-bit integer, and adds one key for the text's exact opening
words. Two copies share at least one key with high probability (Jaccard
0.4: 94 %, 0.5: 99.6 %; an excerpt shares the opening), two unrelated texts
almost never do. The store keeps the keys in an indexed table
`article_band(band_key, article_id)`, so finding candidates is one indexed
lookup at any corpus size.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from syndic.dedupe.decide import MIN_SHINGLES
from syndic.dedupe.minhash import NUM_LEAD_PERM, NUM_PERM, Signature, _splitmix

FULL_ROWS = 3
FULL_BANDS = NUM_PERM // FULL_ROWS  # 42 bands of 3 values; the last 2 values are unused
LEAD_ROWS = 2
LEAD_BANDS = NUM_LEAD_PERM // LEAD_ROWS  # 16 bands of 2 values
# A lead shorter than this (a headline-sized text) is not worth a key.
MIN_LEAD_SHINGLES = 20

_FULL_SALTS = _splitmix(np.arange(1, FULL_BANDS + 1, dtype=np.uint64))
_LEAD_SALTS = _splitmix(np.arange(101, LEAD_BANDS + 101, dtype=np.uint64))
_OPENING_SALT = _splitmix(np.asarray([7001], dtype=np.uint64))


def _band_hashes(values: npt.NDArray[np.uint32], rows: int, salts: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    bands = values[: len(salts) * rows].astype(np.uint64).reshape(len(salts), rows)
    acc = salts
    for col in range(rows):
        acc = _splitmix(acc ^ bands[:, col])
    return acc


def band_key_array(sig: Signature) -> npt.NDArray[np.int64]:
    """`band_keys` as a numpy array."""
    parts = []
    if sig.size >= MIN_SHINGLES:
        parts.append(_band_hashes(sig.full, FULL_ROWS, _FULL_SALTS))
    if sig.lead_size >= MIN_LEAD_SHINGLES:
        parts.append(_band_hashes(sig.lead, LEAD_ROWS, _LEAD_SALTS))
        if sig.opening:
            parts.append(_splitmix(_OPENING_SALT ^ np.uint64(sig.opening)))
    if not parts:
        return np.empty(0, dtype=np.int64)
    return np.concatenate(parts).view(np.int64)


def band_keys(sig: Signature) -> list[int]:
    """The LSH keys of a signature, as signed 64-bit ints (none for texts too short to judge)."""
    return [int(k) for k in band_key_array(sig)]
