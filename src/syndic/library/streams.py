"""Item streams for reading apps: what the Google Reader and Fever APIs serve, as Python calls.

    from syndic.library.streams import Stream, StreamQuery

    with syndic.open() as s:
        page = s.streams.contents(me, StreamQuery(Stream("unread")), count=20)
        for item in page.items:
            print(item.title, item.url)
        s.streams.edit_items(me, [i.id for i in page.items], read=True, add_labels=["later"])
        if page.continuation:
            more = s.streams.contents(me, StreamQuery(Stream("unread")), count=20, after=page.continuation)

An item is an entry shown once per story (the copies a story gathered are
left out), with its sanitized content and the story's original address.
A stream is everything, a feed, a folder, a label or a state
(`Stream`); a `StreamQuery` narrows one by other streams and by crawl time
(when syndic first saw the entry — what an app syncing since its last visit
needs). Lists are keyset-paginated on the item id: a continuation is the
last id shown. Feeds are shared by every account; read, starred and labels
are each user's own, so every method that reads or writes them names the
user. The rows are frozen dataclasses from `syndic.store.streams`,
re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from syndic.library.core import Core
from syndic.store import feeds as store_feeds
from syndic.store import reading, streams
from syndic.store.streams import (
    MAX_LABEL_LENGTH,
    FeedUnread,
    Group,
    Item,
    LabelUnread,
    Stream,
    StreamKind,
    StreamQuery,
    Subscription,
    folder_id,
)
from syndic.types import Enclosure

__all__ = [
    "EVERYTHING",
    "MAX_LABEL_LENGTH",
    "Enclosure",
    "FeedUnread",
    "Group",
    "Item",
    "ItemPage",
    "LabelUnread",
    "Stream",
    "StreamKind",
    "StreamPage",
    "StreamQuery",
    "Streams",
    "Subscription",
    "folder_id",
]


EVERYTHING = StreamQuery()
"""Every item (the default query): `Stream("all")`, unfiltered."""


@dataclass(frozen=True)
class StreamPage:
    """Item ids of one page, and the continuation to pass as `after` for the next (None at the end)."""

    ids: tuple[int, ...]
    continuation: int | None


@dataclass(frozen=True)
class ItemPage:
    """The items of one page, and the continuation to pass as `after` for the next (None at the end)."""

    items: tuple[Item, ...]
    continuation: int | None


class Streams:
    """Item streams, subscriptions, unread counts, read/starred state and labels, as reading apps use them."""

    def __init__(self, core: Core) -> None:
        self._core = core

    # --- subscriptions ------------------------------------------------------------

    def subscriptions(self) -> list[Subscription]:
        """Every feed (title, address, site, folder), by title."""
        with self._core.store.engine.connect() as conn:
            return streams.subscriptions(conn)

    def subscription(self, feed_id: int) -> Subscription | None:
        """One feed, or None when there is no such feed."""
        with self._core.store.engine.connect() as conn:
            return streams.subscription(conn, feed_id)

    def feed_by_url(self, url: str) -> int | None:
        """The id of the feed subscribed at exactly `url`, else None."""
        with self._core.store.engine.connect() as conn:
            return streams.feed_by_url(conn, url)

    def folders(self) -> dict[int, str | None]:
        """Each feed's folder (None for a feed in none), by feed id."""
        return {s.feed_id: s.folder for s in self.subscriptions()}

    def groups(self) -> list[Group]:
        """The folders that hold feeds, numbered (`folder_id`) as Fever numbers its groups, by name."""
        members: dict[str, list[int]] = {}
        for sub in self.subscriptions():
            if sub.folder:
                members.setdefault(sub.folder, []).append(sub.feed_id)
        return [Group(folder_id(name), name, tuple(sorted(ids))) for name, ids in sorted(members.items())]

    def edit_subscription(
        self, feed_id: int, *, title: str | None = None, folder: str | None = None, leave: Sequence[str] = ()
    ) -> None:
        """Retitle a feed, move it to `folder`, or take it out of its folder when that is one of `leave`.

        A feed is in one folder (its OPML category), so moving it replaces
        the old one. Feeds are shared: callers let only an admin do this.
        """
        with self._core.store.engine.begin() as conn:
            streams.edit_subscription(conn, feed_id, title=title, folder=folder, leave=leave)

    def unsubscribe(self, feed_id: int) -> bool:
        """Remove a feed and its entries (for every account); False when there was no such feed."""
        with self._core.store.engine.begin() as conn:
            return store_feeds.delete_feed(conn, feed_id)

    def last_refreshed(self) -> datetime | None:
        """When a feed last polled well (the newest of all feeds), None before any did."""
        with self._core.store.engine.connect() as conn:
            return streams.last_refreshed(conn)

    # --- items --------------------------------------------------------------------

    def item_ids(
        self,
        user_id: int,
        query: StreamQuery = EVERYTHING,
        *,
        limit: int,
        after: int | None = None,
        oldest_first: bool = False,
    ) -> list[int]:
        """Up to `limit` ids of the query's items, newest first (or oldest), past the id `after`."""
        with self._core.store.engine.connect() as conn:
            return streams.item_ids(conn, user_id, query, limit=limit, after=after, oldest_first=oldest_first)

    def page(
        self, user_id: int, query: StreamQuery, *, count: int, after: int | None = None, oldest_first: bool = False
    ) -> StreamPage:
        """One page of `count` item ids past `after`, with the continuation when more follow."""
        ids = self.item_ids(user_id, query, limit=count + 1, after=after, oldest_first=oldest_first)
        return StreamPage(tuple(ids[:count]), ids[count - 1] if len(ids) > count else None)

    def contents(
        self, user_id: int, query: StreamQuery, *, count: int, after: int | None = None, oldest_first: bool = False
    ) -> ItemPage:
        """One page of `count` items past `after` (see `page`), as `user_id` sees them."""
        with self._core.store.engine.connect() as conn:
            ids = streams.item_ids(conn, user_id, query, limit=count + 1, after=after, oldest_first=oldest_first)
            items = streams.load_items(conn, user_id, ids[:count])
        return ItemPage(tuple(items), ids[count - 1] if len(ids) > count else None)

    def items(self, user_id: int, ids: Sequence[int]) -> list[Item]:
        """The items with these ids as `user_id` sees them, in the order given; unknown ids are left out."""
        with self._core.store.engine.connect() as conn:
            return streams.load_items(conn, user_id, ids)

    def existing(self, ids: Iterable[int]) -> list[int]:
        """The ids among `ids` that name items (entries), ascending."""
        with self._core.store.engine.connect() as conn:
            return streams.existing_item_ids(conn, ids)

    def count(self) -> int:
        """How many items there are (entries, one per story)."""
        with self._core.store.engine.connect() as conn:
            return streams.count_items(conn)

    def unread_counts(self, user_id: int) -> list[FeedUnread]:
        """Every feed with items `user_id` has not read: how many, and the newest one's crawl time."""
        with self._core.store.engine.connect() as conn:
            return streams.unread_counts(conn, user_id)

    def label_unread_counts(self, user_id: int) -> list[LabelUnread]:
        """How many unread items `user_id` put each of their labels on (labels with none are absent)."""
        with self._core.store.engine.connect() as conn:
            return streams.label_unread_counts(conn, user_id)

    # --- state and labels ----------------------------------------------------------

    def edit_items(
        self,
        user_id: int,
        ids: Iterable[int],
        *,
        read: bool | None = None,
        starred: bool | None = None,
        add_labels: Sequence[str] = (),
        remove_labels: Sequence[str] = (),
    ) -> list[int]:
        """Change flags and labels of items for `user_id` in one transaction; the ids that exist (the ones changed).

        Ids of items that do not exist are ignored; when none exists nothing changes.
        """
        with self._core.store.engine.begin() as conn:
            known = streams.existing_item_ids(conn, ids)
            if known:
                reading.set_entries_state(conn, user_id, known, read=read, starred=starred)
                streams.add_labels(conn, user_id, known, add_labels)
                streams.remove_labels(conn, user_id, known, remove_labels)
            return known

    def mark_read(self, user_id: int, query: StreamQuery = EVERYTHING) -> int:
        """Mark every unread item of `query` read for `user_id`; how many changed."""
        with self._core.store.engine.begin() as conn:
            return streams.mark_read(conn, user_id, query)

    def labels(self, user_id: int) -> list[str]:
        """The labels `user_id` has put on items, sorted."""
        with self._core.store.engine.connect() as conn:
            return streams.user_labels(conn, user_id)

    def rename_label(self, user_id: int, old: str, new: str, *, folders: bool = False) -> None:
        """Rename a user's label; with `folders` (an admin: feeds are shared) the folder of that name too."""
        with self._core.store.engine.begin() as conn:
            streams.rename_label(conn, user_id, old, new, folders=folders)

    def remove_label(self, user_id: int, label: str, *, folders: bool = False) -> None:
        """Take a label off all of a user's items; with `folders` (an admin) empty the folder of that name too."""
        with self._core.store.engine.begin() as conn:
            streams.disable_label(conn, user_id, label, folders=folders)
