"""Politeness and robots.txt for a cluster: the store-backed halves of net's hooks.

`net.politeness.HostGate` and `net.robots.RobotsCache` keep their state in
one process. A Celery worker passes these to its `Fetcher` instead, so the
limits hold across every worker sharing the store (see store/hosts.py for
how each is one atomic statement). The store's calls are synchronous, so
each runs in a thread; a few milliseconds per fetch on PostgreSQL.

If the store cannot be reached the error propagates: the task fails and is
retried (run/distributed.py) rather than fetching without the limits.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import SQLAlchemyError

from syndic.config import Settings
from syndic.net import Fetcher
from syndic.store import Store
from syndic.store import hosts as store_hosts

log = logging.getLogger("syndic.run")

_LEASE_POLL_MIN = 0.02
_LEASE_POLL_MAX = 0.5


def holder_id() -> str:
    """Who holds a lease: host, process and a random part (a pid is reused after a restart)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def cluster_fetcher(settings: Settings, store: Store) -> Fetcher:
    """The one client of a process that shares a cluster's store: its per-host slots, start times
    and robots.txt are the cluster's (workers' tasks, and `syndic serve`'s Full-Text RSS endpoints)."""
    from syndic.run.pipeline import net_settings

    ttl = settings.total_timeout + settings.per_host_concurrency * max(
        settings.min_host_interval, settings.max_crawl_delay_s
    ) + 30
    return Fetcher(
        net_settings(settings),
        shared_gate=StoreHostGate(store, lease_ttl=ttl),
        shared_robots=StoreRobots(store, fetch_ttl=ttl),
    )


class StoreHostGate:
    """Per-host concurrency slots and start times kept in the store (implements SharedHostGate)."""

    def __init__(self, store: Store, *, lease_ttl: float, holder: str | None = None) -> None:
        self._store = store
        self._ttl = lease_ttl
        self._holder = holder or holder_id()

    def _acquire(self, host: str, per_host: int) -> int | None:
        with self._store.engine.begin() as connection:
            return store_hosts.acquire_lease(connection, host, per_host, self._holder, self._ttl)

    def _release(self, host: str, slot: int) -> None:
        try:
            with self._store.engine.begin() as connection:
                store_hosts.release_lease(connection, host, slot, self._holder)
        except SQLAlchemyError as exc:  # the lease expires on its own
            log.warning("could not release the %s slot %d: %s", host, slot, exc)

    def _reserve(self, host: str, interval: float) -> float:
        with self._store.engine.begin() as connection:
            return store_hosts.reserve_start(connection, host, interval)

    @asynccontextmanager
    async def slot(self, host: str, per_host: int, interval: float) -> AsyncIterator[None]:
        pause = _LEASE_POLL_MIN
        while (held := await asyncio.to_thread(self._acquire, host, per_host)) is None:
            await asyncio.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 2, _LEASE_POLL_MAX)
        try:
            if interval > 0:
                wait = await asyncio.to_thread(self._reserve, host, interval)
                if wait > 0:
                    await asyncio.sleep(wait)
            yield
        finally:
            await asyncio.shield(asyncio.to_thread(self._release, host, held))


class StoreRobots:
    """robots.txt bodies kept in the store (implements SharedRobots).

    When a body is missing, one process gets to fetch it (it holds a lease on
    the robots URL until `put`, or until the lease runs out if it dies) and
    the others wait for its answer, so a cold cache is still one request to
    the site, not one per worker.
    """

    def __init__(self, store: Store, *, fetch_ttl: float = 60.0, holder: str | None = None) -> None:
        self._store = store
        self._fetch_ttl = fetch_ttl
        self._holder = holder or holder_id()

    def _get_or_lock(self, robots_url: str) -> tuple[bytes | None, float] | bool | None:
        """The cached body; else True when we may fetch it; else False (someone else is)."""
        with self._store.engine.begin() as connection:
            cached = store_hosts.get_robots(connection, robots_url)
            if cached is not None:
                return cached
            key = _robots_lock(robots_url)
            if store_hosts.acquire_lease(connection, key, 1, self._holder, self._fetch_ttl) is None:
                return False
            # the fetcher before us may have stored it and let go between our two statements
            cached = store_hosts.get_robots(connection, robots_url)
            if cached is not None:
                store_hosts.release_lease(connection, key, 0, self._holder)
                return cached
            return True

    def _put(self, robots_url: str, body: bytes | None, ttl: float) -> None:
        with self._store.engine.begin() as connection:
            store_hosts.put_robots(connection, robots_url, body, ttl)
            store_hosts.release_lease(connection, _robots_lock(robots_url), 0, self._holder)

    async def get(self, robots_url: str) -> tuple[bytes | None, float] | None:
        pause = _LEASE_POLL_MIN
        while True:
            found = await asyncio.to_thread(self._get_or_lock, robots_url)
            if found is True:
                return None  # ours to fetch
            if found is not False:
                return found
            await asyncio.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 2, _LEASE_POLL_MAX)

    async def put(self, robots_url: str, body: bytes | None, ttl: float) -> None:
        await asyncio.to_thread(self._put, robots_url, body, ttl)


def _robots_lock(robots_url: str) -> str:
    return "robots " + robots_url
