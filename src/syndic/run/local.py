"""Building a Runtime for one process: the store, the one HTTP client, a process pool.

Everything a command needs is opened here and closed on the way out, so the
CLI, the web app and tests set up the pipeline the same way.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import asynccontextmanager

from syndic.config import Settings
from syndic.net import Fetcher
from syndic.run.pipeline import Runtime, net_settings
from syndic.store import Store, open_store

log = logging.getLogger("syndic.run")

_PR_SET_PDEATHSIG = 1


def _pool_worker_init() -> None:
    """In each pool process: never outlive the parent, and leave Ctrl-C to the parent.

    The kernel kills the worker when the process that started it dies, even
    by SIGKILL, so no worker keeps running (or keeps the parent's listening
    socket open) after `syndic serve` or `syndic poll` is gone. Ctrl-C reaches
    the whole process group; the parent decides, workers do not print
    tracebacks of their own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (a forked copy of uvicorn's ignores it)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


def make_executor(settings: Settings, *, inline: bool = False) -> Executor | None:
    """A process pool sized to the machine, or None for inline (debuggable) runs."""
    if inline:
        return None
    workers = settings.extract_workers or (os.cpu_count() or 1)
    if workers <= 1:
        return None
    return ProcessPoolExecutor(max_workers=workers, initializer=_pool_worker_init)


def stop_executor(executor: Executor, *, interrupted: bool) -> None:
    """Shut a pool down: waiting for running work normally, at once when interrupted (SIGTERM, Ctrl-C).

    Interrupted, the pages being extracted are dropped (their entries stay
    owed and are extracted next time; nothing was written for them), so a
    stop takes a moment, not as long as the slowest page.
    """
    if not interrupted:
        executor.shutdown(wait=True, cancel_futures=True)
        return
    pool = getattr(executor, "_processes", None)  # ProcessPoolExecutor's own; no public way to stop one
    processes = list(pool.values()) if isinstance(pool, dict) else []
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(2)


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, store: Store | None = None, inline: bool = False, fetcher: Fetcher | None = None,
    database_errors_raise: bool = False,
) -> AsyncIterator[Runtime]:
    """Open the store, the fetcher (each unless given) and the executor; close what was opened here.

    A given `fetcher` is shared with other users of the same loop (`syndic
    serve` hands its one client to the poller and the Full-Text RSS
    endpoints, so one host's politeness limits hold across both); it stays
    open for them."""
    own_store = store is None
    active_store = store or open_store(settings.resolved_database_url())
    executor = make_executor(settings, inline=inline)
    own_fetcher = fetcher is None
    active_fetcher = fetcher or Fetcher(net_settings(settings))
    rt = Runtime(settings=settings, store=active_store, fetcher=active_fetcher, executor=executor,
                 make_executor=lambda: make_executor(settings, inline=inline),
                 database_errors_raise=database_errors_raise)
    interrupted = True
    try:
        yield rt
        interrupted = False
    finally:
        if rt.executor is not None:  # the pool in use now (a broken one was replaced)
            stop_executor(rt.executor, interrupted=interrupted)
        if own_fetcher:
            with contextlib.suppress(Exception):
                await active_fetcher.aclose()
        if own_store:
            active_store.close()
