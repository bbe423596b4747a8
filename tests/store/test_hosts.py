"""Per-host state in the store: start times spaced for everyone, leases that expire, robots.txt kept."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from syndic.store import Store, hosts, open_store


def test_reserved_starts_are_one_interval_apart(any_store: Store) -> None:
    with any_store.engine.begin() as connection:
        waits = [hosts.reserve_start(connection, "News.Example.", 0.5) for _ in range(4)]
        other = hosts.reserve_start(connection, "other.example", 0.5)
    assert waits[0] == pytest.approx(0.0, abs=0.05)
    for i, wait in enumerate(waits):
        assert wait == pytest.approx(0.5 * i, abs=0.1)  # the host name is folded: one host
    assert other == pytest.approx(0.0, abs=0.05)


def test_a_host_has_at_most_its_slots_and_an_expired_lease_is_free_again(any_store: Store) -> None:
    with any_store.engine.begin() as connection:
        held = [hosts.acquire_lease(connection, "h.example", 2, f"w{i}", 30) for i in range(3)]
        assert sorted(s for s in held if s is not None) == [0, 1] and held[2] is None
        hosts.release_lease(connection, "h.example", held[0], "someone else")  # not theirs to release
        assert hosts.acquire_lease(connection, "h.example", 2, "w3", 30) is None
        hosts.release_lease(connection, "h.example", held[0], "w0")
        assert hosts.acquire_lease(connection, "h.example", 2, "w3", 30) == held[0]
        assert hosts.acquire_lease(connection, "short.example", 1, "w0", 0.2) == 0
    time.sleep(0.4)  # w0 died holding it: the lease runs out
    with any_store.engine.begin() as connection:
        assert hosts.acquire_lease(connection, "short.example", 1, "w1", 30) == 0


def test_robots_bodies_are_kept_until_they_expire(any_store: Store) -> None:
    url = "http://h.example/robots.txt"
    with any_store.engine.begin() as connection:
        assert hosts.get_robots(connection, url) is None
        hosts.put_robots(connection, url, b"User-agent: *\nDisallow: /private", 60)
        body, left = hosts.get_robots(connection, url) or (None, 0.0)
        assert body == b"User-agent: *\nDisallow: /private" and 55 < left <= 60
        hosts.put_robots(connection, url, None, 0.2)  # "no rules", briefly (a 5xx)
        assert hosts.get_robots(connection, url) == (None, pytest.approx(0.2, abs=0.1))
    time.sleep(0.4)
    with any_store.engine.begin() as connection:
        assert hosts.get_robots(connection, url) is None


@pytest.mark.postgres
def test_concurrent_reservations_never_share_a_start(postgres_url: str) -> None:
    any_store = open_store(postgres_url, run_migrations=False)
    waits: list[float] = []
    barrier = threading.Barrier(6)

    def run() -> None:
        barrier.wait()
        with any_store.engine.begin() as connection:
            waits.append(hosts.reserve_start(connection, "busy.example", 0.2))

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    waits.sort()
    assert all(b - a > 0.1 for a, b in itertools.pairwise(waits))  # 0.2 apart, less the time between calls
    assert waits[-1] == pytest.approx(1.0, abs=0.15)
    any_store.close()
