"""syndic as a library: `syndic.open()` returns a `Syndic`, and everything the CLI, the web app
and the workers do goes through it.

    import syndic

    with syndic.open(database_url="sqlite:///news.db") as s:
        feed_id = asyncio.run(s.feeds.subscribe("https://example.org/"))
        asyncio.run(s.feeds.poll())
        for story in s.stories.latest(limit=10):
            print(story.title)

Methods that touch the network (subscribe, poll, extract) are coroutines;
the rest read or write the store and return at once. Each area of the
library is an attribute of `Syndic` (`feeds`, `entries`, `stories`,
`streams`, `accounts`, `campaigns`, `documents`, `extraction`); their docstrings are
the library's documentation. The processes built on it (`syndic serve`,
`syndic demo`) are in `syndic.services`.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from types import TracebackType

from syndic.clean.sanitize import http_url, sanitize_html
from syndic.config import Settings, load_settings
from syndic.library.accounts import Accounts
from syndic.library.campaigns import Campaigns
from syndic.library.core import Core
from syndic.library.documents import Documents
from syndic.library.entries import Entries
from syndic.library.extraction import Extraction
from syndic.library.feeds import Feeds
from syndic.library.reading import Reading
from syndic.library.stories import Stories
from syndic.library.streams import Streams
from syndic.net import Fetcher
from syndic.run.pipeline import Runtime
from syndic.store import Store, open_store


class Syndic:
    """One syndic over one store: open it with `syndic.open()`, close it (or use `with`) when done."""

    def __init__(
        self, settings: Settings, *, store: Store | None = None, fetcher: Fetcher | None = None,
        database_errors_raise: bool = False,
    ) -> None:
        self.settings = settings
        self._owns_store = store is None
        self._core = Core(settings=settings, store=store or open_store(settings.resolved_database_url()),
                          fetcher=fetcher, database_errors_raise=database_errors_raise)
        self.feeds = Feeds(self._core)
        self.entries = Entries(self._core)
        self.stories = Stories(self._core)
        self.reading = Reading(self._core)
        self.streams = Streams(self._core)
        self.accounts = Accounts(self._core)
        self.campaigns = Campaigns(self._core)
        self.documents = Documents(self._core)
        self.extraction = Extraction(self._core)

    @classmethod
    def over(
        cls, store: object, settings: Settings | None = None, *, fetcher: Fetcher | None = None,
        database_errors_raise: bool = False,
    ) -> Syndic:
        """A Syndic over a store opened elsewhere (a test's, the server's); closing it leaves the store open.

        `fetcher`, when given, is the process's one HTTP client, used (and
        left open) by every network call instead of a client of their own.
        `database_errors_raise` is for a Celery task: a database error passes
        the item's boundary for the task's own bounded retries.

        `store` is a `syndic.store.Store`; it is typed `object` so the web app
        and tests can hand one over without importing the store package.
        """
        if not isinstance(store, Store):
            raise TypeError(f"Syndic.over needs a syndic.store.Store, not {type(store).__name__}")
        return cls(settings or load_settings(), store=store, fetcher=fetcher,
                   database_errors_raise=database_errors_raise)

    @property
    def store(self) -> Store:
        """The open store (for code inside syndic that has not moved onto the areas yet)."""
        return self._core.store

    @property
    def store_url(self) -> str:
        """Where the data lives (the database URL, password hidden)."""
        return self._core.store.engine.url.render_as_string(hide_password=True)

    def running(self, *, inline: bool = False) -> AbstractAsyncContextManager[Runtime]:
        """Share one HTTP client and one process pool across the network calls made inside.

        Without it each coroutine (poll, subscribe, extract) opens its own and
        closes it when it returns.
        """
        return self._core.running(inline=inline)

    def ping(self) -> bool:
        """Whether the database answers (a health check: False, never an exception, when it does not)."""
        return self._core.store.ping()

    def close(self) -> None:
        """Close the store (its connections), unless it was handed over (`Syndic.over`)."""
        if self._owns_store:
            self._core.store.close()

    def __enter__(self) -> Syndic:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open(settings: Settings | None = None, *, database_url: str | None = None) -> Syndic:
    """Open syndic: `settings` (default: `load_settings()`, the environment and syndic.toml),
    with `database_url` overriding where the data lives. The store is migrated on open."""
    settings = settings or load_settings()
    if database_url:
        settings = replace(settings, database_url=database_url)
    return Syndic(settings)


# Output safety for whoever renders what the library returns (the web app, a Python user's own
# pages): article HTML through the one allow-list sanitizer, links only when http(s).
__all__ = ["Syndic", "http_url", "open", "sanitize_html"]

