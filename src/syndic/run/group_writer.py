"""Group commit for the poller: many feeds' writes share one transaction.

Each polled feed's writes (its new entries and its new state) must commit
together, but they need not commit alone. On SQLite a commit costs about a
millisecond whatever it holds, and feeds polled together touch the same
index pages, so committing a few dozen feeds at once made the 10,000-feed
changed cycle markedly faster (`bench/poll_cycle.py`).

`GroupWriter.run(work)` queues `work(connection)`; the queue is written in
one transaction when it is full or a few milliseconds after its first item,
and each caller gets its own result only after the commit. A crash before
the commit loses the whole group, which is safe: a feed's validators
(ETag, next check) are in the same transaction as its entries, so the feeds
of a lost group are simply fetched again. If one item raises, the group is
rolled back and every item is run again in a transaction of its own, so one
feed's failure is only its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from syndic.store import Store

T = TypeVar("T")
Work = Callable[[Connection], Any]


class GroupWriter:
    def __init__(self, store: Store, *, max_items: int = 64, max_delay: float = 0.02) -> None:
        if max_items < 1 or max_delay < 0:
            raise ValueError("max_items must be >= 1 and max_delay >= 0")
        self._store = store
        self._max_items = max_items
        self._max_delay = max_delay
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
        self._timer: asyncio.TimerHandle | None = None

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` inside a shared transaction; its result once that transaction committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._queue.append((work, future))
        if len(self._queue) >= self._max_items:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(self._max_delay, self.flush)
        result: T = await future
        return result

    def flush(self) -> None:
        """Write everything queued now (also called by the timer)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        group, self._queue = self._queue, []
        group = [(work, future) for work, future in group if not future.cancelled()]
        if not group:
            return
        try:
            with self._store.engine.begin() as connection:
                results = [work(connection) for work, _ in group]
        except Exception:
            for work, future in group:
                self._run_alone(work, future)
            return
        for (_, future), result in zip(group, results, strict=True):
            future.set_result(result)

    def _run_alone(self, work: Work, future: asyncio.Future[Any]) -> None:
        try:
            with self._store.engine.begin() as connection:
                result = work(connection)
        except Exception as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
