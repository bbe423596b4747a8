"""Bad days for a worker: the database goes away, a task hangs. Nothing is lost, each failure is visible.

`syndic monitor` watches the same cluster: its metrics show the retries.

"Down" is a TCP proxy in front of the machine's PostgreSQL that the test
cuts (open connections reset, new ones refused), so the shared server other
tests use is never touched.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from typing import Any

from cluster_helpers import TcpProxy, cluster_env, proxied, start_workers, stop_all, wait_until
from cluster_sites import article_page, rss, serve_feed

from syndic.config import load_settings
from syndic.run.distributed import configure, enqueue_poll
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds


def test_a_task_failing_on_a_down_database_is_retried_and_completes_when_it_is_back(
    cluster: Any, cluster_store: Store, postgres_url: str, queue_name: str, local_site: Any, pg_proxy: TcpProxy
) -> None:
    env = cluster_env(proxied(postgres_url, pg_proxy), queue_name, task_max_retries=30,
                      task_soft_time_limit_s=5, task_time_limit_s=8, read_timeout=30, total_timeout=60)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monitor = cluster(["monitor", "--port", str(port)], env)
    (worker,) = start_workers(cluster, env)
    monitor.wait_for("task metrics on")
    pages = {f"/story{i}": article_page(i) for i in range(3)}
    store_feeds.add_feed(cluster_store, serve_feed(local_site, "/feed.xml", pages))

    pg_proxy.cut()  # the workers' database is gone; the test still reaches it directly
    settings = load_settings(env)
    configure(settings)
    assert enqueue_poll(cluster_store, settings=settings) == 1
    wait_until(lambda: _retries(worker.lines) >= 3, 30, lambda: f"no retries seen:\n{worker.output()}")
    assert local_site.hits.get("/feed.xml", 0) == 0  # nothing got done while the database was down
    assert store_entries.count_entries_by_state(cluster_store) == {}

    pg_proxy.open()
    wait_until(lambda: store_entries.count_entries_by_state(cluster_store) == {"done": 3}, 60,
               lambda: f"not completed after the database came back: {store_entries.count_entries_by_state(cluster_store)}"
               f"\n{worker.output()}")
    assert store_articles.article_count(cluster_store) == 3
    feed = store_feeds.list_feeds(cluster_store)[0]
    assert feed.state == "ok" and feed.error_count == 0
    time.sleep(0.5)
    assert "given up" not in worker.output()
    metrics = _metrics(port)
    assert metrics['syndic_tasks_retried_total{stage="poll"}'] == _retries(worker.lines) >= 3
    assert metrics['syndic_tasks_succeeded_total{stage="poll"}'] == 1
    assert metrics['syndic_tasks_succeeded_total{stage="extract"}'] == 3
    assert metrics['syndic_tasks_queued_total{stage="extract"}'] == 3
    assert metrics['syndic_tasks_failed_total{stage="poll"}'] == 0
    assert metrics['syndic_tasks_running{stage="extract"}'] == 0
    assert metrics[f'syndic_queue_messages{{queue="{queue_name}"}}'] == 0

    # a task that hangs (a page that never finishes, within the fetch's own timeouts) is stopped by the
    # task's time limit, and the entry says so; it is failed, waiting for its next attempt
    hung = threading.Event()
    local_site.serve("/hangs", article_page(9))
    answer = local_site.routes["/hangs"]

    def never_finishes(_handler: Any) -> Any:
        hung.wait(40)
        return answer

    local_site.routes["/hangs"] = never_finishes
    local_site.serve("/feed.xml", rss(local_site, [*pages, "/hangs"]), content_type="application/rss+xml")
    assert enqueue_poll(cluster_store, settings=settings) == 1
    wait_until(lambda: store_entries.count_entries_by_state(cluster_store) == {"done": 3, "failed": 1}
               and any(e.extract_error for e in store_entries.list_entries(cluster_store)), 40,
               lambda: f"the hung task was not stopped:\n{worker.output()}")
    hung.set()
    (stopped,) = [e for e in store_entries.list_entries(cluster_store) if e.extract_error]
    assert stopped.link.endswith("/hangs")
    assert stopped.extract_error == "stopped after 5 s (task time limit)"
    assert stopped.extract_attempts == 1 and stopped.extract_next_at is not None
    assert worker.popen.poll() is None  # the worker lives on
    assert stop_all([worker]) == [0]


def _metrics(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
            for line in text.splitlines() if line.startswith("syndic_")}


def _retries(lines: list[str]) -> int:
    return sum(1 for line in lines if "Task syndic.poll_feed[" in line and " retry: " in line)
