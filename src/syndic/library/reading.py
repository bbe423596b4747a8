"""What a reader sees and does: the reader's views and counts, read and starred state, folders and labels.

    with syndic.open() as s:
        page = s.reading.entries(EntryFilter(view="unread", user_id=me, one_per_story=True), limit=20)
        for entry in page.entries:
            print(entry.title, entry.feed_title)
        s.reading.mark_read(me, page.entries[0].id)
        more = s.reading.entries(EntryFilter(view="unread", user_id=me), after=page.next_cursor)

Feeds and entries are shared by every account; read and starred are each
user's own, so every method that reads or writes them names the user. Lists
are keyset-paginated: `entries` hands back an opaque `next_cursor` to pass
as `after` (page 2,000 costs what page 1 costs). The rows are frozen
dataclasses from `syndic.store.views`, re-exported here.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from syndic.library.core import Core
from syndic.store import reading as store_reading
from syndic.store import views
from syndic.store.reading import EntryState
from syndic.store.views import (
    VIEWS,
    BylineProblem,
    Cursor,
    EntryDetail,
    EntryFilter,
    EntryRow,
    Positioned,
    ReaderFeed,
    StoryCopy,
    View,
)
from syndic.types import StoredArticle, Story

__all__ = [
    "VIEWS",
    "ArticleDetail",
    "BylineProblem",
    "Cursor",
    "EntryDetail",
    "EntryFilter",
    "EntryPage",
    "EntryRow",
    "EntryState",
    "Folder",
    "ReaderFeed",
    "Reading",
    "RevisionChange",
    "StoryCopy",
    "View",
]


@dataclass(frozen=True)
class EntryPage:
    """One page of a list: its entries, newest first, and the cursor of the next page (None at the end)."""

    entries: list[EntryRow]
    next_cursor: str | None


@dataclass(frozen=True)
class RevisionChange:
    """An earlier version of an article, and what the next version changed, paragraph by paragraph.

    `changes` are ("-", paragraph) for a paragraph the next version dropped
    and ("+", paragraph) for one it added.
    """

    revision: int
    title: str | None
    created_at: datetime | None
    changes: list[tuple[str, str]]


@dataclass(frozen=True)
class ArticleDetail:
    """An article as the reader shows it: its current version, its history, its story and the story's copies.

    `history` holds only versions the current text replaced (a fresh article
    has none); `copies` lists the story's articles, the original first (None
    when the article belongs to no story).
    """

    article: StoredArticle
    history: list[RevisionChange] = field(default_factory=list)
    story: Story | None = None
    copies: list[StoryCopy] | None = None


@dataclass(frozen=True)
class Folder:
    """An OPML folder (a feed's category; None for feeds in none) with its feeds and their unread total."""

    name: str | None
    feeds: list[ReaderFeed]

    @property
    def unread(self) -> int:
        """The user's unread entries across the folder's feeds."""
        return sum(f.unread for f in self.feeds)


def paragraph_changes(old: str, new: str, limit: int = 40) -> list[tuple[str, str]]:
    """What changed between two texts, paragraph by paragraph: ("-"|"+", paragraph), at most `limit`."""
    before = [p.strip() for p in old.split("\n\n") if p.strip()]
    after = [p.strip() for p in new.split("\n\n") if p.strip()]
    changes = [
        (line[0], line[2:]) for line in difflib.ndiff(before, after) if line.startswith(("- ", "+ "))
    ]
    return changes[:limit]


class Reading:
    """What a reader sees and does: the reader's views and counts, read and starred state, folders and labels."""

    def __init__(self, core: Core) -> None:
        self._core = core

    # --- lists ---------------------------------------------------------------

    def entries(self, flt: EntryFilter, *, limit: int = 50, after: str | None = None) -> EntryPage:
        """One page of the entries `flt` selects, newest first (undated ones last).

        `after` is a previous page's `next_cursor`; an unreadable one starts
        from the newest. `flt.view` "unread"/"starred" (and `flt.read`,
        `flt.starred`) need `flt.user_id` (ValueError otherwise).
        """
        with self._core.store.engine.connect() as conn:
            rows, cursor = views.list_entries(conn, flt, limit=limit, cursor=Cursor.decode(after))
        return EntryPage(rows, cursor.encode() if cursor is not None else None)

    def neighbours(self, flt: EntryFilter, entry: Positioned) -> tuple[int | None, int | None]:
        """The (previous, next) entry ids around `entry` in the list `flt` shows (None at either end).

        Found by position, so an entry that just left the list (read, in the
        unread view) still has its neighbours.
        """
        with self._core.store.engine.connect() as conn:
            return views.neighbours(conn, flt, entry)

    def newest_entry_id(self) -> int:
        """The newest entry's id (0 when there is none): pass it to `mark_all_read` as `up_to_id`."""
        with self._core.store.engine.connect() as conn:
            return views.max_entry_id(conn)

    def counts(self, user_id: int, *, one_per_story: bool = False) -> dict[str, int]:
        """The user's {"unread": n, "starred": n}.

        With `one_per_story`, unread counts stories as the reader's unread
        list shows them (a story once), so the number agrees with its rows;
        without, entry by entry.
        """
        with self._core.store.engine.connect() as conn:
            if one_per_story:
                return views.reader_counts(conn, user_id)
            return store_reading.state_counts(conn, user_id)

    # --- one entry, one article ------------------------------------------------

    def entry(self, entry_id: int, user_id: int | None = None) -> EntryDetail | None:
        """One entry with its feed's title and `user_id`'s flags (unflagged for nobody); None if none."""
        with self._core.store.engine.connect() as conn:
            return views.get_entry(conn, entry_id, user_id)

    def open_entry(self, entry_id: int, user_id: int) -> EntryDetail | None:
        """Read an entry as the reader opens it: its detail (flags as they were) and, if unread, mark it read.

        One transaction, so the entry cannot vanish between the two. None if
        there is no such entry.
        """
        with self._core.store.engine.begin() as conn:
            entry = views.get_entry(conn, entry_id, user_id)
            if entry is not None and not entry.read:
                store_reading.set_entry_state(conn, user_id, entry_id, read=True)
        return entry

    def article(self, article_id: int) -> ArticleDetail | None:
        """An article with its earlier versions (what each change did), its story and the story's copies."""
        with self._core.store.engine.connect() as conn:
            article = views.get_article(conn, article_id)
            if article is None:
                return None
            # The store keeps every version, the current one included; a revision is an
            # earlier version the current text replaced (a fresh article has none).
            earlier = [r for r in views.revisions(conn, article_id) if r.revision < article.revision]
            texts = [r.text for r in earlier] + [article.text]
            history = [
                RevisionChange(r.revision, r.title, r.created_at, paragraph_changes(texts[i], texts[i + 1]))
                for i, r in enumerate(earlier)
            ]
            story = copies = None
            if article.story_id is not None:
                story = views.get_story(conn, article.story_id)
                copies = views.story_articles(conn, article.story_id)
        return ArticleDetail(article, history, story, copies)

    def entry_for_article(self, article_id: int) -> int | None:
        """The first entry that brought this article, None when it came another way (a Full-Text RSS call)."""
        with self._core.store.engine.connect() as conn:
            return views.entry_for_article(conn, article_id)

    # --- read and starred -------------------------------------------------------

    def set_state(
        self, user_id: int, entry_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> EntryState | None:
        """Set the user's read and/or starred on one entry (None leaves a flag); its new state, None if no entry."""
        with self._core.store.engine.begin() as conn:
            return store_reading.set_entry_state(conn, user_id, entry_id, read=read, starred=starred)

    def mark_read(self, user_id: int, entry_id: int, read: bool = True) -> EntryState | None:
        """Mark one entry read (or, with `read=False`, unread) for the user; None if there is no such entry."""
        return self.set_state(user_id, entry_id, read=read)

    def mark_unread(self, user_id: int, entry_id: int) -> EntryState | None:
        """Mark one entry unread for the user; None if there is no such entry."""
        return self.set_state(user_id, entry_id, read=False)

    def star(self, user_id: int, entry_id: int, starred: bool = True) -> EntryState | None:
        """Star one entry (or, with `starred=False`, unstar it) for the user; None if there is no such entry."""
        return self.set_state(user_id, entry_id, starred=starred)

    def toggle(self, user_id: int, entry_id: int, flag: Literal["read", "starred"]) -> EntryState | None:
        """Flip one of the user's flags on an entry, in one transaction; its new state, None if no entry."""
        with self._core.store.engine.begin() as conn:
            current = store_reading.entry_state(conn, user_id, entry_id)
            if flag == "read":
                return store_reading.set_entry_state(conn, user_id, entry_id, read=not current.read)
            return store_reading.set_entry_state(conn, user_id, entry_id, starred=not current.starred)

    def mark_all_read(self, flt: EntryFilter, *, up_to_id: int | None = None) -> int:
        """Mark read, for `flt.user_id`, every unread entry the list `flt` shows; how many changed.

        With `up_to_id` (`newest_entry_id()` when the page was drawn), entries
        fetched since stay unread. ValueError without `flt.user_id`.
        """
        with self._core.store.engine.begin() as conn:
            return views.mark_all_read(conn, flt, up_to_id=up_to_id)

    # --- feeds and folders -------------------------------------------------------

    def feeds(self, user_id: int | None = None) -> list[ReaderFeed]:
        """Every feed by title, with its polling health and `user_id`'s unread count (0 for nobody)."""
        with self._core.store.engine.connect() as conn:
            return views.list_feeds(conn, user_id)

    def feed(self, feed_id: int, user_id: int | None = None) -> ReaderFeed | None:
        """One feed with its health and `user_id`'s unread count; None if there is no such feed."""
        with self._core.store.engine.connect() as conn:
            return views.get_feed(conn, feed_id, user_id)

    def folders(self, user_id: int | None = None) -> list[Folder]:
        """The feeds grouped by OPML folder (their category), folders by name, feeds without one last."""
        grouped: dict[str | None, list[ReaderFeed]] = {}
        for feed in self.feeds(user_id):
            grouped.setdefault(feed.category or None, []).append(feed)
        names = sorted((n for n in grouped if n is not None), key=str.lower)
        folders = [Folder(name, grouped[name]) for name in names]
        if None in grouped:
            folders.append(Folder(None, grouped[None]))
        return folders

    def byline_problems(self, limit: int = 50) -> list[BylineProblem]:
        """The latest articles whose byline lost a name or could not be repaired (a diagnostic for admins)."""
        with self._core.store.engine.connect() as conn:
            return views.byline_problems(conn, limit)
