"""Attack (issue #13, finding 7): jamming the full-text endpoints.

On main before the fix, 200 concurrent extract.php requests for a slow page
left a fast page on another host waiting 45 s, fetches went on after the
clients had gone, and nothing limited one caller. Now each caller (address,
token, FTR key) has a bounded queue — past it a 429 with Retry-After comes
at once — a cached answer is served before any queue, and a request whose
client disconnects has its fetch cancelled.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from syndic.library.documents import page_extractor
from syndic.net import NetSettings, parse_networks
from syndic.publish.ftr import FtrCache, FtrOptions, FullTextService, network_fetch
from syndic.web import ftr as ftr_routes
from syndic.web.admission import Admission
from syndic.web.app import create_app

from .conftest import respond

LOOPBACK = NetSettings(allow_networks=parse_networks("127.0.0.0/8"), min_host_interval=0, per_host_concurrency=50)
ARTICLE = b"<html><head><title>T</title></head><body><article>" + b"<p>Words of the article here. " * 60 + b"</p></article></body></html>"


def _app(store: Any) -> Any:
    options = FtrOptions(access="public")
    app = create_app(store)
    app.state.ftr_options = options
    app.state.fulltext_service = FullTextService(
        network_fetch(LOOPBACK), FtrCache(store), options=options, extract_page=page_extractor()
    )
    app.state.ftr_admission = Admission(running=2, waiting=2, retry_after=7)
    return app


def _client(app: Any, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://syndic.test", timeout=60)


@pytest.fixture
def pages(server):  # type: ignore[no-untyped-def]
    def slow(h: Any) -> None:
        time.sleep(2)
        respond(h, 200, ARTICLE)

    server.routes[("GET", "/slow")] = slow
    server.routes[("GET", "/fast")] = lambda h: respond(h, 200, ARTICLE)
    server.routes[("GET", "/cached")] = lambda h: respond(h, 200, ARTICLE)
    return server


async def test_one_caller_cannot_jam_the_others(store, pages) -> None:  # type: ignore[no-untyped-def]
    app = _app(store)
    async with _client(app, "203.0.113.66") as attacker, _client(app, "198.51.100.7") as other:
        primed = await attacker.get("/extract.php", params={"url": pages.url + "/cached"})
        assert primed.status_code == 200
        flood = [asyncio.create_task(attacker.get("/extract.php", params={"url": pages.url + f"/slow?{i}"}))
                 for i in range(10)]
        await asyncio.sleep(0.5)
        started = time.monotonic()
        fast = await other.get("/extract.php", params={"url": pages.url + "/fast"})
        fast_took = time.monotonic() - started
        cached = await attacker.get("/extract.php", params={"url": pages.url + "/cached"})  # queue full: cache first
        answers = await asyncio.gather(*flood)
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(429) >= 6 and statuses.count(200) <= 4, statuses
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.headers["retry-after"] == "7"
    assert fast.status_code == 200 and fast_took < 1.5, fast_took
    assert cached.status_code == 200


class _GoneAfter:
    """A request whose client disconnects after `seconds`."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    async def is_disconnected(self) -> bool:
        return time.monotonic() >= self.deadline


async def test_a_fetch_stops_when_its_client_goes_away() -> None:
    cancelled = asyncio.Event()

    async def slow_work() -> str:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "done"

    started = time.monotonic()
    result = await ftr_routes._unless_gone(_GoneAfter(0.3), slow_work())  # type: ignore[arg-type]
    assert result is None and cancelled.is_set() and time.monotonic() - started < 2
