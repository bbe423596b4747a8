"""Scheduled campaigns on the cluster: two beats, a worker and a `syndic serve` round racing for one slot.

The campaign is posted once per period: the beats queue its slot once (claims),
the worker runs it through the same slot claim as `syndic serve`, and a serve
round started at the same moment from this process finds the slot taken.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from cluster_helpers import cluster_env, start_workers, stop_all, wait_until
from sqlalchemy import insert, select

from syndic.publish import run_due, save_campaign
from syndic.store import Store, schema


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Hook.received.append({"key": self.headers.get("Idempotency-Key"), "body": json.loads(body)})
        answer = json.dumps({"id": f"r{len(_Hook.received)}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def _seed(store: Store, now: datetime) -> int:
    with store.engine.begin() as conn:
        feed = conn.execute(insert(schema.feeds).values(url="https://c.example/rss", title="C", created_at=now)
                            ).inserted_primary_key[0]
        for i in range(2):
            story = conn.execute(insert(schema.stories).values(title=f"s{i}", copy_count=1, created_at=now,
                                                               updated_at=now)).inserted_primary_key[0]
            art = conn.execute(insert(schema.articles).values(
                url=f"https://c.example/a{i}", title=f"Story {i}", html="<p>Text.</p>", text="Text.", authors=[],
                created_at=now, updated_at=now, story_id=story, word_count=1)).inserted_primary_key[0]
            conn.execute(schema.stories.update().where(schema.stories.c.id == story).values(original_article_id=art))
            conn.execute(insert(schema.entries).values(feed_id=feed, key=f"a{i}", link=f"https://c.example/a{i}",
                                                       first_seen_at=now, article_id=art, extract_state="done"))
    return int(feed)


def test_a_scheduled_campaign_runs_once_per_slot_across_beats_workers_and_serve(
    cluster: Any, cluster_store: Store, postgres_url: str, queue_name: str
) -> None:
    _Hook.received = []
    hook = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        now = datetime.now(UTC)
        feed = _seed(cluster_store, now)
        config = {"destination": {"type": "webhook", "url": f"http://127.0.0.1:{hook.server_address[1]}/in",
                                  "secret": "s" * 20, "timeout": 5},
                  "schedule": {"every_minutes": 60}}
        cid = save_campaign(cluster_store, "hourly", config, [feed], now=now - timedelta(minutes=1))
        env = cluster_env(postgres_url, queue_name, schedule_interval_s=0.3)
        workers = start_workers(cluster, env, 1)
        beats = [cluster(["beat"], env) for _ in range(2)]
        wait_until(lambda: len(_Hook.received) >= 2, 60, "the campaign was not posted:\n"
                   + "\n".join(p.output() for p in [*beats, *workers]))
        serve_rounds = []
        for _ in range(6):  # a `syndic serve` elsewhere, and many more beat ticks, inside the same period
            serve_rounds += run_due(cluster_store)
            time.sleep(0.5)
        stop_all(beats)
        stop_all(workers)
        worker_log = "\n".join(w.output() for w in workers)
    finally:
        hook.shutdown()
        hook.server_close()
    keys = [r["key"] for r in _Hook.received]
    assert len(keys) == 2 and len(set(keys)) == 2  # each story posted once
    with cluster_store.engine.connect() as conn:
        runs = conn.execute(select(schema.post_log.c.detail).where(
            schema.post_log.c.campaign_id == cid, schema.post_log.c.event == "run")).scalars().all()
        next_run = conn.execute(select(schema.campaigns.c.next_run_at)).scalar_one()
    assert len(runs) == 1, runs  # one run for the slot: the worker's
    assert serve_rounds == [] and "syndic.run_campaign" in worker_log
    assert now + timedelta(minutes=58) < next_run <= now + timedelta(minutes=60)
