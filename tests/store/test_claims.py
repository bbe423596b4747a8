"""Claims: each (target, due key) is won once, by one claimer, until its key changes or it goes stale."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from syndic.store import Store, open_store
from syndic.store.claims import claim, due_key

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
STALE = timedelta(minutes=30)


def _claim(store: Store, targets: list[tuple[int, str]], now: datetime = NOW, kind: str = "poll") -> set[int]:
    with store.engine.begin() as connection:
        return claim(connection, kind, targets, now=now, stale_before=now - STALE)


def test_a_claim_is_won_once_per_key(any_store: Store) -> None:
    assert _claim(any_store, [(1, "a"), (2, "a")]) == {1, 2}
    assert _claim(any_store, [(1, "a"), (2, "a"), (3, "a")]) == {3}
    assert _claim(any_store, [(1, "b"), (2, "a")]) == {1}  # a new due time makes it claimable again
    assert _claim(any_store, [(1, "a")], kind="extract") == {1}  # kinds do not collide


def test_a_stale_claim_is_won_again(any_store: Store) -> None:
    assert _claim(any_store, [(1, "a")]) == {1}
    assert _claim(any_store, [(1, "a")], now=NOW + STALE - timedelta(seconds=1)) == set()
    assert _claim(any_store, [(1, "a")], now=NOW + STALE + timedelta(seconds=1)) == {1}


def test_a_rolled_back_claim_was_never_made(any_store: Store) -> None:
    with pytest.raises(RuntimeError), any_store.engine.begin() as connection:
        claim(connection, "poll", [(1, "a")], now=NOW, stale_before=NOW - STALE)
        raise RuntimeError("the broker refused the task")
    assert _claim(any_store, [(1, "a")]) == {1}


def test_due_keys_distinguish_due_times() -> None:
    assert due_key(None) == "none"
    assert due_key(NOW) != due_key(NOW + timedelta(microseconds=1))


@pytest.mark.postgres
def test_concurrent_claimers_each_win_a_disjoint_share(postgres_url: str) -> None:
    any_store = open_store(postgres_url, run_migrations=False)
    targets = [(i, "k") for i in range(900_000, 900_200)]
    won: list[set[int]] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        barrier.wait()
        won.append(_claim(any_store, targets))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(len(w) for w in won) == 200
    assert set().union(*won) == {t for t, _ in targets}
    any_store.close()
