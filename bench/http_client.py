"""Pick syndic's one HTTP client by measuring, not by reputation.

Fetches many small files (2 KiB, like a feed poll that mostly gets small
bodies) from a fast local server at concurrency 50 and 100, with httpx and
with aiohttp, and prints requests per second and client CPU per request;
the last row is syndic's own Fetcher (aiohttp plus the address guard,
politeness and capped decoding), to show what those cost.
The server runs in a separate process so the client's CPU time
(`time.process_time` in this process) is the client's alone.

    .venv/bin/python bench/http_client.py [--requests 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import time
from collections.abc import Awaitable, Callable

BODY = b"<rss><channel>" + b"x" * 2020 + b"</channel></rss>"


def _serve(port_queue: multiprocessing.Queue[int]) -> None:
    """A minimal keep-alive HTTP/1.1 server on asyncio streams: fast and predictable."""

    response = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head:
                    break
                writer.write(response)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = await asyncio.start_server(handle, sock=sock, backlog=1024)
        port_queue.put(sock.getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


async def _run(fetch_one: Callable[[str], Awaitable[int]], url: str, n: int, concurrency: int) -> None:
    sem = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with sem:
            size = await fetch_one(f"{url}/feed/{i}.xml")
            assert size == len(BODY), size

    await asyncio.gather(*(one(i) for i in range(n)))


async def bench_httpx(url: str, n: int, concurrency: int) -> None:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def fetch_one(u: str) -> int:
            async with client.stream("GET", u) as r:
                return len(await r.aread())

        await _run(fetch_one, url, n, concurrency)


async def bench_aiohttp(url: str, n: int, concurrency: int) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, auto_decompress=False) as session:

        async def fetch_one(u: str) -> int:
            async with session.get(u) as r:
                return len(await r.read())

        await _run(fetch_one, url, n, concurrency)


async def bench_syndic(url: str, n: int, concurrency: int) -> None:
    """The chosen client with everything syndic adds: guard, politeness, capped decoding."""
    from ipaddress import ip_network

    from syndic.net import Fetcher, NetSettings

    settings = NetSettings(
        allow_networks=(ip_network("127.0.0.0/8"),),
        per_host_concurrency=concurrency,
        min_host_interval=0,
        max_connections=concurrency,
    )
    async with Fetcher(settings) as fetcher:

        async def fetch_one(u: str) -> int:
            return len((await fetcher.fetch(u)).body)

        await _run(fetch_one, url, n, concurrency)


CLIENTS = {"httpx": bench_httpx, "aiohttp": bench_aiohttp, "syndic Fetcher": bench_syndic}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    ctx = multiprocessing.get_context("spawn")
    ports: multiprocessing.Queue[int] = ctx.Queue()
    server = ctx.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{ports.get(timeout=10)}"
    try:
        print(f"{args.requests} GETs of {len(BODY)} bytes per run, median of {args.rounds} runs\n")
        print("| client         | concurrency | requests/s | client CPU µs/request |")
        print("|----------------|-------------|------------|-----------------------|")
        for concurrency in (50, 100):
            for name, bench in CLIENTS.items():
                rates, cpus = [], []
                for _ in range(args.rounds):
                    wall0, cpu0 = time.perf_counter(), time.process_time()
                    asyncio.run(bench(url, args.requests, concurrency))
                    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                    rates.append(args.requests / wall)
                    cpus.append(cpu / args.requests * 1e6)
                print(
                    f"| {name:<14} | {concurrency:>11} | {statistics.median(rates):>10.0f} "
                    f"| {statistics.median(cpus):>21.0f} |"
                )
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
