"""The cluster's Celery tasks: each one a thin call into the library, inside the shared task boundary.

A worker (`syndic worker`, services/workers.py) imports this module, which
registers the tasks with the Celery app of `syndic.run.distributed`. A task
opens a `Syndic` over the cluster's shared store and its cluster-wide HTTP
client (politeness and robots.txt shared through the store), with
`database_errors_raise`: a database error is not the item's fault and goes to
the task's bounded retries (`run_bounded`) instead of the item's backoff.
"""

from __future__ import annotations

import asyncio
import logging

from celery import Task

from syndic.library import Syndic
from syndic.run.cluster_gate import cluster_fetcher
from syndic.run.distributed import app, broker_publisher, run_bounded, shared_store, task_settings
from syndic.run.schedule import CAMPAIGN_TASK, EXTRACT_TASK, POLL_TASK, enqueue_extractions

log = logging.getLogger("syndic.run")


async def _in_cluster_poll(feed_id: int, due: str | None) -> None:
    settings = task_settings()
    store = shared_store(settings)
    fetcher = cluster_fetcher(settings, store)
    try:
        await Syndic.over(store, settings, fetcher=fetcher, database_errors_raise=True).feeds.poll_slot(feed_id, due)
    finally:
        await fetcher.aclose()


async def _in_cluster_extract(entry_id: int) -> None:
    settings = task_settings()
    store = shared_store(settings)
    fetcher = cluster_fetcher(settings, store)
    try:
        await Syndic.over(store, settings, fetcher=fetcher, database_errors_raise=True).entries.extract_one(entry_id)
    finally:
        await fetcher.aclose()


@app.task(name=POLL_TASK, bind=True)  # type: ignore[untyped-decorator]
def poll_feed_task(self: Task, feed_id: int, due: str | None = None) -> int | None:
    """Poll one feed, then enqueue an extraction per pending entry of it (each entry once per attempt)."""

    def work() -> int:
        asyncio.run(_in_cluster_poll(feed_id, due))
        settings = task_settings()
        with broker_publisher(settings) as publish:
            return enqueue_extractions(shared_store(settings), settings, publish, feed_id=feed_id)

    return run_bounded(self, "poll", feed_id, work)


@app.task(name=EXTRACT_TASK, bind=True)  # type: ignore[untyped-decorator]
def extract_entry_task(self: Task, entry_id: int, attempt: str | None = None) -> None:
    """Fetch, extract, clean and dedupe one entry's page."""
    run_bounded(self, "extract", entry_id, lambda: asyncio.run(_in_cluster_extract(entry_id)))


def _in_cluster_campaign(campaign_id: int, due: str | None) -> None:
    settings = task_settings()
    # the slot is claimed in the store (schedule moved, run lease taken) before anything runs:
    # a task for a slot already run, or a campaign running elsewhere, does nothing
    report = Syndic.over(shared_store(settings), settings).campaigns.run_slot(campaign_id, due)
    if report is None:
        log.info(
            "campaign %s not run: not due for %s, or running elsewhere", campaign_id, due,
            extra={"campaign_id": campaign_id})


@app.task(name=CAMPAIGN_TASK, bind=True)  # type: ignore[untyped-decorator]
def run_campaign_task(self: Task, campaign_id: int, due: str | None = None) -> None:
    """Run one campaign (select, filter, render, deliver); skipped if already run for this due time."""
    run_bounded(self, "campaign", campaign_id, lambda: _in_cluster_campaign(campaign_id, due))
