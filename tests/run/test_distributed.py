"""The distributed path: Celery over a real Redis broker, workers writing to real PostgreSQL.

Under CI=true the broker and PostgreSQL must be there (the test fails
instead of skipping); elsewhere it skips saying what is missing.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store import open_store

pytestmark = pytest.mark.postgres

BROKER = os.environ.get("SYNDIC_TEST_BROKER", "redis://127.0.0.1:6379/7")

TEXT = [
    "The county orchestra will play its first open-air concert in the castle gardens on Saturday evening, "
    "the first since the bandstand was restored with money raised by a community appeal last winter.",
    "The programme opens with a march written for the town's centenary and closes with a medley of film "
    "music chosen by pupils of the three secondary schools, who voted on the selection in November.",
    "Organisers said the gates would open at six, that picnics were welcome, and that the concert would "
    "go ahead in light rain, moving into the great hall only if a thunderstorm was forecast.",
]


def _redis_or_skip() -> None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return
    except OSError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis broker required under CI=true: {exc}")
        pytest.skip(f"no Redis broker on 127.0.0.1:6379: {exc}")


@pytest.fixture
def worker(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    _redis_or_skip()
    monkeypatch.setenv("SYNDIC_DATABASE_URL", postgres_url)
    monkeypatch.setenv("SYNDIC_ALLOW_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("SYNDIC_MIN_HOST_INTERVAL", "0")
    monkeypatch.setenv("SYNDIC_RESPECT_ROBOTS", "false")
    from celery.contrib.testing.worker import start_worker

    from syndic.run.distributed import app

    app.conf.broker_url = BROKER
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


def test_workers_poll_and_extract_into_postgres(worker: Any, postgres_url: str, local_site: Any) -> None:
    store = open_store(postgres_url, run_migrations=False)
    from sqlalchemy import text

    from syndic.store.schema import metadata

    with store.engine.begin() as connection:
        names = ", ".join(f'"{t.name}"' for t in reversed(metadata.sorted_tables))
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    page = ("<html><head><title>Concert in the gardens</title></head><body><article><h1>Concert in the gardens</h1>"
            + "".join(f"<p>{p}</p>" for p in TEXT) + "</article></body></html>").encode()
    local_site.serve("/concert", page)
    local_site.serve("/feed.xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title><link>http://x/</link>'
        f"<item><title>Concert</title><link>{local_site.url('/concert')}</link><guid>c1</guid></item>"
        "</channel></rss>").encode(), content_type="application/rss+xml")
    store_feeds.add_feed(store, local_site.url("/feed.xml"))

    from syndic.run.distributed import enqueue_poll

    assert enqueue_poll(store) == 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = store_entries.count_entries_by_state(store)
        if states.get("done") == 1:
            break
        time.sleep(0.2)
    assert store_entries.count_entries_by_state(store) == {"done": 1}
    assert store_articles.article_count(store) == 1
    # at-least-once: the same poll delivered again stores nothing twice
    enqueue_poll(store)
    time.sleep(1.5)
    assert store_articles.article_count(store) == 1
    assert len(store_entries.list_entries(store)) == 1
    store.close()
