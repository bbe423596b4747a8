"""`NearDuplicateIndex`: the store's band-key lookup, in memory, for the tests.

The same idea as the `article_band` table: keys in one sorted numpy array
(new keys buffered and merged in linear time), signatures in numpy matrices,
about 1.6 kB per article. It refuses nothing, and never answers with an
article it has not verified with `is_copy` in `find_copies`. Production
dedupe does not use it (`syndic.store.articles` looks the keys up in SQL), so
it lives here, beside the tests that check the keys find copies and only
copies at scale.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from syndic.dedupe.decide import containment, is_copy
from syndic.dedupe.lsh import band_key_array
from syndic.dedupe.minhash import NUM_LEAD_PERM, NUM_PERM, Signature

IdT = TypeVar("IdT", bound=Hashable)


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
