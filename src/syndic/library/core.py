"""What every area of the library shares: the settings, the store, and how a network run is opened.

The areas (`feeds`, `entries`, `stories`, …) are small classes over one
`Core`, so a `Syndic` opened once serves the CLI's one command, the web
app's whole life, or a Python user's script the same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from syndic.config import Settings
from syndic.net import Fetcher
from syndic.run.local import open_runtime
from syndic.run.pipeline import Runtime
from syndic.store import Store


@dataclass
class Core:
    """The settings and the open store; `runtime()` adds the one HTTP client and the process pool."""

    settings: Settings
    store: Store
    fetcher: Fetcher | None = None
    """A client shared with the rest of the process (`syndic serve` hands its one client to the poller,
    the web actions and the Full-Text RSS endpoints, so one host's politeness holds across all of
    them); None: each runtime opens its own."""
    database_errors_raise: bool = False
    """In a Celery task: a database error is not the item's fault and goes to the task's retries
    (see `Runtime.database_errors_raise`) instead of being recorded on the item."""
    _active: Runtime | None = field(default=None, repr=False)

    @asynccontextmanager
    async def runtime(self, *, inline: bool = False) -> AsyncIterator[Runtime]:
        """The runtime in use (`Syndic.running()`), else one opened for this call and closed after it."""
        if self._active is not None:
            yield self._active
            return
        async with open_runtime(self.settings, store=self.store, inline=inline, fetcher=self.fetcher,
                                database_errors_raise=self.database_errors_raise) as rt:
            yield rt

    @asynccontextmanager
    async def running(self, *, inline: bool = False) -> AsyncIterator[Runtime]:
        """Keep one runtime open for every network call made inside (one client, one pool)."""
        async with open_runtime(self.settings, store=self.store, inline=inline, fetcher=self.fetcher,
                                database_errors_raise=self.database_errors_raise) as rt:
            previous, self._active = self._active, rt
            try:
                yield rt
            finally:
                self._active = previous
