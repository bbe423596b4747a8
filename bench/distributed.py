"""Throughput end to end: one process vs Celery workers, SQLite vs PostgreSQL, in one run.

A local news site (its own process, so it does not share our CPU budget
with the pipeline) serves `--feeds` RSS feeds of `--articles` article pages
each, ~600 words an article, one in ten a syndicated copy of an article of
another feed (so dedupe joins stories, as in real feeds). Each row starts
from an empty store and counts the time until every entry is extracted,
cleaned, deduplicated and stored:

- in-process on SQLite and on PostgreSQL: what `syndic poll` runs (asyncio
  for the network, a process pool for extraction, one writer);
- PostgreSQL with the planner's default plan cache: the same, but with
  PostgreSQL free to switch the near-duplicate lookup to a generic plan
  (what syndic did before it asked for custom plans), for comparison;
- 1 and 2 `syndic worker` processes (each `--concurrency` task processes)
  on RabbitMQ and PostgreSQL, fed by `syndic poll --distributed`.

Politeness is relaxed (the site is one host): this measures the pipeline,
not the spacing. Needs PostgreSQL on 127.0.0.1:5432 and RabbitMQ on :5672.

    .venv/bin/python bench/distributed.py [--feeds 40] [--articles 10] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import create_engine, text

PG_ADMIN = os.environ.get("SYNDIC_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BROKER = os.environ.get("SYNDIC_BENCH_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
SYNDIC = str(Path(sys.executable).with_name("syndic"))
WORDS_PER_ARTICLE = 600


# --- the site -------------------------------------------------------------------------------------------


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(5000)]


def build_site(feeds: int, articles: int, seed: int, base: str) -> dict[str, tuple[str, bytes]]:
    """Every path of the site: (content type, body)."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    texts: dict[tuple[int, int], list[str]] = {}
    site: dict[str, tuple[str, bytes]] = {}
    for f in range(feeds):
        items = []
        for a in range(articles):
            if a % 10 == 9 and f > 0:  # a syndicated copy of an article of another feed
                source = texts[(rng.randrange(f), rng.randrange(articles - 1))]
                paragraphs = [f"By Wire Staff, for feed {f}.", *source]
            else:
                words = [rng.choice(vocabulary) for _ in range(WORDS_PER_ARTICLE)]
                paragraphs = [" ".join(words[i:i + 60]).capitalize() + "." for i in range(0, len(words), 60)]
                texts[(f, a)] = paragraphs
            path = f"/f{f}/a{a}.html"
            title = f"Story {a} of feed {f}"
            site[path] = ("text/html; charset=utf-8", (
                f"<html><head><title>{title}</title></head><body><header><nav><a href='/'>Home</a></nav></header>"
                f"<article><h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
                + "</article><footer>Copyright</footer></body></html>").encode())
            items.append(f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid></item>")
        site[f"/f{f}.xml"] = ("application/rss+xml", (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title><link>{base}/</link>'
            + "".join(items) + "</channel></rss>").encode())
    return site


def serve(port: int, feeds: int, articles: int, seed: int) -> None:
    site = build_site(feeds, articles, seed, f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            content_type, body = site.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in site else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


@contextmanager
def site_process(feeds: int, articles: int, seed: int) -> Iterator[int]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--feeds", str(feeds),
                             "--articles", str(articles), "--seed", str(seed)])
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    try:
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


# --- stores ---------------------------------------------------------------------------------------------


@contextmanager
def postgres_database() -> Iterator[str]:
    name = f"syndic_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _subscribe(database_url: str, port: int, feeds: int) -> None:
    from syndic.store import feeds as store_feeds
    from syndic.store import open_store

    store = open_store(database_url)
    for f in range(feeds):
        store_feeds.add_feed(store, f"http://127.0.0.1:{port}/f{f}.xml")
    store.close()


def _done(database_url: str) -> tuple[int, int]:
    """(entries, entries no longer pending)."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        total = int(connection.execute(text("SELECT count(*) FROM entries")).scalar() or 0)
        pending = int(connection.execute(
            text("SELECT count(*) FROM entries WHERE extract_state = 'pending'")).scalar() or 0)
    engine.dispose()
    return total, total - pending


def _articles(database_url: str) -> tuple[int, int]:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        articles = int(connection.execute(text("SELECT count(*) FROM articles")).scalar() or 0)
        stories = int(connection.execute(text("SELECT count(*) FROM stories")).scalar() or 0)
    engine.dispose()
    return articles, stories


# --- runs -----------------------------------------------------------------------------------------------


def _env(database_url: str, queue: str, data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDIC_")}
    env.update({
        "SYNDIC_CONFIG": os.devnull, "SYNDIC_DATA_DIR": data_dir, "SYNDIC_DATABASE_URL": database_url,
        "SYNDIC_BROKER_URL": BROKER, "SYNDIC_TASK_QUEUE": queue, "SYNDIC_ALLOW_NETWORKS": "127.0.0.0/8",
        "SYNDIC_MIN_HOST_INTERVAL": "0", "SYNDIC_PER_HOST_CONCURRENCY": "64", "SYNDIC_LOG_LEVEL": "ERROR",
    })
    return env


def run_in_process(database_url: str, port: int, feeds: int, data_dir: str) -> float:
    from syndic.config import load_settings
    from syndic.run.local import open_runtime
    from syndic.run.pipeline import extract_pending, poll_feeds
    from syndic.store import feeds as store_feeds

    _subscribe(database_url, port, feeds)
    settings = load_settings(_env(database_url, "unused", data_dir))
    settings = replace(settings, database_url=database_url)

    async def go() -> None:
        async with open_runtime(settings) as rt:
            await poll_feeds(rt, store_feeds.list_feeds(rt.store))
            await extract_pending(rt, limit=1_000_000)

    started = time.perf_counter()
    asyncio.run(go())
    return time.perf_counter() - started


def run_workers(
    database_url: str, port: int, feeds: int, data_dir: str, workers: int, concurrency: int, timeout: float
) -> float:
    _subscribe(database_url, port, feeds)
    queue = f"syndic-bench-{uuid.uuid4().hex[:8]}"
    env = _env(database_url, queue, data_dir)
    # each worker logs to a file: a pipe nobody reads after " ready." fills up and blocks the worker mid-run
    logs = [Path(data_dir) / f"{queue}-worker{n}.log" for n in range(workers)]
    procs = []
    for log_path in logs:
        with log_path.open("w") as log_file:
            procs.append(subprocess.Popen(
                [SYNDIC, "worker", f"--concurrency={concurrency}", "--loglevel=INFO"], env=env,
                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True))
    try:
        deadline = time.perf_counter() + 60
        for proc, log_path in zip(procs, logs, strict=True):
            while " ready." not in log_path.read_text(errors="replace"):
                if proc.poll() is not None or time.perf_counter() > deadline:
                    raise RuntimeError(f"worker did not start:\n{log_path.read_text(errors='replace')[-2000:]}")
                time.sleep(0.1)
        started = time.perf_counter()
        subprocess.run([SYNDIC, "poll", "--distributed"], env=env, check=True, capture_output=True)
        while True:
            total, done = _done(database_url)
            elapsed = time.perf_counter() - started
            if total and done == total and elapsed > 1:
                return elapsed
            if elapsed > timeout:
                raise RuntimeError(f"{done} of {total} entries done after {timeout:.0f} s; worker logs in {data_dir}")
            time.sleep(0.1)
    finally:
        for proc in procs:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        _delete_queue(queue)


def _delete_queue(queue: str) -> None:
    from kombu import Connection

    with Connection(BROKER) as connection:
        for name in (queue,):
            with suppress(Exception):
                connection.default_channel.queue_delete(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=40)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=2, help="task processes per worker")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--timeout", type=float, default=900, help="seconds a worker run may take before it fails")
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.feeds, args.articles, args.seed)
        return
    # SIGTERM (a timeout, an operator) unwinds like Ctrl-C: workers stopped, databases and queues removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    rows: list[tuple[str, str, str, int, int, float]] = []
    with site_process(args.feeds, args.articles, args.seed) as port, TemporaryDirectory() as tmp:

        def measure(label: str, store: str, processes: str, database_url: str, run: Callable[[], float]) -> None:
            seconds = run()
            articles, stories = _articles(database_url)
            rows.append((label, store, processes, articles, stories, seconds))
            print(f"  {label} on {store}: {articles} articles in {seconds:.1f} s", file=sys.stderr)

        sqlite_url = f"sqlite:///{tmp}/bench.db"
        cores = os.cpu_count() or 1
        measure("in-process", "SQLite", f"1 + {cores} extract", sqlite_url,
                lambda: run_in_process(sqlite_url, port, args.feeds, tmp))
        with postgres_database() as url:
            measure("in-process", "PostgreSQL", f"1 + {cores} extract", url,
                    lambda: run_in_process(url, port, args.feeds, tmp))
        with postgres_database() as url:
            generic = url + "?options=-c%20plan_cache_mode%3Dauto"
            measure("in-process, default plan cache", "PostgreSQL", f"1 + {cores} extract", url,
                    lambda: run_in_process(generic, port, args.feeds, tmp))
        for count in (1, 2):
            with postgres_database() as url:
                measure(f"{count} worker{'s' if count > 1 else ''}", "PostgreSQL + RabbitMQ",
                        f"{count} × {args.concurrency} tasks", url,
                        lambda url=url, count=count: run_workers(url, port, args.feeds, tmp, count,
                                                                 args.concurrency, args.timeout))

    print(f"\n{args.feeds} feeds × {args.articles} articles (~{WORDS_PER_ARTICLE} words, 1 in 10 a copy), "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    print("| run | store | processes | articles | stories | seconds | articles/s |")
    print("|---|---|---|---:|---:|---:|---:|")
    for label, store, processes, articles, stories, seconds in rows:
        print(f"| {label} | {store} | {processes} | {articles} | {stories} | {seconds:.1f} | {articles / seconds:.1f} |")


if __name__ == "__main__":
    main()
