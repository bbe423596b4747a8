"""Building a Runtime for one process: the store, the one HTTP client, a process pool.

Everything a command needs is opened here and closed on the way out, so the
CLI, the web app and tests set up the pipeline the same way.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import asynccontextmanager

from syndic.config import Settings
from syndic.net import Fetcher
from syndic.run.pipeline import Runtime, net_settings
from syndic.store import Store, open_store


def make_executor(settings: Settings, *, inline: bool = False) -> Executor | None:
    """A process pool sized to the machine, or None for inline (debuggable) runs."""
    if inline:
        return None
    workers = settings.extract_workers or (os.cpu_count() or 1)
    if workers <= 1:
        return None
    return ProcessPoolExecutor(max_workers=workers)


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, store: Store | None = None, inline: bool = False, fetcher: Fetcher | None = None
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
                 make_executor=lambda: make_executor(settings, inline=inline))
    try:
        yield rt
    finally:
        if own_fetcher:
            await active_fetcher.aclose()
        if rt.executor is not None:  # the pool in use now (a broken one was replaced)
            rt.executor.shutdown(wait=True, cancel_futures=True)
        if own_store:
            active_store.close()
