"""The same stages as Celery tasks, for when one machine is not enough.

Workers share a PostgreSQL store and a broker (RabbitMQ or Redis). Each task
runs exactly the coroutine the single process runs (`poll_feed`,
`extract_entry`); delivery is at-least-once (`acks_late`), which is safe
because every write is idempotent: entries are upserts on (feed, key),
articles are keyed by canonical URL and a repeated revision is ignored.

    syndic worker                      # start a worker (SYNDIC_BROKER_URL, SYNDIC_DATABASE_URL)
    syndic poll --distributed          # enqueue every feed; workers enqueue the extractions
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from celery import Celery

from syndic.config import load_settings
from syndic.run.local import open_runtime
from syndic.run.pipeline import extract_entry, poll_feed
from syndic.store import Store, open_store
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"

app = Celery("syndic")
app.conf.update(
    broker_url=os.environ.get("SYNDIC_BROKER_URL", DEFAULT_BROKER),
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    result_backend=None,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
)

_stores: dict[str, Store] = {}


def _store(url: str) -> Store:
    """One store (connection pool) per worker process and URL; migrated on first use."""
    if url not in _stores:
        _stores[url] = open_store(url)
    return _stores[url]


async def _poll_feed(feed_id: int) -> list[int]:
    settings = load_settings()
    store = _store(settings.resolved_database_url())
    feed = store_feeds.get_feed(store, feed_id)
    if feed is None:
        return []
    async with open_runtime(settings, store=store, inline=True) as rt:
        await poll_feed(rt, feed)
    pending = store_entries.pending_entries(
        store, max_attempts=settings.max_extract_attempts, feed_id=feed_id, limit=100_000
    )
    return [int(p.id) for p in pending]


async def _extract_entry(entry_id: int) -> None:
    settings = load_settings()
    store = _store(settings.resolved_database_url())
    rows = store_entries.pending_entries(store, max_attempts=settings.max_extract_attempts, entry_id=entry_id)
    if not rows:
        return  # already done by an earlier delivery of this task
    async with open_runtime(settings, store=store, inline=True) as rt:
        await extract_entry(rt, rows[0])


@app.task(name="syndic.poll_feed")  # type: ignore[untyped-decorator]
def poll_feed_task(feed_id: int) -> int:
    """Poll one feed, then enqueue an extraction per pending entry of it."""
    entry_ids = asyncio.run(_poll_feed(feed_id))
    for entry_id in entry_ids:
        extract_entry_task.delay(entry_id)
    return len(entry_ids)


@app.task(name="syndic.extract_entry")  # type: ignore[untyped-decorator]
def extract_entry_task(entry_id: int) -> None:
    asyncio.run(_extract_entry(entry_id))


def enqueue_poll(store: Store, *, due_only: bool = False) -> int:
    """Put one poll task per feed on the broker; return how many."""
    from datetime import UTC, datetime

    rows = store_feeds.due_feeds(store, datetime.now(UTC)) if due_only else store_feeds.list_feeds(store)
    for row in rows:
        poll_feed_task.delay(int(row.id))
    return len(rows)


def worker_argv(concurrency: int | None, loglevel: str) -> list[str]:
    argv: list[str] = ["worker", f"--loglevel={loglevel}", "--without-gossip", "--without-mingle"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    return argv


def start_worker(concurrency: int | None = None, loglevel: str = "INFO") -> Any:
    return app.worker_main(worker_argv(concurrency, loglevel))
