"""Worker events become per-stage Prometheus metrics (`syndic monitor`), including the failures.

The cluster test (cluster/test_database_down.py) reads the metrics of a real
monitor watching real workers; this one walks each kind of Celery task event
through the counters, so a task given up, one retried after it started, an
event of another application and an event that arrives after its task was
forgotten are each counted as an operator would expect.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from syndic.run.task_metrics import QueueDepth, TaskMetrics


def series(registry: CollectorRegistry) -> dict[str, float]:
    text = generate_latest(registry).decode()
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
            for line in text.splitlines() if line.startswith("syndic_") and "_created" not in line}


def event(kind: str, uuid: str, name: str | None = None) -> dict[str, object]:
    found: dict[str, object] = {"type": f"task-{kind}", "uuid": uuid}
    if name is not None:
        found["name"] = name
    return found


def test_each_stage_counts_queued_running_retried_failed_and_succeeded() -> None:
    registry = CollectorRegistry()
    metrics = TaskMetrics(registry)
    for e in [
        event("sent", "p1", "syndic.poll_feed"), event("started", "p1"), event("succeeded", "p1"),
        event("sent", "x1", "syndic.extract_entry"), event("started", "x1"), event("retried", "x1"),
        event("started", "x1"), event("failed", "x1"),  # the retry of x1 ran and was given up
        event("sent", "x2", "syndic.extract_entry"), event("started", "x2"),  # still running
        event("sent", "c1", "syndic.run_campaign"),  # still queued
        event("sent", "o1", "other.app.task"), event("started", "o1"), event("failed", "o1"),  # not ours
        event("failed", "unknown"),  # its task-sent was before this monitor started: no stage, not counted
        {"type": "worker-heartbeat"},
    ]:
        metrics.on_event(e)
    got = series(registry)
    expected = {
        ("queued", "poll"): 1, ("started", "poll"): 1, ("succeeded", "poll"): 1, ("retried", "poll"): 0,
        ("failed", "poll"): 0,
        ("queued", "extract"): 2, ("started", "extract"): 3, ("succeeded", "extract"): 0,
        ("retried", "extract"): 1, ("failed", "extract"): 1,
        ("queued", "campaign"): 1, ("started", "campaign"): 0, ("failed", "campaign"): 0,
    }
    for (what, stage), value in expected.items():
        assert got[f'syndic_tasks_{what}_total{{stage="{stage}"}}'] == value, (what, stage)
    assert got['syndic_tasks_running{stage="extract"}'] == 1  # x2 only: x1 finished (failed)
    assert got['syndic_tasks_running{stage="poll"}'] == 0
    assert got['syndic_tasks_running{stage="campaign"}'] == 0


def test_a_worker_started_event_delivered_twice_is_one_running_task() -> None:
    registry = CollectorRegistry()
    metrics = TaskMetrics(registry)
    for e in [event("sent", "p1", "syndic.poll_feed"), event("started", "p1"), event("started", "p1")]:
        metrics.on_event(e)
    assert series(registry)['syndic_tasks_running{stage="poll"}'] == 1
    metrics.on_event(event("succeeded", "p1"))
    assert series(registry)['syndic_tasks_running{stage="poll"}'] == 0


def test_queue_depth_is_read_at_each_scrape_and_left_out_when_the_broker_cannot_say() -> None:
    depths: dict[str, int | None] = {"syndic": 7, "other": None}
    registry = CollectorRegistry()
    registry.register(QueueDepth(depths.get, ["syndic", "other"]))
    assert series(registry)['syndic_queue_messages{queue="syndic"}'] == 7
    assert not any("other" in name for name in series(registry))
    depths["syndic"] = 0
    assert series(registry)['syndic_queue_messages{queue="syndic"}'] == 0
