"""A poll cycle over N feeds served by a fast local server: unchanged (304) and changed.

    python bench/poll_cycle.py [--feeds 10000]

A separate process serves N RSS feeds on 127.0.0.1 with ETags (aiohttp);
syndic polls all of them through its real pipeline (guarded client, parser,
scheduler, SQLite store). Three cycles: the first fill, one where every feed
answers 304, one where every feed has 20 new entries. Printed per cycle:
wall seconds, feeds/s, CPU seconds per 1,000 feeds, and peak RSS.

All feeds live on one host here, so the per-host politeness limit is raised
for the bench (a real host with 10,000 feeds would be polled at its own pace).
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import multiprocessing
import resource
import socket
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

from syndic.config import Settings
from syndic.run.local import open_runtime
from syndic.run.pipeline import poll_feeds
from syndic.store import feeds as store_feeds
from syndic.store import open_store

ENTRIES = 20


def render_feed(index: int, version: int) -> bytes:
    items = "".join(
        f"<item><title>Feed {index} story {version}-{n}</title>"
        f"<link>http://127.0.0.1/f{index}/{version}/{n}</link><guid>f{index}-{version}-{n}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 08:{n:02d}:00 +0000</pubDate>"
        f"<description>&lt;p&gt;Summary {n} of feed {index}, version {version}.&lt;/p&gt;</description></item>"
        for n in range(ENTRIES)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {index}</title>'
            f"<link>http://127.0.0.1/f{index}/</link><description>bench</description>{items}</channel></rss>").encode()


def serve(port: int, version: multiprocessing.sharedctypes.Synchronized) -> None:  # type: ignore[name-defined]
    async def feed(request: web.Request) -> web.Response:
        index = int(request.match_info["index"])
        etag = f'"{index}-{version.value}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=render_feed(index, version.value), content_type="application/rss+xml",
                            headers={"ETag": etag})

    app = web.Application()
    app.router.add_get("/feed/{index}.xml", feed)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def cycle(settings: Settings, store_url: str) -> tuple[float, float, int, int]:
    store = open_store(store_url, run_migrations=False)
    rows = store_feeds.list_feeds(store)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    async with open_runtime(settings, store=store, inline=True) as rt:
        outcomes = await poll_feeds(rt, rows)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    store.close()
    return wall, cpu, sum(o.new_entries for o in outcomes), sum(1 for o in outcomes if o.error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=10_000)
    run(parser.parse_args().feeds)


def run(n_feeds: int) -> None:
    """Serve `n_feeds` feeds, poll them three times, print the table."""
    port = free_port()
    version = multiprocessing.Value("i", 1)
    server = multiprocessing.Process(target=serve, args=(port, version), daemon=True)
    server.start()
    time.sleep(1.0)
    folder = Path(tempfile.mkdtemp())
    store_url = f"sqlite:///{folder / 'bench.db'}"
    store = open_store(store_url)
    for i in range(n_feeds):
        store_feeds.add_feed(store, f"http://127.0.0.1:{port}/feed/{i}.xml")
    store.close()
    settings = Settings(
        data_dir=folder, database_url=store_url, allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        per_host_concurrency=200, max_connections=200, min_host_interval=0.0,
    )
    print(f"| cycle ({n_feeds} feeds) | wall s | feeds/s | CPU s / 1,000 feeds | new entries | errors | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in ("first fill", "unchanged (304)", "changed (+20 each)"):
        if name.startswith("changed"):
            version.value += 1
        wall, cpu, new, errors = asyncio.run(cycle(settings, store_url))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {name} | {wall:.1f} | {n_feeds / wall:,.0f} | {cpu / n_feeds * 1000:.2f} | {new:,} "
              f"| {errors} | {peak:.0f} |")
        sys.stdout.flush()
    server.terminate()


if __name__ == "__main__":
    main()
