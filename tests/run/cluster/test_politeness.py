"""Politeness across the cluster: two workers together keep one host's limits, and read robots.txt once."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from cluster_helpers import cluster_env, start_workers, stop_all, wait_until
from cluster_sites import article_page, rss

from syndic.config import load_settings
from syndic.run.distributed import configure, enqueue_poll
from syndic.store import Store
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds

CRAWL_DELAY = 0.3  # robots.txt asks more than min_host_interval: the larger wins
PER_HOST = 2
PAGES = 8


def test_two_workers_stay_within_one_hosts_rate_concurrency_and_crawl_delay(
    cluster: Any, cluster_store: Store, postgres_url: str, queue_name: str, local_site: Any
) -> None:
    starts: list[float] = []
    in_flight = [0]
    most = [0]
    lock = threading.Lock()

    def page(n: int) -> Any:
        local_site.serve(f"/p{n}", article_page(n))
        answer = local_site.routes[f"/p{n}"]

        def slow(_handler: BaseHTTPRequestHandler) -> Any:
            with lock:
                starts.append(time.monotonic())
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
            time.sleep(0.5)  # long enough that requests would overlap if they could
            with lock:
                in_flight[0] -= 1
            return answer

        return slow

    for n in range(PAGES):
        local_site.routes[f"/p{n}"] = page(n)
    local_site.serve("/robots.txt", f"User-agent: *\nCrawl-delay: {CRAWL_DELAY}\n".encode(), content_type="text/plain")
    local_site.serve("/feed.xml", rss(local_site, [f"/p{n}" for n in range(PAGES)]),
                     content_type="application/rss+xml")
    store_feeds.add_feed(cluster_store, local_site.url("/feed.xml"))

    # four task processes in all: without a cluster-wide gate they would hit the host four at a time
    env = cluster_env(postgres_url, queue_name, respect_robots="true", min_host_interval=0.1,
                      per_host_concurrency=PER_HOST)
    workers = start_workers(cluster, env, 2, "--concurrency=2")
    settings = load_settings(env)
    configure(settings)
    assert enqueue_poll(cluster_store, settings=settings) == 1
    wait_until(lambda: store_entries.count_entries_by_state(cluster_store) == {"done": PAGES}, 90,
               lambda: f"not all extracted: {store_entries.count_entries_by_state(cluster_store)}, "
               f"site hits {local_site.hits}\n" + "\n".join(w.output()[-3000:] for w in workers))
    assert stop_all(workers) == [0, 0]

    assert all("succeeded" in w.output() for w in workers)  # both workers fetched
    assert most[0] <= PER_HOST
    assert local_site.hits["/robots.txt"] == 1  # read once for the whole cluster, kept in the store
    starts.sort()
    span = starts[-1] - starts[0]
    # never faster than one request per Crawl-delay: the gate spaces the slots it hands out exactly; the
    # site sees them arrive with a few milliseconds of scheduling jitter (one run: 7 gaps in 2.0992 s)
    assert span >= (len(starts) - 1) * CRAWL_DELAY - 0.02
    # no burst either: any four consecutive starts span at least three delays (less scheduling jitter)
    assert min(b - a for a, b in zip(starts, starts[3:], strict=False)) >= 3 * CRAWL_DELAY - 0.15
