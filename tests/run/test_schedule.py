"""The scheduler's enqueue decisions, with a list standing in for the broker (both engines)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from syndic.config import Settings
from syndic.publish.campaigns import save_campaign
from syndic.retry import Decision
from syndic.run.schedule import enqueue_due, enqueue_extractions, enqueue_polls
from syndic.store import Store
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.schema import campaigns, entries, feeds
from syndic.types import ParsedEntry

NOW = datetime.now(UTC)


class Broker:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, list[Any]]] = []
        self.fail = fail

    def __call__(self, name: str, args: list[Any]) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.sent.append((name, args))

    def ids(self, name: str) -> list[int]:
        return sorted(int(a[0]) for n, a in self.sent if n == name)


def _feeds(store: Store, due: int, later: int) -> list[int]:
    ids = [store_feeds.add_feed(store, f"http://f.example/{i}") for i in range(due + later)]
    with store.engine.begin() as connection:
        connection.execute(update(feeds).values(next_check_at=NOW - timedelta(minutes=1)))
        connection.execute(update(feeds).where(feeds.c.id.in_(ids[due:])).values(next_check_at=NOW + timedelta(hours=1)))
    return ids


def test_due_feeds_are_enqueued_once_per_due_time(any_store: Store, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    ids = _feeds(any_store, due=3, later=2)
    broker = Broker()
    assert enqueue_polls(any_store, settings, broker, now=NOW) == 3
    assert enqueue_polls(any_store, settings, broker, now=NOW) == 0
    assert broker.ids("syndic.poll_feed") == ids[:3]
    # polled (a new next check), then due again: once more
    with any_store.engine.begin() as connection:
        connection.execute(update(feeds).where(feeds.c.id == ids[0]).values(next_check_at=NOW - timedelta(seconds=5)))
    assert enqueue_polls(any_store, settings, broker, now=NOW) == 1
    # `poll --distributed` without --due: the rest, not what is already queued
    assert enqueue_polls(any_store, settings, broker, due_only=False, now=NOW) == 2
    assert broker.ids("syndic.poll_feed") == sorted([*ids, ids[0]])


def test_a_broker_failure_rolls_the_claims_back(any_store: Store, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    _feeds(any_store, due=2, later=0)
    with pytest.raises(ConnectionError):
        enqueue_polls(any_store, settings, Broker(fail=True), now=NOW)
    assert enqueue_polls(any_store, settings, Broker(), now=NOW) == 2  # nothing was lost to the failed tick


def test_a_lost_task_is_enqueued_again_once_its_claim_is_stale(any_store: Store, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, claim_stale_after_s=600)
    _feeds(any_store, due=1, later=0)
    assert enqueue_polls(any_store, settings, Broker(), now=NOW) == 1  # … and the message is lost
    assert enqueue_polls(any_store, settings, Broker(), now=NOW + timedelta(seconds=599)) == 0
    assert enqueue_polls(any_store, settings, Broker(), now=NOW + timedelta(seconds=601)) == 1


def test_campaigns_and_owed_extractions_are_enqueued_with_the_feeds(any_store: Store, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, max_extract_attempts=3)
    ids = _feeds(any_store, due=1, later=1)
    new = store_entries.upsert_entries(
        any_store, ids[1], [ParsedEntry(guid=f"k{i}", link=f"http://f.example/a{i}") for i in range(3)]
    )
    with any_store.engine.begin() as connection:
        connection.execute(update(entries).where(entries.c.id == new[1]).values(extract_state="done"))
        connection.execute(update(entries).where(entries.c.id == new[2]).values(extract_attempts=3))  # spent
    wanted = save_campaign(any_store, "due", {}, ids, now=NOW - timedelta(minutes=1))
    resting = save_campaign(any_store, "resting", {}, ids)
    with any_store.engine.begin() as connection:
        connection.execute(update(campaigns).where(campaigns.c.id == resting)
                           .values(next_run_at=NOW + timedelta(hours=1)))
    broker = Broker()
    done = enqueue_due(any_store, settings, broker, now=NOW)
    assert (done.feeds, done.campaigns, done.extractions) == (1, 1, 1)
    assert broker.ids("syndic.run_campaign") == [wanted]
    assert broker.ids("syndic.extract_entry") == [new[0]]
    assert enqueue_due(any_store, settings, broker, now=NOW).total == 0
    # the extraction failed once and may be tried again once its backoff ran out: a new attempt, enqueued once
    store_entries.record_extract_failure(any_store, new[0], "HTTP 503",
                                         Decision("failed", 1, NOW + timedelta(minutes=5)))
    assert enqueue_extractions(any_store, settings, broker, now=NOW) == 0
    later = NOW + timedelta(minutes=6)
    assert enqueue_extractions(any_store, settings, broker, now=later) == 1
    assert enqueue_extractions(any_store, settings, broker, now=later) == 0
