"""GroupWriter: feeds polled together share a transaction, and one failure stays its own."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.engine import Connection

from syndic.run.group_writer import GroupWriter
from syndic.store import Store
from syndic.store.schema import feeds


def add(url: str) -> object:
    def work(connection: Connection) -> int:
        values = {"url": url, "state": "new", "error_count": 0, "public": False, "created_at": datetime.now(UTC)}
        return int(connection.execute(insert(feeds).values(**values)).inserted_primary_key[0])  # type: ignore[index]

    return work


def urls(store: Store) -> set[str]:
    with store.engine.connect() as connection:
        return set(connection.execute(select(feeds.c.url)).scalars())


def count_commits(store: Store) -> list[int]:
    commits = [0]

    @event.listens_for(store.engine, "commit")
    def on_commit(_connection: object) -> None:
        commits[0] += 1

    return commits


async def test_items_queued_together_commit_together(any_store: Store) -> None:
    writer = GroupWriter(any_store, max_items=100, max_delay=0.05)
    commits = count_commits(any_store)

    ids = await asyncio.gather(*(writer.run(add(f"https://e.com/{i}")) for i in range(40)))

    assert len(set(ids)) == 40
    assert urls(any_store) == {f"https://e.com/{i}" for i in range(40)}
    assert commits[0] == 1


async def test_a_full_queue_is_written_without_waiting_for_the_timer(any_store: Store) -> None:
    writer = GroupWriter(any_store, max_items=3, max_delay=30)
    started = time.monotonic()
    await asyncio.gather(*(writer.run(add(f"https://e.com/{i}")) for i in range(6)))
    assert time.monotonic() - started < 5
    assert len(urls(any_store)) == 6


async def test_one_failing_item_fails_alone(any_store: Store) -> None:
    writer = GroupWriter(any_store, max_items=100, max_delay=0.05)

    def broken(connection: Connection) -> int:
        add("https://e.com/half-written")(connection)  # type: ignore[operator]
        raise RuntimeError("bug in one feed's write")

    results = await asyncio.gather(
        writer.run(add("https://e.com/a")), writer.run(broken), writer.run(add("https://e.com/b")),
        return_exceptions=True,
    )

    assert isinstance(results[1], RuntimeError)
    assert all(isinstance(r, int) for r in (results[0], results[2]))
    assert urls(any_store) == {"https://e.com/a", "https://e.com/b"}, "the failed item left nothing behind"


async def test_a_cancelled_caller_writes_nothing(any_store: Store) -> None:
    writer = GroupWriter(any_store, max_items=100, max_delay=0.2)
    kept = asyncio.ensure_future(writer.run(add("https://e.com/kept")))
    dropped = asyncio.ensure_future(writer.run(add("https://e.com/dropped")))
    await asyncio.sleep(0)
    dropped.cancel()
    await kept
    with pytest.raises(asyncio.CancelledError):
        await dropped
    with any_store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(feeds)).scalar() == 1
