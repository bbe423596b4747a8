"""Prometheus metrics: request latency from the app, pipeline numbers from the store.

Each app has its own registry (two apps in one process do not collide). The
pipeline numbers (feeds by state, fetches and failures in the last hour,
fetch time, extraction and post queue depth, articles stored) are read from
the database when Prometheus scrapes, so they are right whichever process
(or Celery worker) did the work. Served at /metrics, behind login or an API
token like every page except /login and /healthz.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from syndic.library import Syndic


class StoreCollector(Collector):
    """The pipeline's numbers, read from the store (through the library) at each scrape."""

    def __init__(self, library: Syndic) -> None:
        self.library = library

    def collect(self) -> Iterator[GaugeMetricFamily]:
        since = datetime.now(UTC) - timedelta(hours=1)
        summary = self.library.feeds.pipeline_counts()
        fetches = self.library.feeds.fetch_stats(since)
        feeds = GaugeMetricFamily("syndic_feeds", "Feeds by polling state", labels=["state"])
        for key, value in summary.items():
            if key.startswith("feeds_"):
                feeds.add_metric([key.removeprefix("feeds_")], value)
        yield feeds
        yield GaugeMetricFamily(
            "syndic_extract_queue_depth", "Entries waiting for extraction", value=summary["extract_queue"]
        )
        yield GaugeMetricFamily("syndic_post_queue_depth", "Posts waiting for delivery", value=summary["post_queue"])
        yield GaugeMetricFamily("syndic_articles", "Articles extracted and stored", value=summary["articles"])
        total = GaugeMetricFamily("syndic_fetches_last_hour", "Fetches in the last hour", labels=["kind"])
        errors = GaugeMetricFamily("syndic_fetch_errors_last_hour", "Failed fetches in the last hour", labels=["kind"])
        latency = GaugeMetricFamily(
            "syndic_fetch_seconds_mean_last_hour", "Mean fetch time in the last hour", labels=["kind"]
        )
        for row in fetches:
            total.add_metric([row.kind], row.total)
            errors.add_metric([row.kind], row.errors)
            latency.add_metric([row.kind], row.elapsed_ms / 1000 / max(1, row.total))
        yield total
        yield errors
        yield latency


class AppMetrics:
    def __init__(self, library: Syndic) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "syndic_http_request_seconds",
            "Time to answer an HTTP request",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.registry.register(StoreCollector(library))

    def render(self) -> bytes:
        return generate_latest(self.registry)
