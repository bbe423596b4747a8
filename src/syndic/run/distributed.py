"""The Celery side of syndic, for when one machine is not enough: the app, its settings, the
scheduler's producer and the boundary every task runs in.

Workers share a PostgreSQL store and a broker (RabbitMQ or Redis). The tasks
(syndic.services.tasks) call the library as the single process does
(`Syndic.feeds.poll_slot`, `entries.extract_one`, `campaigns.run_slot`),
with the network limits made cluster-wide (run/cluster_gate.py).

    syndic worker            # a worker (SYNDIC_DATABASE_URL, SYNDIC_BROKER_URL)
    syndic beat              # enqueues due feeds, due campaigns, owed extractions
    syndic poll --distributed [--due]   # the same enqueue, once, from a shell or cron

What a task does when things go wrong:
- Delivery is at-least-once: a message is acknowledged only after its task
  finished (`acks_late`), and a worker that dies mid-task (kill -9, OOM)
  leaves it to the broker to deliver again (`reject_on_worker_lost`). That
  is safe because every write is idempotent: entries are upserts on
  (feed, key), articles are keyed by URL, a repeated revision is ignored,
  and a poll delivered for a due time already polled is skipped.
- A failure that belongs to the item (a feed that 404s, a page without an
  article, a stage that raises: a bug) is recorded on it by the stage's own
  boundary, in the states of syndic/retry.py, as in one process.
- A database error (the server down, a deadlock) is not the item's: it is
  raised to the task (`Runtime.database_errors_raise`) and retried with
  exponential backoff and jitter, at most `task_max_retries` times; then it
  is given up, and the reason is recorded on the feed or entry (the same
  states as in one process: `syndic feeds --health`, `syndic list`). If even
  that cannot be written, the scheduler's claim goes stale and the work is
  enqueued again later: nothing is dropped silently.
- A task still running after `task_soft_time_limit_s` is stopped and the
  timeout recorded on its item (an entry counts it as an attempt); after
  `task_time_limit_s` its process is killed and it is given up.
"""

from __future__ import annotations

import logging
import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from celery import Celery, Task, signals
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.engine import make_url

from syndic import feeds as feed_schedule
from syndic import retry
from syndic.config import Settings, load_settings
from syndic.errors import ConfigError, SyndicError
from syndic.run.pipeline import backoff_of
from syndic.run.schedule import (
    CAMPAIGN_TASK,
    EXTRACT_TASK,
    POLL_TASK,
    Enqueued,
    Publish,
    enqueue_due,
    enqueue_polls,
)
from syndic.store import Store, open_store
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds

log = logging.getLogger("syndic.run")
T = TypeVar("T")

SCHEDULE_QUEUE_SUFFIX = ".schedule"


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery's settings from syndic's (one place, so worker, beat and producers agree)."""
    return {
        "broker_url": settings.broker_url or None,
        "task_default_queue": settings.task_queue,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # a pool process that dies under a task (OOM, a crash in C) costs the task one of its retries,
        # so a message that kills every worker it reaches is given up instead of delivered forever
        "task_retry_on_worker_lost": True,
        "task_default_retry_delay": settings.task_retry_backoff_max_s,
        # a timeout or a final failure is recorded on the item first (see _record_give_up), then acked
        "task_acks_on_failure_or_timeout": True,
        "task_soft_time_limit": settings.task_soft_time_limit_s,
        "task_time_limit": settings.task_time_limit_s,
        "worker_prefetch_multiplier": 1,
        "task_serializer": "json",
        "accept_content": ["json"],
        "result_backend": None,
        "task_ignore_result": True,
        "broker_connection_retry_on_startup": True,
        # Redis: an unacknowledged message comes back after this, not after the default hour
        "broker_transport_options": {"visibility_timeout": settings.broker_visibility_timeout_s},
        # SIGTERM: stop taking work, give running tasks this long, then hand them back to the broker
        "worker_soft_shutdown_timeout": settings.worker_shutdown_timeout_s,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        # events feed `syndic monitor` (queued, running, retried, failed per stage); events and remote
        # control get exchanges of the cluster's own, so clusters sharing a broker do not hear each other
        "worker_send_task_events": True,
        "task_send_sent_event": True,
        "event_exchange": f"{settings.task_queue}.events",
        "control_exchange": f"{settings.task_queue}.control",
    }


def _import_settings() -> Settings:
    try:
        return load_settings()
    except SyndicError:  # a broken config file is reported by the command that uses it
        return Settings()


app = Celery("syndic")
app.conf.update(celery_config(_import_settings()))

_settings: Settings | None = None
_stores: dict[str, Store] = {}


def configure(settings: Settings) -> None:
    """Use these settings for the tasks of this process and for Celery itself."""
    global _settings
    _settings = settings
    previous = app.conf.broker_url
    app.conf.update(celery_config(settings))
    if app.conf.broker_url != previous:
        # Celery builds its connection and producer pools from the broker URL on first use, once
        app._pool = None
        app.amqp._producer_pool = None
    for name in _KINDS:  # registered where syndic.services.tasks is imported (a worker), not in beat
        if name in app.tasks:
            app.tasks[name].max_retries = settings.task_max_retries


def task_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def shared_store(settings: Settings) -> Store:
    """The store of this worker process (one connection pool, migrated on first use)."""
    url = require_database_url(settings)
    if url not in _stores:
        _stores[url] = open_store(url)
    return _stores[url]


@signals.worker_process_init.connect  # type: ignore[untyped-decorator]
def _fresh_after_fork(**_: Any) -> None:
    """A forked pool process must not share its parent's database connections."""
    for store in _stores.values():
        store.engine.dispose(close=False)
    _stores.clear()


def require_database_url(settings: Settings) -> str:
    """The explicit database URL every worker must share; never a silent local SQLite file."""
    if not settings.database_url:
        raise ConfigError(
            "no database: set SYNDIC_DATABASE_URL (or --database) to the PostgreSQL store all workers "
            "share; a worker never falls back to a local SQLite file"
        )
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        raise ConfigError(
            f"database {settings.database_url}: workers need a store they can share (PostgreSQL); "
            "SQLite is for running syndic in one process"
        )
    return settings.database_url


def require_broker_url(settings: Settings) -> str:
    if not settings.broker_url:
        raise ConfigError("no broker: set SYNDIC_BROKER_URL (amqp://… for RabbitMQ, redis://… for Redis)")
    return settings.broker_url


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def check_limits(settings: Settings) -> None:
    """Limits that contradict each other would deliver a running task twice (Redis) or never stop it."""
    if settings.task_time_limit_s <= settings.task_soft_time_limit_s:
        raise ConfigError(
            f"task_time_limit_s ({settings.task_time_limit_s}) must be longer than task_soft_time_limit_s "
            f"({settings.task_soft_time_limit_s}): the soft limit records the timeout, the hard one kills"
        )
    longest = max(settings.task_time_limit_s, settings.task_retry_backoff_max_s)
    if settings.broker_url.startswith(("redis", "rediss")) and settings.broker_visibility_timeout_s <= longest:
        raise ConfigError(
            f"broker_visibility_timeout_s ({settings.broker_visibility_timeout_s}) must be longer than "
            f"task_time_limit_s and task_retry_backoff_max_s ({longest:g}): Redis would deliver a task "
            "still running, or still waiting for its retry, a second time"
        )


def check_cluster(settings: Settings) -> None:
    """Refuse to start a worker, beat or producer that could not do its job, saying which part failed."""
    database = require_database_url(settings)
    broker = require_broker_url(settings)
    check_limits(settings)
    try:
        store = open_store(database)
    except SyndicError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"database {_safe_url(database)} unreachable: {first_line}") from None
    try:
        if not store.ping():
            raise ConfigError(f"database {_safe_url(database)} unreachable")
    finally:
        store.close()
    configure(settings)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=5)
    except Exception as exc:  # kombu raises the transport's own errors
        raise ConfigError(f"broker {_safe_url(broker)} unreachable: {exc}") from None


# --- publishing -----------------------------------------------------------------------------------------


@contextmanager
def broker_publisher(settings: Settings) -> Iterator[Publish]:
    """A `Publish` that sends over one broker connection for the whole batch."""
    with app.producer_or_acquire() as producer:

        def publish(name: str, args: list[Any]) -> None:
            app.send_task(name, args=args, queue=settings.task_queue, producer=producer)

        yield publish


def enqueue_poll(store: Store, *, due_only: bool = False, settings: Settings | None = None) -> int:
    """Put a poll task on the queue for every feed (every due feed) not already queued; return how many."""
    settings = settings or task_settings()
    configure(settings)
    with broker_publisher(settings) as publish:
        return enqueue_polls(store, settings, publish, due_only=due_only)


def schedule_once(store: Store, settings: Settings) -> Enqueued:
    """One scheduler tick over the broker (what `syndic beat` does every `schedule_interval_s`)."""
    with broker_publisher(settings) as publish:
        return enqueue_due(store, settings, publish)


# --- tasks --------------------------------------------------------------------------------------------


def retry_countdown(settings: Settings, retries: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter (syndic/retry.py): about base·2^retries, capped, half to all of it."""
    backoff = retry.Backoff(base=timedelta(seconds=settings.task_retry_backoff_s),
                            cap=timedelta(seconds=settings.task_retry_backoff_max_s))
    return backoff.delay(retries + 1, rng).total_seconds()


def run_bounded(task: Task, kind: str, target: int, work: Callable[[], T]) -> T | None:
    """Run a task's work; retry what raised (bounded), record a timeout on the item.

    The tasks themselves (syndic.services.tasks) are thin calls into the
    library; this is the boundary every one of them shares.
    """
    settings = task_settings()
    try:
        return work()
    except SoftTimeLimitExceeded:
        reason = f"stopped after {settings.task_soft_time_limit_s} s (task time limit)"
        _give_up(kind, target, reason, final=False)
        return None
    except Exception as exc:
        retries = int(task.request.retries or 0)
        if retries >= settings.task_max_retries:
            raise  # task_failure → _record_give_up
        countdown = retry_countdown(settings, retries)
        log.warning("%s %s failed (%s: %s); retry %d of %d in %.1f s", kind, target, type(exc).__name__, exc,
                    retries + 1, settings.task_max_retries, countdown,
                    extra={"kind": kind, "target": target, "error": str(exc)})
        raise task.retry(exc=exc, countdown=countdown, max_retries=settings.task_max_retries) from None


_KINDS = {POLL_TASK: "poll", EXTRACT_TASK: "extract", CAMPAIGN_TASK: "campaign"}


def _give_up(kind: str, target: int, reason: str, *, final: bool) -> None:
    """Record on the item why its task stopped, in the item's own states (as in one process)."""
    settings = task_settings()
    store = shared_store(settings)
    if kind == "extract":
        progress = store_entries.extract_progress(store, target)
        if progress is not None and progress[0] in retry.WAITING:  # not done, nor given up meanwhile
            decision = retry.after_failure(
                progress[1], max_attempts=settings.max_extract_attempts, retryable=not final,
                now=datetime.now(UTC), backoff=backoff_of(settings),
            )
            store_entries.record_extract_failure(store, target, reason, decision)
    elif kind == "poll":
        feed = store_feeds.get_feed(store, target)
        if feed is not None:
            errors = int(feed.error_count or 0) + 1
            now = datetime.now(UTC)
            store_feeds.record_feed_error(store, target, store_feeds.FeedPollResult(
                status=None, etag=feed.etag, last_modified=feed.last_modified,
                next_check_at=feed_schedule.next_check_at(
                    now, entry_times=[], min_interval=timedelta(seconds=settings.min_poll_interval_s),
                    max_interval=timedelta(seconds=settings.max_poll_interval_s), error_count=errors,
                ),
                error=reason,
            ))
    log.error("%s %s given up: %s", kind, target, reason, extra={"kind": kind, "target": target, "error": reason})


@signals.task_failure.connect  # type: ignore[untyped-decorator]
def _record_give_up(sender: Any = None, exception: BaseException | None = None, args: Any = None,
                    **_: Any) -> None:
    """A task that failed for good (retries spent, hard time limit, its worker lost too often)."""
    kind = _KINDS.get(getattr(sender, "name", ""))
    if kind is None or not args:
        return
    settings = task_settings()
    reason = (f"given up after {settings.task_max_retries} retries: "
              f"{type(exception).__name__}: {exception}")[:2000]
    try:
        _give_up(kind, int(args[0]), reason, final=True)
    except Exception as exc:  # the database may be what failed; the claim goes stale and it comes back
        log.error("%s %s given up, and the reason could not be recorded (%s): %s", kind, args[0], exc, reason)


# --- worker ---------------------------------------------------------------------------------------------


def default_worker_name() -> str:
    """Unique per process, so several workers on one host can share a broker (RabbitMQ's pidbox queue)."""
    return f"syndic-{os.getpid()}@%h"


def worker_argv(
    settings: Settings, *, name: str | None = None, concurrency: int | None = None, loglevel: str = "INFO",
    pool: str | None = None,
) -> list[str]:
    argv = [
        "worker", f"--loglevel={loglevel}", "--without-gossip", "--without-mingle", "--task-events",
        f"--hostname={name or default_worker_name()}", f"--queues={settings.task_queue}",
    ]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    if pool:
        argv.append(f"--pool={pool}")
    return argv


def start_worker(
    settings: Settings, *, name: str | None = None, concurrency: int | None = None, loglevel: str = "INFO",
    pool: str | None = None,
) -> None:
    """Check the store and the broker, then run a worker until it is told to stop (SIGTERM: warm shutdown)."""
    check_cluster(settings)
    app.worker_main(worker_argv(settings, name=name, concurrency=concurrency, loglevel=loglevel, pool=pool))


# --- scheduler ------------------------------------------------------------------------------------------


def run_beat(settings: Settings, *, stop: Callable[[], bool] = lambda: False,
             echo: Callable[[str], None] | None = None) -> None:
    """Enqueue due work every `schedule_interval_s` until `stop()` (SIGTERM/SIGINT from the CLI).

    No leader is elected, because none is needed: every enqueue is claimed
    in the store, so two beats (one per machine, for availability) enqueue
    each due feed once between them. A tick that fails (the database or the
    broker is down) is logged and the next tick tries again.
    """
    import time

    check_cluster(settings)
    store = shared_store(settings)
    while not stop():
        started = time.monotonic()
        try:
            done = schedule_once(store, settings)
            if done.total and echo is not None:
                echo(f"enqueued {done.feeds} feeds, {done.campaigns} campaigns, {done.extractions} extractions")
        except Exception as exc:
            log.error("scheduler tick failed: %s: %s", type(exc).__name__, exc, extra={"error": str(exc)})
        while not stop() and time.monotonic() - started < settings.schedule_interval_s:
            time.sleep(min(0.2, settings.schedule_interval_s))


# --- monitor --------------------------------------------------------------------------------------------


def run_monitor(settings: Settings, *, host: str, port: int) -> None:
    """Serve the cluster's task metrics at http://host:port/metrics until killed."""
    from prometheus_client import CollectorRegistry, start_http_server

    from syndic.run.task_metrics import QueueDepth, TaskMetrics, broker_queue_depth, listen

    broker = require_broker_url(settings)
    configure(settings)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=5)
    except Exception as exc:
        raise ConfigError(f"broker {_safe_url(broker)} unreachable: {exc}") from None
    registry = CollectorRegistry()
    metrics = TaskMetrics(registry)
    registry.register(QueueDepth(broker_queue_depth(app), [settings.task_queue]))
    start_http_server(port, addr=host, registry=registry)
    log.warning("task metrics on http://%s:%d/metrics", host, port)
    listen(app, metrics)
