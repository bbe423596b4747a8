"""What the cluster scheduler enqueues: due feeds, due campaigns, extractions still owed.

Every enqueue goes through a claim (store/claims.py) keyed by what made the
work due, so running two schedulers, or a scheduler and a cron, or the same
cron twice, never puts one piece of work on the queue twice:

- a feed is claimed per (feed, next_check_at): polled once per due time;
- a campaign per (campaign, next_run_at) — the hook issue 16 builds on;
- an extraction per (entry, attempt number): a poll task enqueues its new
  entries, and the scheduler catches any entry still pending whose task was
  lost (or whose earlier attempt failed and may be tried again).

The claims of a batch and the publishing of its tasks share one
transaction: if the broker refuses, the claims roll back and the next tick
tries again; a claim whose task vanished anyway goes stale after
`claim_stale_after_s` and is enqueued again. Nothing here imports Celery:
tasks are handed to a `Publish` callable (run/distributed.py gives the
broker's; tests give a list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, or_, select

from syndic.config import Settings
from syndic.store import Store
from syndic.store import entries as store_entries
from syndic.store.claims import claim, due_key
from syndic.store.schema import campaigns, entries, feeds

_K = TypeVar("_K")
"""What a target's claim key is made of: a due time, or an attempt count."""

Publish = Callable[[str, list[Any]], None]
"""Put one task on the queue: (task name, positional arguments)."""

POLL_TASK = "syndic.poll_feed"
EXTRACT_TASK = "syndic.extract_entry"
CAMPAIGN_TASK = "syndic.run_campaign"
BATCH = 500


@dataclass
class Enqueued:
    feeds: int = 0
    campaigns: int = 0
    extractions: int = 0

    @property
    def total(self) -> int:
        return self.feeds + self.campaigns + self.extractions


def _now() -> datetime:
    return datetime.now(UTC)


def extract_key(attempts: int) -> str:
    return f"attempt-{int(attempts)}"


def _claim_and_publish(
    store: Store, kind: str, task: str, rows: Sequence[tuple[int, str]], publish: Publish,
    *, now: datetime, stale_after: float,
) -> int:
    """Claim a batch and publish a task for each target won, in one transaction."""
    if not rows:
        return 0
    with store.engine.begin() as connection:
        won = claim(connection, kind, rows, now=now, stale_before=now - timedelta(seconds=stale_after))
        for target, key in rows:
            if target in won:
                publish(task, [target, key])
    return len(won)


def _batches(
    store: Store, query: Select[int, _K], key_column: ColumnElement[int]
) -> Iterator[list[tuple[int, _K]]]:
    """(id, due value) pairs of `query` in id order, BATCH at a time (keyset paging: no long-held cursor)."""
    last = 0
    while True:
        with store.engine.connect() as connection:
            rows = [
                (int(target), value)
                for target, value in connection.execute(query.where(key_column > last).order_by(key_column).limit(BATCH))
            ]
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _enqueue(
    store: Store, settings: Settings, publish: Publish, *, kind: str, task: str, query: Select[int, _K],
    key_column: ColumnElement[int], due: Callable[[_K], str], now: datetime,
) -> int:
    """Claim and publish, batch by batch, a task for each (id, value) row of `query`, keyed by (id, `due(value)`)."""
    count = 0
    for rows in _batches(store, query, key_column):
        batch = [(target, due(value)) for target, value in rows]
        count += _claim_and_publish(store, kind, task, batch, publish, now=now, stale_after=settings.claim_stale_after_s)
    return count


def enqueue_polls(
    store: Store, settings: Settings, publish: Publish, *, due_only: bool = True, now: datetime | None = None
) -> int:
    """Enqueue a poll for each feed (each due feed) not already on the queue for its due time."""
    now = now or _now()
    query = select(feeds.c.id, feeds.c.next_check_at)
    if due_only:
        query = query.where(or_(feeds.c.next_check_at.is_(None), feeds.c.next_check_at <= now))
    return _enqueue(store, settings, publish, kind="poll", task=POLL_TASK, query=query, key_column=feeds.c.id,
                    due=due_key, now=now)


def enqueue_campaigns(store: Store, settings: Settings, publish: Publish, *, now: datetime | None = None) -> int:
    """Enqueue a run of each enabled campaign whose next run has come, once per due time."""
    now = now or _now()
    query = select(campaigns.c.id, campaigns.c.next_run_at).where(
        campaigns.c.enabled.is_(True), or_(campaigns.c.next_run_at.is_(None), campaigns.c.next_run_at <= now)
    )
    return _enqueue(store, settings, publish, kind="campaign", task=CAMPAIGN_TASK, query=query,
                    key_column=campaigns.c.id, due=due_key, now=now)


def enqueue_extractions(
    store: Store, settings: Settings, publish: Publish, *, feed_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Enqueue an extraction for each entry owed one (of one feed) not already queued for this attempt.

    Owed: pending, or failed with its next try come (the states of syndic/retry.py, as in one process).
    """
    now = now or _now()
    query = select(entries.c.id, entries.c.extract_attempts).where(
        store_entries.due_clause(now), entries.c.extract_attempts < settings.max_extract_attempts
    )
    if feed_id is not None:
        query = query.where(entries.c.feed_id == feed_id)
    return _enqueue(store, settings, publish, kind="extract", task=EXTRACT_TASK, query=query,
                    key_column=entries.c.id, due=extract_key, now=now)


def enqueue_due(store: Store, settings: Settings, publish: Publish, *, now: datetime | None = None) -> Enqueued:
    """One scheduler tick: due feeds, due campaigns, and extractions still owed."""
    now = now or _now()
    return Enqueued(
        feeds=enqueue_polls(store, settings, publish, now=now),
        campaigns=enqueue_campaigns(store, settings, publish, now=now),
        extractions=enqueue_extractions(store, settings, publish, now=now),
    )
