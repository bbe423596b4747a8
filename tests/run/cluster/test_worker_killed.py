"""Two workers on one host, one killed mid-task: the task completes once, on the other; SIGTERM waits for tasks.

Both run with their default node names (unique per process), which is what
lets two workers share RabbitMQ from one host: with one fixed name the
second crashed on its remote-control queue (RESOURCE_LOCKED … pidbox).
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from cluster_helpers import cluster_env, start_workers, stop_all, wait_until
from cluster_sites import article_page, rss
from sqlalchemy import func, select

from syndic.config import load_settings
from syndic.run.distributed import configure, enqueue_poll
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.schema import article_revisions


def test_two_workers_start_on_one_host_and_a_killed_workers_task_completes_exactly_once(
    cluster: Any, cluster_store: Store, postgres_url: str, queue_name: str, local_site: Any
) -> None:
    env = cluster_env(postgres_url, queue_name)
    workers = start_workers(cluster, env, 2)
    assert all(w.popen.poll() is None for w in workers)
    names = {line.split()[-2] for w in workers for line in w.lines if line.endswith(" ready.")}
    assert len(names) == 2  # two nodes, two names
    local_site.serve("/slow", article_page(1))
    answer = local_site.routes["/slow"]
    released = threading.Event()

    def slow_the_first_time(_handler: BaseHTTPRequestHandler) -> Any:
        if local_site.hits["/slow"] == 1:
            released.wait(30)  # the worker fetching this is killed long before
        return answer

    local_site.routes["/slow"] = slow_the_first_time
    local_site.serve("/feed.xml", rss(local_site, ["/slow"]), content_type="application/rss+xml")
    store_feeds.add_feed(cluster_store, local_site.url("/feed.xml"))
    settings = load_settings(env)
    configure(settings)
    assert enqueue_poll(cluster_store, settings=settings) == 1

    wait_until(lambda: local_site.hits.get("/slow", 0) == 1, 30, "the page was never requested")
    time.sleep(0.3)
    holder = next(w for w in workers if any("Task syndic.extract_entry[" in line and "received" in line
                                            for line in w.lines))
    survivor = next(w for w in workers if w is not holder)
    holder.kill()
    released.set()

    wait_until(lambda: store_entries.count_entries_by_state(cluster_store) == {"done": 1}, 60,
               lambda: f"not completed after the kill:\n{survivor.output()}")
    assert local_site.hits["/slow"] == 2  # delivered again, fetched again …
    assert store_articles.article_count(cluster_store) == 1  # … and stored once
    with cluster_store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(article_revisions)).scalar() == 1
    (entry,) = store_entries.list_entries(cluster_store)
    row = store_entries.pending_entries(cluster_store, entry_id=entry.id)
    assert not row  # done, not pending
    with cluster_store.engine.connect() as connection:
        from syndic.store.schema import entries

        attempts = connection.execute(select(entries.c.extract_attempts)).scalar()
    assert attempts == 1  # completed once: a second completion would have counted a second attempt
    assert "RESOURCE_LOCKED" not in survivor.output() + holder.output()

    # SIGTERM while a task runs is a warm shutdown: the task finishes, then the worker exits cleanly
    local_site.serve_slowly("/late", article_page(2), delay=2.0)
    local_site.serve("/feed.xml", rss(local_site, ["/slow", "/late"]), content_type="application/rss+xml")
    assert enqueue_poll(cluster_store, settings=settings) == 1
    wait_until(lambda: local_site.hits.get("/late", 0) == 1, 30, "the second page was never requested")
    assert stop_all([survivor]) == [0]
    assert store_entries.count_entries_by_state(cluster_store) == {"done": 2}
