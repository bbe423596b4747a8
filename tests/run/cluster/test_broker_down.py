"""The broker goes away under a busy worker and comes back: every task completes, none twice.

"Away" is a TCP proxy in front of the machine's RabbitMQ that the test
cuts (connections reset, new ones refused) and restores; the shared
server is never touched.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from cluster_helpers import RABBIT_URL, TcpProxy, cluster_env, start_workers, stop_all, wait_until
from cluster_sites import article_page, rss
from sqlalchemy import func, select

from syndic.config import load_settings
from syndic.run.distributed import enqueue_poll
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.schema import article_revisions

PAGES = 4


def test_a_broker_outage_mid_task_loses_nothing_and_stores_nothing_twice(
    cluster: Any, cluster_store: Store, postgres_url: str, queue_name: str, local_site: Any
) -> None:
    proxy = TcpProxy(("127.0.0.1", 5672))
    try:
        env = cluster_env(postgres_url, queue_name,
                          broker_url=RABBIT_URL.replace("127.0.0.1:5672", f"127.0.0.1:{proxy.port}"))
        (worker,) = start_workers(cluster, env)
        first_page = threading.Event()
        for n in range(PAGES):
            local_site.serve(f"/b{n}", article_page(n + 40))
        answer = local_site.routes["/b0"]

        def slow(_handler: Any) -> Any:
            first_page.set()
            time.sleep(1.5)  # the outage happens while this is being fetched
            return answer

        local_site.routes["/b0"] = slow
        local_site.serve("/feed.xml", rss(local_site, [f"/b{n}" for n in range(PAGES)]),
                         content_type="application/rss+xml")
        store_feeds.add_feed(cluster_store, local_site.url("/feed.xml"))
        direct = load_settings({**env, "SYNDIC_BROKER_URL": RABBIT_URL})  # the test itself is not cut off
        assert enqueue_poll(cluster_store, settings=direct) == 1

        assert first_page.wait(30), worker.output()
        proxy.cut()
        time.sleep(3)
        proxy.open()
        wait_until(lambda: store_entries.count_entries_by_state(cluster_store) == {"done": PAGES}, 90,
                   lambda: f"not all done after the broker came back: "
                   f"{store_entries.count_entries_by_state(cluster_store)}\n{worker.output()}")
        assert store_articles.article_count(cluster_store) == PAGES
        with cluster_store.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(article_revisions)).scalar() == PAGES
        assert worker.popen.poll() is None  # it reconnected rather than died
        assert stop_all([worker]) == [0]
    finally:
        proxy.cut()
