"""The cluster's task events as Prometheus metrics (`syndic monitor`).

Workers send Celery task events (sent, started, succeeded, retried, failed)
on the cluster's own event exchange; one monitor process listens to them and
serves, per stage (poll, extract, campaign):

    syndic_tasks_queued_total{stage}      tasks put on the queue
    syndic_tasks_started_total{stage}     tasks a worker began
    syndic_tasks_succeeded_total{stage}
    syndic_tasks_retried_total{stage}     a failure that will be tried again (database down, …)
    syndic_tasks_failed_total{stage}      given up (recorded on the feed or entry)
    syndic_tasks_running{stage}           started and not yet finished
    syndic_queue_messages{queue}          waiting on the broker now (read at each scrape)

Events are lossy by design (a monitor that was down missed them), so the
counters say what this monitor saw; the item states in the store remain the
record (`syndic feeds --health`, `syndic list`).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger("syndic.run")

STAGES = {"syndic.poll_feed": "poll", "syndic.extract_entry": "extract", "syndic.run_campaign": "campaign"}
_REMEMBERED = 100_000  # task ids whose stage we keep (events after task-sent carry only the id)


class TaskMetrics:
    """Counts task events per stage into a registry; feed it with `on_event`."""

    def __init__(self, registry: CollectorRegistry) -> None:
        def counter(name: str, doc: str) -> Counter:
            return Counter(f"syndic_tasks_{name}", doc, ["stage"], registry=registry)

        self.queued = counter("queued", "Tasks put on the queue.")
        self.started = counter("started", "Tasks a worker began.")
        self.succeeded = counter("succeeded", "Tasks that finished.")
        self.retried = counter("retried", "Task failures that will be retried.")
        self.failed = counter("failed", "Tasks given up.")
        self.running = Gauge("syndic_tasks_running", "Tasks started and not finished.", ["stage"],
                             registry=registry)
        self._stage: OrderedDict[str, str] = OrderedDict()
        self._running: dict[str, str] = {}
        for stage in STAGES.values():
            for metric in (self.queued, self.started, self.succeeded, self.retried, self.failed, self.running):
                metric.labels(stage)  # every series exists from the start, at 0

    def _remember(self, uuid: str, name: str | None) -> str | None:
        stage = STAGES.get(name or "")
        if stage is not None:
            self._stage[uuid] = stage
            self._stage.move_to_end(uuid)
            while len(self._stage) > _REMEMBERED:
                self._stage.popitem(last=False)
            return stage
        return self._stage.get(uuid)

    def _finish(self, uuid: str) -> None:
        stage = self._running.pop(uuid, None)
        if stage is not None:
            self.running.labels(stage).dec()

    def on_event(self, event: dict[str, Any]) -> None:
        kind = str(event.get("type", ""))
        uuid = str(event.get("uuid", ""))
        if not kind.startswith("task-") or not uuid:
            return
        stage = self._remember(uuid, event.get("name"))
        if stage is None:
            return  # not one of ours
        if kind == "task-sent":
            self.queued.labels(stage).inc()
        elif kind == "task-started":
            self.started.labels(stage).inc()
            if uuid not in self._running:
                self._running[uuid] = stage
                self.running.labels(stage).inc()
        elif kind == "task-succeeded":
            self.succeeded.labels(stage).inc()
            self._finish(uuid)
        elif kind == "task-retried":
            self.retried.labels(stage).inc()
            self._finish(uuid)
        elif kind == "task-failed":
            self.failed.labels(stage).inc()
            self._finish(uuid)


class QueueDepth(Collector):
    """Messages waiting in the cluster's queues, asked of the broker at each scrape."""

    def __init__(self, depth: Callable[[str], int | None], queues: list[str]) -> None:
        self._depth = depth
        self._queues = queues

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("syndic_queue_messages", "Messages waiting on the broker.", labels=["queue"])
        for queue in self._queues:
            count = self._depth(queue)
            if count is not None:
                family.add_metric([queue], count)
        yield family


def broker_queue_depth(app: Any) -> Callable[[str], int | None]:
    def depth(queue: str) -> int | None:
        try:
            with app.connection_for_read() as connection:
                return int(connection.default_channel.queue_declare(queue, passive=True).message_count)
        except Exception as exc:  # no such queue yet, or the broker is away: no sample
            log.debug("queue depth of %s unavailable: %s", queue, exc)
            return None

    return depth


def listen(app: Any, metrics: TaskMetrics) -> None:
    """Receive the cluster's task events for ever; reconnect when the broker goes away."""
    while True:
        try:
            with app.connection() as connection:
                receiver = app.events.Receiver(connection, handlers={"*": metrics.on_event})
                receiver.capture(limit=None, timeout=None, wakeup=False)
        except Exception as exc:
            log.warning("event stream lost (%s: %s); reconnecting", type(exc).__name__, exc)
            time.sleep(2)
