"""kill -9 the poller in the middle of a cycle, start it again: nothing lost, nothing stored twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from syndic.store import open_store
from syndic.store.schema import articles, entries

FEEDS, PER_FEED = 12, 10


def _page(n: int) -> bytes:
    words = " ".join(f"word{n}x{i}" for i in range(60))
    paragraphs = "".join(f"<p>Story {n} paragraph {p}: the committee met again and {words}.</p>" for p in range(4))
    return f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>{paragraphs}</article></body></html>".encode()


def test_kill_9_mid_cycle_then_restart(local_site: Any, tmp_path: Path) -> None:
    for f in range(FEEDS):
        items = "".join(
            f"<item><title>S{f}-{i}</title><link>{local_site.url(f'/s/{f}/{i}')}</link><guid>g{f}-{i}</guid></item>"
            for i in range(PER_FEED)
        )
        local_site.serve(f"/feed/{f}.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>F{f}</title>'
                         f"<link>http://x/</link>{items}</channel></rss>".encode(), content_type="application/rss+xml")
        for i in range(PER_FEED):
            local_site.serve_slowly(f"/s/{f}/{i}", _page(f * PER_FEED + i), 0.05)
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    store = open_store(url)
    from syndic.store.feeds import add_feed

    for f in range(FEEDS):
        add_feed(store, local_site.url(f"/feed/{f}.xml"))
    env = {**os.environ, "SYNDIC_DATABASE_URL": url, "SYNDIC_ALLOW_NETWORKS": "127.0.0.0/8",
           "SYNDIC_MIN_HOST_INTERVAL": "0", "SYNDIC_PER_HOST_CONCURRENCY": "4", "SYNDIC_RESPECT_ROBOTS": "false",
           "SYNDIC_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "syndic.cli", "poll", "--inline"]

    def count(table: Any, *where: Any) -> int:
        with store.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0)

    victim = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while count(articles) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    done_before = count(entries, entries.c.extract_state == "done")
    assert 0 < done_before < FEEDS * PER_FEED, "the kill must land in the middle of the cycle"

    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert count(entries) == FEEDS * PER_FEED
    assert count(entries, entries.c.extract_state == "done") == FEEDS * PER_FEED
    assert count(articles) == FEEDS * PER_FEED
    with store.engine.connect() as connection:
        keys = connection.execute(select(entries.c.feed_id, entries.c.key)).all()
    assert len(set(keys)) == len(keys)
    store.close()


def test_kill_9_while_feeds_are_polled_leaves_each_feed_whole(local_site: Any, tmp_path: Path) -> None:
    """Feeds' writes share transactions (group commit): a kill leaves each feed all stored or not at all."""
    from syndic.store.feeds import add_feed
    from syndic.store.schema import feeds

    n_feeds = 48
    for f in range(n_feeds):
        items = "".join(f"<item><title>P{f}-{i}</title><guid>p{f}-{i}</guid></item>" for i in range(PER_FEED))
        local_site.serve_slowly(f"/slow/{f}.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>P{f}'
                                f"</title><link>http://x/</link>{items}</channel></rss>".encode(), 0.15,
                                content_type="application/rss+xml")
    url = f"sqlite:///{tmp_path / 'crash2.db'}"
    store = open_store(url)
    for f in range(n_feeds):
        add_feed(store, local_site.url(f"/slow/{f}.xml"))
    env = {**os.environ, "SYNDIC_DATABASE_URL": url, "SYNDIC_ALLOW_NETWORKS": "127.0.0.0/8",
           "SYNDIC_MIN_HOST_INTERVAL": "0", "SYNDIC_PER_HOST_CONCURRENCY": "4", "SYNDIC_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "syndic.cli", "poll", "--inline"]

    def polled() -> list[tuple[int, int]]:
        """(feed id, its entry count) for every feed whose poll was recorded."""
        with store.engine.connect() as connection:
            rows = connection.execute(
                select(feeds.c.id, func.count(entries.c.id))
                .select_from(feeds.outerjoin(entries, entries.c.feed_id == feeds.c.id))
                .where(feeds.c.state == "ok")
                .group_by(feeds.c.id)
            ).all()
        return [(int(r[0]), int(r[1])) for r in rows]

    victim = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(polled()) < 8 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    before = polled()
    assert 0 < len(before) < n_feeds, "the kill must land while feeds are being polled"
    assert all(count == PER_FEED for _, count in before), "a feed recorded as polled has all its entries"
    with store.engine.connect() as connection:
        orphans = connection.execute(
            select(func.count()).select_from(entries.join(feeds, feeds.c.id == entries.c.feed_id))
            .where(feeds.c.state != "ok")
        ).scalar()
    assert orphans == 0, "no entries without their feed's state"

    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    after = polled()
    assert len(after) == n_feeds and all(count == PER_FEED for _, count in after)
    store.close()
