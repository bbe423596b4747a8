"""Per-host and global concurrency, spacing between requests, and isolation between hosts."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

from syndic.errors import BlockedAddressError, ConnectionFailedError, FetchTimeoutError, HTTPStatusError
from syndic.net import Fetcher
from syndic.net.politeness import HostGate


class SlowOK:
    """A route that works for `delay` seconds and counts how many requests it works on at once.

    The count drops before the response is sent, so the client cannot start
    its next request while the server still counts the previous one.
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()

    def __call__(self, conn: socket.socket, request: Any) -> None:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        time.sleep(self.delay)
        with self._lock:
            self.active -= 1
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")


async def test_per_host_concurrency_respected(net_server: Any, kit: Any) -> None:
    net_server.routes["/feed"] = route = SlowOK(0.15)
    async with Fetcher(kit.settings(per_host_concurrency=2)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(net_server.url(f"/feed?n={i}")) for i in range(8)))
    assert all(r.body == b"ok" for r in results)
    assert route.max_active == 2


async def test_limit_is_per_host_not_global(net_server: Any, kit: Any) -> None:
    """Three names for one server: each name gets its own two slots."""
    resolver = kit.MapResolver({n: ["127.0.0.1"] for n in ("a.test", "b.test", "c.test")})
    net_server.routes["/feed"] = route = SlowOK(0.2)
    async with Fetcher(kit.settings(per_host_concurrency=2), resolver=resolver) as fetcher:
        await asyncio.gather(
            *(fetcher.fetch(net_server.url(f"/feed?{i}", host=h)) for h in ("a.test", "b.test", "c.test")
              for i in range(4))
        )
    assert 2 < route.max_active <= 6  # more than one host's two slots at once


async def test_global_limit(net_server: Any, kit: Any) -> None:
    resolver = kit.MapResolver({f"h{i}.test": ["127.0.0.1"] for i in range(6)})
    net_server.routes["/feed"] = route = SlowOK(0.15)
    async with Fetcher(kit.settings(per_host_concurrency=5, max_connections=3), resolver=resolver) as fetcher:
        await asyncio.gather(*(fetcher.fetch(net_server.url("/feed", host=f"h{i}.test")) for i in range(6)))
    assert 2 <= route.max_active <= 3


async def test_minimum_spacing_between_requests_to_one_host(net_server: Any, kit: Any) -> None:
    net_server.routes["/feed"] = kit.respond(200, b"ok")
    async with Fetcher(kit.settings(per_host_concurrency=4, min_host_interval=0.15)) as fetcher:
        await asyncio.gather(*(fetcher.fetch(net_server.url(f"/feed?{i}")) for i in range(4)))
    starts = sorted(r.at for r in net_server.requests)
    # the gate starts request i at least i intervals after the first; the server sees each a little
    # later than it was sent, by a delay that varies on a loaded machine, so one gap alone can look short
    since_first = [at - starts[0] for at in starts]
    assert len(starts) == 4 and all(t >= i * 0.15 - 0.05 for i, t in enumerate(since_first)), since_first


async def test_spacing_does_not_slow_other_hosts() -> None:
    gate = HostGate(per_host=1, min_interval=10, max_connections=10)
    async with gate.slot("busy.test"):
        pass
    started = time.monotonic()
    async with gate.slot("other.test"):
        pass
    assert time.monotonic() - started < 0.1


async def test_failing_hosts_do_not_affect_the_others(net_server: Any, kit: Any) -> None:
    good = [f"good{i}.test" for i in range(10)]
    resolver = kit.MapResolver({**{h: ["127.0.0.1"] for h in good}, "silent.test": ["127.0.0.1"],
                                "reset.test": ["127.0.0.1"], "error.test": ["127.0.0.1"],
                                "private.test": ["10.1.2.3"]})

    def by_host(conn: socket.socket, request: Any) -> None:
        host = request.headers["host"].split(":")[0]
        if host == "silent.test":
            net_server.stop.wait(3)
        elif host == "reset.test":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 9999\r\n\r\npartial")
            time.sleep(0.05)
            kit.reset(conn)
        elif host == "error.test":
            conn.sendall(kit.http_response(503, b"", {"Retry-After": "30"}))
        else:
            time.sleep(0.05)
            conn.sendall(kit.http_response(200, host.encode()))

    net_server.routes["/feed"] = by_host
    bad = {"silent.test": FetchTimeoutError, "reset.test": ConnectionFailedError,
           "error.test": HTTPStatusError, "private.test": BlockedAddressError}
    hosts = [h for pair in zip(good, [*bad, *[None] * 10], strict=False) for h in pair if h]
    started = time.monotonic()
    async with Fetcher(kit.settings(read_timeout=0.7, max_connections=8), resolver=resolver) as fetcher:
        outcomes = await asyncio.gather(
            *(fetcher.fetch(net_server.url("/feed", host=h)) for h in hosts for _ in range(3)),
            return_exceptions=True,
        )
    assert time.monotonic() - started < 4
    for host, outcome in zip([h for h in hosts for _ in range(3)], outcomes, strict=True):
        if host in bad:
            assert isinstance(outcome, bad[host]), (host, outcome)
            assert host in str(outcome)
        else:
            assert not isinstance(outcome, BaseException), (host, outcome)
            assert outcome.body == host.encode()
