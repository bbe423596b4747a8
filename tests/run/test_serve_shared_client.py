"""`syndic serve` fetches through one client: the poller and the Full-Text RSS endpoints are polite together.

A reader's poller and a Full-Text RSS subscriber hitting the same site at
once must not double its load: the site sees one request at a time, spaced
by the configured interval, whoever asked. In a cluster, serve does not poll
(beat and the workers do), and its Full-Text RSS fetches wait for a host's
slot held by any worker, through the store.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import text

from syndic.config import Settings
from syndic.run.cluster_gate import StoreHostGate
from syndic.services.serve import serve_async
from syndic.store import Store, open_store
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.schema import metadata

from .test_websub import free_port, wait_for

INTERVAL = 0.3


def article(n: int) -> bytes:
    words = " ".join(f"word{(n * 13 + i) % 97}" for i in range(90))
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
        f"<p>{words}.</p><p>{words[::-1]}.</p></article></body></html>"
    ).encode()


def rss(site: Any, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{p}</title><link>{site.url(p)}</link><guid>{p}</guid></item>" for p in paths)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title><link>{site.url("/")}</link>'
            f"{items}</channel></rss>").encode()


def timed_site(site: Any, feeds: dict[str, list[str]]) -> list[tuple[float, str]]:
    """Serve `feeds` (path: its pages) and their pages; return the (start time, path) of each request."""
    starts: list[tuple[float, str]] = []
    lock = threading.Lock()

    def timed(path: str, body: bytes, content_type: str) -> Any:
        site.serve(path, body, content_type=content_type)
        route = site.routes[path]

        def answer(_handler: BaseHTTPRequestHandler) -> Any:
            with lock:
                starts.append((time.monotonic(), path))
            return route

        site.routes[path] = answer

    for feed_path, pages in feeds.items():
        for page in pages:
            timed(page, article(int(page.rsplit("/", 1)[1])), "text/html")
        timed(feed_path, rss(site, pages), "application/rss+xml")
    return starts


@dataclass
class Running:
    base: str
    stop: asyncio.Event
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread


@pytest.fixture
def run_serve() -> Iterator[Any]:
    running: list[Running] = []

    def start(settings: Settings, store: Store) -> str:
        port = free_port()
        loop = asyncio.new_event_loop()
        ready, stop = asyncio.Event(), asyncio.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(serve_async(settings, host="127.0.0.1", port=port, store=store, ready=ready,
                                                stop=stop))
            loop.close()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        wait_for(ready.is_set, "the server to start")
        running.append(Running(f"http://127.0.0.1:{port}", stop, loop, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server in running:
        server.loop.call_soon_threadsafe(server.stop.set)
        server.thread.join(timeout=15)
        assert not server.thread.is_alive(), "the server did not stop"


def test_the_poller_and_the_full_text_endpoints_keep_one_hosts_spacing_together(
    make_settings: Any, any_store: Store, local_site: Any, run_serve: Any
) -> None:
    polled = ["/p/1", "/p/2", "/p/3", "/p/4"]
    asked = ["/f/5", "/f/6", "/f/7"]
    starts = timed_site(local_site, {"/polled.xml": polled, "/asked.xml": asked})
    settings = make_settings(min_host_interval=INTERVAL, per_host_concurrency=1, extract_workers=1,
                             ftr_access="public")
    store = any_store
    store_feeds.add_feed(store, local_site.url("/polled.xml"))
    base = run_serve(settings, store)  # the poller starts at once: the feed is due
    query = urlencode({"url": local_site.url("/asked.xml"), "max": "3"})
    answer = httpx.get(f"{base}/makefulltextfeed.php?{query}", timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.text.count("<item>") == 3 and "unable to retrieve" not in answer.text
    wait_for(lambda: store_entries.count_entries_by_state(store).get("done") == 4, "the poller's extractions")

    paths = {path for _, path in starts}
    assert set(polled) | set(asked) | {"/polled.xml", "/asked.xml"} <= paths  # both fetched, from one site
    times = sorted(t for t, _ in starts)
    # one host, one request at a time, each start at least INTERVAL after the one before, whoever asked
    # (judged from the first start, so delivery jitter of one request does not fail it)
    late = [i for i, t in enumerate(times) if t - times[0] < i * INTERVAL - 0.05]
    assert not late, f"starts closer than {INTERVAL} s apart: {[round(t - times[0], 2) for t in times]}"


def test_in_a_cluster_serve_leaves_polling_to_the_workers_and_waits_for_a_hosts_slot_held_by_one(
    make_settings: Any, postgres_url: str, local_site: Any, run_serve: Any
) -> None:
    starts = timed_site(local_site, {"/polled.xml": ["/p/1"], "/asked.xml": ["/f/2"]})
    settings = make_settings(database_url=postgres_url, broker_url="amqp://guest:guest@127.0.0.1:5672//",
                             min_host_interval=0, per_host_concurrency=1, ftr_access="public")
    store = open_store(postgres_url, run_migrations=False)
    with store.engine.begin() as connection:  # the session's database, as other tests left it
        names = ", ".join(f'"{t.name}"' for t in reversed(metadata.sorted_tables))
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    try:
        store_feeds.add_feed(store, local_site.url("/polled.xml"))
        gate = StoreHostGate(store, lease_ttl=30)  # a worker of the cluster, fetching from the same host

        async def hold() -> float:
            async with gate.slot("127.0.0.1", 1, 0):
                await asyncio.sleep(1.5)
            return time.monotonic()

        held = threading.Event()
        released: list[float] = []

        def worker() -> None:
            async def run() -> None:
                task = asyncio.create_task(hold())
                await asyncio.sleep(0.3)  # the slot is taken by now
                held.set()
                released.append(await task)

            asyncio.run(run())

        holder = threading.Thread(target=worker)
        base = run_serve(settings, store)
        holder.start()
        held.wait(10)
        query = urlencode({"url": local_site.url("/asked.xml")})
        answer = httpx.get(f"{base}/makefulltextfeed.php?{query}", timeout=30)
        holder.join(10)
        assert answer.status_code == 200, answer.text
        assert "<item>" in answer.text and "unable to retrieve" not in answer.text
        first = min(t for t, path in starts if path == "/asked.xml")
        assert first >= released[0] - 0.05  # the worker's hold on the host delayed serve's fetch
        time.sleep(1.0)
        assert not [p for _, p in starts if p == "/polled.xml"]  # serve did not poll: beat and workers do
    finally:
        store.close()


def test_full_text_item_pages_follow_robots_txt_as_the_poller_does_but_a_page_asked_for_is_fetched(
    make_settings: Any, sqlite_store: Store, local_site: Any, run_serve: Any
) -> None:
    timed_site(local_site, {"/feed.xml": ["/private/1", "/open/2"]})
    local_site.serve("/private/3", article(3))
    local_site.serve("/robots.txt", b"User-agent: *\nDisallow: /private\n", content_type="text/plain")
    settings = make_settings(respect_robots=True, ftr_access="public", extract_workers=1)
    base = run_serve(settings, sqlite_store)

    feed = httpx.get(f"{base}/makefulltextfeed.php?{urlencode({'url': local_site.url('/feed.xml')})}", timeout=30)
    assert feed.status_code == 200, feed.text
    first, second = feed.text.split("<item>")[1:]
    assert "[unable to retrieve full-text content]" in first and "word" not in first  # crawled: robots.txt says no
    assert "word" in second  # extracted
    assert local_site.hits.get("/private/1", 0) == 0

    # a page the caller names is fetched as a browser would (FTR does not read robots.txt either)
    page = httpx.get(f"{base}/extract.php?{urlencode({'url': local_site.url('/private/3')})}", timeout=30)
    assert page.status_code == 200 and "word" in page.json()["content"]
