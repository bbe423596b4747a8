"""Entries as polled: list and filter them, their extraction state, retry the failed ones, extract what is owed.

An entry is one item of a feed. Its article is extracted after the poll
that found it; the extraction state says how that went: pending (not tried
yet), done, failed (tried again after a backoff) or given_up (attempts
spent, or an error trying again cannot fix), with the last reason.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from syndic.library.core import Core
from syndic.run import pipeline
from syndic.run.pipeline import ExtractOutcome, Progress
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.entries import ListedEntry

EntryRow = ListedEntry
"""An entry as listed (store.entries.ListedEntry): id, title, link, published, first_seen_at,
extract_state, extract_error, extract_attempts, extract_next_at, article_id, feed_title,
feed_url, story_id and word_count."""

EXTRACT_STATES = ("pending", "done", "failed", "given_up")
"""The extraction states an entry can be in, for `list(states=…)`."""

__all__ = ["EXTRACT_STATES", "Entries", "EntryRow", "ExtractOutcome"]


class Entries:
    """Entries as polled: list and filter them, their extraction state, retry the failed ones, extract what is owed."""

    def __init__(self, core: Core) -> None:
        self._core = core

    async def extract_one(self, entry_id: int) -> ExtractOutcome | None:
        """Fetch, extract, clean and dedupe one entry's page in this process (what a cluster worker does).

        None when the entry is not owed an article any more (done by an
        earlier delivery of the same task, or given up).
        """
        settings = self._core.settings
        rows = store_entries.pending_entries(self._core.store, max_attempts=settings.max_extract_attempts,
                                             entry_id=entry_id)
        if not rows:
            return None
        async with self._core.runtime(inline=True) as rt:
            return await pipeline.extract_entry(rt, rows[0])

    def list(
        self,
        *,
        feed_id: int | None = None,
        unread: bool = False,
        starred: bool = False,
        states: Sequence[str] | None = None,
        user_id: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[EntryRow]:
        """Entries newest first (by published date, else first seen), with their feed and extraction state.

        `feed_id` keeps one feed's, `states` those in these extraction states
        (`EXTRACT_STATES`). Read and starred state is per user: `unread` and
        `starred` need `user_id` (ValueError without it).
        """
        return store_entries.list_entries(
            self._core.store, feed_id=feed_id, unread=unread, starred=starred, states=states,
            limit=limit, offset=offset, user_id=user_id,
        )

    def has_feeds(self) -> bool:
        """Whether there is any subscription: an empty list of entries then means "nothing polled yet"
        or "nothing matches", rather than "nothing subscribed"."""
        return bool(store_feeds.list_feeds(self._core.store))

    def retry(self, entry_ids: Sequence[int] | None = None, *, feed_id: int | None = None) -> int:
        """Put failed and given-up entries back in the queue (all, these ids, or one feed's); how many.

        Their attempts start again from zero; the next poll (or the workers)
        tries them. For after the cause was fixed: a site back up, a rule added.
        """
        return store_entries.requeue(self._core.store, entry_ids=entry_ids, feed_id=feed_id)

    def pending_count(self) -> int:
        """How many entries are owed an extraction now (pending, or failed with their next try come)."""
        return store_entries.pending_count(self._core.store, max_attempts=self._core.settings.max_extract_attempts)

    async def extract_pending(self, *, progress: Progress | None = None) -> builtins.list[ExtractOutcome]:
        """Extract every entry owed an article (what a poll does after the feeds) and group it into a story.

        `progress` is called with 1 as each page is done. A failure is
        recorded on its entry (tried again after a backoff) and never stops
        the rest.
        """
        async with self._core.runtime() as rt:
            return await pipeline.extract_pending(rt, progress=progress)
