"""The same worker on Redis instead of RabbitMQ: the transport imports, tasks run, nothing waits an hour."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from cluster_helpers import cluster_env, start_workers, stop_all, wait_until
from cluster_sites import article_page, serve_feed

from syndic.config import load_settings
from syndic.run.distributed import configure, enqueue_poll
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds

REDIS_URL = os.environ.get("SYNDIC_TEST_REDIS", "redis://127.0.0.1:6379/12")


def test_a_worker_on_redis_polls_and_extracts(
    cluster: Any, cluster_store: Store, postgres_url: str, queue_name: str, local_site: Any
) -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis required under CI=true: {exc}")
        pytest.skip(f"no Redis on 127.0.0.1:6379: {exc}")
    env = cluster_env(postgres_url, queue_name, broker_url=REDIS_URL, broker_visibility_timeout_s=400)
    (worker,) = start_workers(cluster, env)
    assert "visibility_timeout" not in worker.output()  # no warning about it
    pages = {f"/r{i}": article_page(i + 20) for i in range(3)}
    store_feeds.add_feed(cluster_store, serve_feed(local_site, "/feed.xml", pages))
    settings = load_settings(env)
    configure(settings)
    try:
        assert enqueue_poll(cluster_store, settings=settings) == 1
        wait_until(lambda: store_entries.count_entries_by_state(cluster_store) == {"done": 3}, 60,
                   lambda: f"not extracted over Redis:\n{worker.output()}")
        assert store_articles.article_count(cluster_store) == 3
        assert stop_all([worker]) == [0]
    finally:
        configure(load_settings({**env, "SYNDIC_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"}))
