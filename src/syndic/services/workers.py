"""The cluster's processes: `syndic worker`, `syndic beat`, `syndic monitor`, and the producer
behind `syndic poll --distributed`.

Thin wrappers over `syndic.run.distributed` (Celery): they are processes a
user starts, like `syndic serve`, so they live beside it above the library,
and the CLI starts them without knowing Celery is underneath. Each checks
the shared store and the broker first and refuses, saying which one failed,
rather than start a process that could not do its job.
"""

from __future__ import annotations

from collections.abc import Callable

from syndic.config import Settings
from syndic.library import Syndic
from syndic.run import distributed
from syndic.services import tasks  # noqa: F401  (importing it registers the tasks with the Celery app)


def start_worker(
    settings: Settings, *, name: str | None = None, concurrency: int | None = None, loglevel: str = "INFO",
    pool: str | None = None,
) -> None:
    """Run a Celery worker (polls, extractions, campaigns from the queue) until it is told to stop.

    `name` is the node name (default: unique per process), `concurrency` the
    task processes (default: one per core), `pool` Celery's execution pool.
    SIGTERM finishes the running tasks and returns (Celery's warm shutdown).
    """
    distributed.start_worker(settings, name=name, concurrency=concurrency, loglevel=loglevel, pool=pool)


def run_beat(settings: Settings, *, stop: Callable[[], bool] = lambda: False,
             echo: Callable[[str], None] | None = None) -> None:
    """Enqueue due feeds, campaigns and extractions every `schedule_interval_s` until `stop()` says so.

    `echo` gets one line per tick that enqueued something. Every enqueue is
    claimed in the store first, so several beats never queue a thing twice.
    """
    distributed.run_beat(settings, stop=stop, echo=echo)


def run_monitor(settings: Settings, *, host: str, port: int) -> None:
    """Serve the cluster's task events as Prometheus metrics at http://host:port/metrics until killed."""
    distributed.run_monitor(settings, host=host, port=port)


def enqueue_poll(settings: Settings, *, due_only: bool = False) -> int:
    """Queue a poll of every feed (only the due ones with `due_only`) for the workers; how many were queued.

    The cluster is checked before any store is opened: without an explicit,
    shared database (never a local SQLite file) or a reachable broker this
    raises `ConfigError` naming which. A feed already queued for its due time
    is not queued again.
    """
    distributed.check_cluster(settings)
    with Syndic(settings) as syndic:
        return syndic.feeds.enqueue_poll(due_only=due_only)
