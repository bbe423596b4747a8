"""The scheduler on the real broker: two beats at once (and a cron on top) enqueue each due feed once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from cluster_helpers import RABBIT_URL, cluster_env, stop_all, wait_until
from kombu import Connection
from sqlalchemy import update

from syndic.config import load_settings
from syndic.publish.campaigns import save_campaign
from syndic.run.distributed import configure, enqueue_poll, schedule_once
from syndic.store import Store
from syndic.store import feeds as store_feeds
from syndic.store.schema import feeds


def _queued(queue: str) -> list[tuple[str, list[Any]]]:
    """Take every message off the queue: (task name, args)."""
    found: list[tuple[str, list[Any]]] = []
    with Connection(RABBIT_URL) as connection:
        simple = connection.SimpleQueue(queue)
        while True:
            try:
                message = simple.get(block=True, timeout=0.5)
            except simple.Empty:
                break
            found.append((message.headers["task"], list(message.payload[0])))
            message.ack()
        simple.close()
    return found


def _depth(queue: str) -> int:
    with Connection(RABBIT_URL) as connection:
        return int(connection.default_channel.queue_declare(queue, passive=True).message_count)


def test_two_beats_and_a_cron_enqueue_each_due_feed_and_campaign_once(
    cluster: Any, cluster_store: Store, postgres_url: str, queue_name: str
) -> None:
    past = datetime.now(UTC) - timedelta(minutes=5)
    ids = [store_feeds.add_feed(cluster_store, f"http://feeds.example/{i}.xml") for i in range(12)]
    with cluster_store.engine.begin() as connection:
        connection.execute(update(feeds).values(next_check_at=past))
        connection.execute(update(feeds).where(feeds.c.id == ids[-1])  # not due yet
                           .values(next_check_at=datetime.now(UTC) + timedelta(hours=1)))
    campaign = save_campaign(cluster_store, "wire", {}, ids[:2])
    env = cluster_env(postgres_url, queue_name, schedule_interval_s=0.3)

    beats = [cluster(["beat"], env) for _ in range(2)]
    wait_until(lambda: any("enqueued" in b.output() for b in beats), 30,
               "no beat enqueued anything:\n" + "\n".join(b.output() for b in beats))
    wait_until(lambda: _depth(queue_name) >= 12, 10, "not everything enqueued")
    settings = load_settings(env)
    configure(settings)
    assert enqueue_poll(cluster_store, due_only=True, settings=settings) == 0  # a cron on top: all queued already
    time.sleep(1.5)  # several more ticks of each beat
    assert stop_all(beats) == [0, 0]

    messages = _queued(queue_name)
    polls = sorted(args[0] for name, args in messages if name == "syndic.poll_feed")
    campaigns = [args[0] for name, args in messages if name == "syndic.run_campaign"]
    assert polls == ids[:-1]  # each due feed once, the one not due not at all
    assert campaigns == [campaign]
    assert len(messages) == len(polls) + 1

    # a feed with a new due time is due again: enqueued once more, and only it
    with cluster_store.engine.begin() as connection:
        connection.execute(update(feeds).where(feeds.c.id == ids[0]).values(next_check_at=past + timedelta(seconds=1)))
    assert schedule_once(cluster_store, settings).feeds == 1
    assert [args[0] for _, args in _queued(queue_name)] == [ids[0]]
