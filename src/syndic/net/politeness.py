"""Per-host politeness: a site with 5,000 feeds is never hit 5,000 times at once.

`HostGate.slot(host)` admits at most `per_host` requests to one host at a
time, starts them at least `min_interval` seconds apart, and only then takes
one of `max_connections` program-wide slots. The host slot is taken first
so that requests queued behind one busy host never hold global slots that
other hosts could use. Waiting here is not counted in a fetch's timeouts.

Several processes (Celery workers) each have their own gate, so on a
cluster a `shared` gate is passed in as well: it holds a cluster-wide
concurrency slot and books the cluster-wide start time for the host
(run/cluster_gate.py keeps both in the store). The local semaphore still
limits the process; the spacing is then the shared gate's alone, so it is
not applied twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

# Idle host entries are swept once there are this many, so memory follows the
# number of hosts in flight rather than every host ever fetched.
_SWEEP_AT = 4096


class SharedHostGate(Protocol):
    """A per-host limit shared with other processes (see run/cluster_gate.py)."""

    def slot(self, host: str, per_host: int, interval: float) -> AbstractAsyncContextManager[None]:
        """Hold one of `per_host` cluster-wide slots of `host`, started `interval` after the last start."""
        ...


@dataclass
class _Host:
    slots: asyncio.Semaphore
    next_start: float = 0.0
    users: int = 0


class HostGate:
    def __init__(
        self, per_host: int = 2, min_interval: float = 0.5, max_connections: int = 100,
        shared: SharedHostGate | None = None,
    ) -> None:
        if per_host < 1 or max_connections < 1 or min_interval < 0:
            raise ValueError("per_host and max_connections must be >= 1, min_interval >= 0")
        self._per_host = per_host
        self._interval = min_interval
        self._shared = shared
        self._global = asyncio.Semaphore(max_connections)
        self._hosts: dict[str, _Host] = {}

    def active_hosts(self) -> int:
        return len(self._hosts)

    @asynccontextmanager
    async def slot(self, host: str, min_interval: float = 0.0) -> AsyncIterator[None]:
        """Wait for a turn at `host`; `min_interval` can only lengthen the spacing (a Crawl-delay)."""
        key = host.lower().rstrip(".")
        state = self._hosts.get(key)
        if state is None:
            if len(self._hosts) >= _SWEEP_AT:
                self._sweep()
            state = self._hosts[key] = _Host(asyncio.Semaphore(self._per_host))
        state.users += 1
        try:
            async with state.slots:
                interval = max(self._interval, min_interval)
                if self._shared is not None:
                    async with self._shared.slot(key, self._per_host, interval), self._global:
                        yield
                    return
                if interval > 0:
                    loop = asyncio.get_running_loop()
                    now = loop.time()
                    start = max(now, state.next_start)
                    state.next_start = start + interval
                    if start > now:
                        await asyncio.sleep(start - now)
                async with self._global:
                    yield
        finally:
            state.users -= 1

    def _sweep(self) -> None:
        now = asyncio.get_running_loop().time()
        for key in [k for k, s in self._hosts.items() if s.users == 0 and s.next_start <= now]:
            del self._hosts[key]
