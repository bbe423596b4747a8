"""Locality-sensitive hashing: from a signature to the keys that find its copies.

`band_keys` cuts the full sketch into 42 bands of 3 values and the lead
sketch into 16 bands of 2, hashes each band (with its position) to a
signed 64-bit integer, and adds one key for the text's exact opening
words. Two copies share at least one key with high probability (Jaccard
0.4: 94 %, 0.5: 99.6 %; an excerpt shares the opening), two unrelated texts
almost never do. The store keeps the keys in an indexed table
`article_band(band_key, article_id)`, so finding candidates is one indexed
lookup at any corpus size.

`NearDuplicateIndex` is the same idea in memory, for the benchmark, tests
and batch jobs: keys in one sorted numpy array (new keys buffered and
merged in linear time), signatures in numpy matrices, about 1.6 kB per
article. It refuses nothing, and never answers with an article it has not
verified with `is_copy` in `find_copies`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from syndic.dedupe.decide import MIN_SHINGLES, containment, is_copy
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

IdT = TypeVar("IdT", bound=Hashable)


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


class NearDuplicateIndex(Generic[IdT]):
    """An in-memory LSH index of signatures: `add`, `query` for candidates, `find_copies` for matches."""

    def __init__(self, capacity: int = 1024) -> None:
        self._ids: list[IdT] = []
        self._full = np.empty((capacity, NUM_PERM), dtype=np.uint32)
        self._lead = np.empty((capacity, NUM_LEAD_PERM), dtype=np.uint32)
        self._sizes = np.empty((capacity, 2), dtype=np.int32)
        self._openings = np.empty((capacity, 1), dtype=np.uint64)
        self._keys = np.empty(0, dtype=np.int64)
        self._rows = np.empty(0, dtype=np.int32)
        self._pending: dict[int, list[int]] = {}
        self._pending_count = 0

    def __len__(self) -> int:
        return len(self._ids)

    def _grow(self) -> None:
        capacity = max(1024, 2 * len(self._full))
        for name in ("_full", "_lead", "_sizes", "_openings"):
            old = getattr(self, name)
            new = np.empty((capacity, old.shape[1]), dtype=old.dtype)
            new[: len(self._ids)] = old[: len(self._ids)]
            setattr(self, name, new)

    def add(self, article_id: IdT, sig: Signature) -> None:
        """Index `sig` under `article_id` (ids need not be unique, but should be)."""
        self._add(article_id, sig, band_key_array(sig))

    def add_and_find(self, article_id: IdT, sig: Signature) -> list[tuple[IdT, float]]:
        """`find_copies` then `add`, hashing the bands once: the ingest path."""
        keys = band_key_array(sig)
        found = self._verify(sig, self._rows_for(keys))
        self._add(article_id, sig, keys)
        return found

    def _add(self, article_id: IdT, sig: Signature, band_keys: npt.NDArray[np.int64]) -> None:
        row = len(self._ids)
        if row == len(self._full):
            self._grow()
        self._ids.append(article_id)
        self._full[row] = sig.full
        self._lead[row] = sig.lead
        self._sizes[row] = (sig.size, sig.lead_size)
        self._openings[row, 0] = sig.opening
        for key in band_keys.tolist():
            self._pending.setdefault(key, []).append(row)
            self._pending_count += 1
        if self._pending_count > max(65536, len(self._keys) // 8):
            self._merge()

    def _merge(self) -> None:
        if not self._pending:
            return
        keys = np.fromiter(
            (k for k, rows in self._pending.items() for _ in rows), dtype=np.int64, count=self._pending_count
        )
        rows = np.fromiter(
            (r for rs in self._pending.values() for r in rs), dtype=np.int32, count=self._pending_count
        )
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        at = np.searchsorted(self._keys, keys, side="right")
        self._keys = np.insert(self._keys, at, keys)
        self._rows = np.insert(self._rows, at, rows)
        self._pending.clear()
        self._pending_count = 0

    def _rows_for(self, query: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
        if len(query) == 0:
            return np.empty(0, dtype=np.int32)
        lo = np.searchsorted(self._keys, query, side="left")
        hi = np.searchsorted(self._keys, query, side="right")
        found = [self._rows[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        pending = [r for k in query.tolist() for r in self._pending.get(k, ())]
        if pending:
            found.append(np.asarray(pending, dtype=np.int32))
        if not found:
            return np.empty(0, dtype=np.int32)
        return np.unique(np.concatenate(found))

    def query(self, sig: Signature) -> list[IdT]:
        """Ids of articles sharing at least one band key with `sig` (unverified candidates)."""
        return [self._ids[r] for r in self._rows_for(band_key_array(sig)).tolist()]

    def find_copies(self, sig: Signature) -> list[tuple[IdT, float]]:
        """Ids of indexed articles that `is_copy` of `sig`, with their Jaccard estimate, best first."""
        return self._verify(sig, self._rows_for(band_key_array(sig)))

    def _verify(self, sig: Signature, rows: npt.NDArray[np.int32]) -> list[tuple[IdT, float]]:
        if len(rows) == 0:
            return []
        jaccard = (self._full[rows] == sig.full).mean(axis=1)
        lead = (self._lead[rows] == sig.lead).mean(axis=1)
        sizes = self._sizes[rows]
        openings = self._openings[rows, 0]
        matches = []
        for i, row in enumerate(rows.tolist()):
            lead_j = float(lead[i]) if sizes[i, 1] > 0 and sig.lead_size > 0 else 0.0
            lead_held = containment(int(sizes[i, 1]), sig.lead_size, lead_j)
            same_opening = sig.opening != 0 and int(openings[i]) == sig.opening
            if is_copy(
                int(sizes[i, 0]),
                sig.size,
                float(jaccard[i]),
                lead_jaccard=lead_j,
                lead_containment=lead_held,
                same_opening=same_opening,
            ):
                matches.append((self._ids[row], float(jaccard[i])))
        matches.sort(key=lambda m: -m[1])
        return matches

    def add_all(self, items: Iterable[tuple[IdT, Signature]]) -> None:
        for article_id, sig in items:
            self.add(article_id, sig)

    def memory_bytes(self) -> int:
        """Bytes held by the index arrays (signatures and keys), excluding the id objects."""
        used = len(self._ids)
        per_row = self._full.itemsize * NUM_PERM + self._lead.itemsize * NUM_LEAD_PERM + 16
        return used * per_row + self._keys.nbytes + self._rows.nbytes + self._pending_count * 100
