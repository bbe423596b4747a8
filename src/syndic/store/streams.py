"""Item streams: what the reading apps' APIs (Google Reader, Fever) read and change.

An *item* is an entry, shown once per story as the web reader shows it: an
entry whose story an earlier entry already carries is left out, so the
copies a story gathered (syndicated, autoblogged) are not repeated. Its
content is the extracted full text when there is one, else what the feed
gave, sanitized again on output; its address is the story's original.

Item ids are entry ids. Lists are keyset-paginated on the id (newest first
unless asked otherwise), so a continuation is the last id shown and page
2,000 costs what page 1 costs. Time filters use the time syndic first saw
the entry (its "crawl time"), which is what apps syncing since their last
visit need: an entry that arrives late with an old date is still new to them.

A *stream* is a set of items: everything, one feed, a folder (feeds'
category), a label (a folder, or the items a user labelled with that name),
or a user's state (read, unread, starred). Read and starred are per user
(`store/reading.py`); labels a user puts on items live in
`reader_item_labels`.

Functions take a `Connection`, so a caller reads and writes in one
transaction; every row leaves as a frozen dataclass.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from syndic.clean.sanitize import http_url, sanitize_html
from syndic.store import reading, schema, views
from syndic.types import Enclosure

E = schema.entries
F = schema.feeds
A = schema.articles
S = schema.stories
L = schema.reader_item_labels

MAX_LABEL_LENGTH = 200

__all__ = [
    "MAX_LABEL_LENGTH",
    "FeedUnread",
    "Group",
    "Item",
    "LabelUnread",
    "Stream",
    "StreamKind",
    "StreamQuery",
    "Subscription",
    "add_labels",
    "count_items",
    "disable_label",
    "edit_subscription",
    "existing_item_ids",
    "feed_by_url",
    "folder_id",
    "item_ids",
    "label_unread_counts",
    "last_refreshed",
    "load_items",
    "mark_read",
    "remove_labels",
    "rename_label",
    "safe_url",
    "subscription",
    "subscriptions",
    "unread_counts",
    "user_labels",
]


# --- what is asked for ---------------------------------------------------------

StreamKind = Literal["all", "none", "feed", "folder", "label", "read", "starred", "unread"]


@dataclass(frozen=True)
class Stream:
    """A set of items: everything (`all`), nothing (`none`), one feed, a folder, a label, or a state.

    `folder` is the feeds of that category; `label` is those feeds' items and
    the items the user labelled with that name (Google Reader does not tell
    the two apart).
    """

    kind: StreamKind
    feed_id: int = 0
    label: str = ""


@dataclass(frozen=True)
class StreamQuery:
    """A stream narrowed: items also in every `include` stream, in no `exclude` stream, crawled in a window.

    `crawled_after` / `crawled_before` are exclusive bounds on the time
    syndic first saw the entry.
    """

    stream: Stream = Stream("all")
    include: tuple[Stream, ...] = ()
    exclude: tuple[Stream, ...] = ()
    crawled_after: datetime | None = None
    crawled_before: datetime | None = None


def _condition(stream: Stream, user_id: int) -> ColumnElement[bool]:
    if stream.kind == "feed":
        return E.c.feed_id == stream.feed_id
    in_folder = E.c.feed_id.in_(select(F.c.id).where(F.c.category == stream.label))
    if stream.kind == "folder":
        return in_folder
    if stream.kind == "label":
        labelled = exists(
            select(L.c.entry_id).where(L.c.user_id == user_id, L.c.entry_id == E.c.id, L.c.label == stream.label)
        )
        return or_(in_folder, labelled)
    if stream.kind == "read":
        return reading.is_read(user_id)
    if stream.kind == "unread":
        return ~reading.is_read(user_id)
    if stream.kind == "starred":
        return reading.is_starred(user_id)
    if stream.kind == "none":
        return false()
    return true()


def _one_per_story() -> list[ColumnElement[bool]]:
    """The reader's rule: an entry whose story an earlier entry carries is a copy, not shown."""
    return views.EntryFilter(one_per_story=True).conditions()


def _where(query: StreamQuery, user_id: int) -> list[ColumnElement[bool]]:
    where = [*_one_per_story(), _condition(query.stream, user_id)]
    where += [~_condition(s, user_id) for s in query.exclude]
    where += [_condition(s, user_id) for s in query.include]
    if query.crawled_after is not None:
        where.append(E.c.first_seen_at > query.crawled_after.astimezone(UTC))
    if query.crawled_before is not None:
        where.append(E.c.first_seen_at < query.crawled_before.astimezone(UTC))
    return where


# --- rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    """A feed as the apps list it: its title (else its address), its folder, when it last polled well."""

    feed_id: int
    title: str
    url: str
    site_url: str | None
    folder: str | None
    last_success_at: datetime | None


@dataclass(frozen=True)
class Item:
    """An entry as the apps show it, with the user's flags and labels."""

    id: int
    feed_id: int
    feed_title: str
    feed_site_url: str | None
    title: str
    author: str
    html: str  # sanitized
    url: str | None  # the story's original, else the article's address, else the entry's link
    published: datetime  # the entry's date, else its crawl time
    crawled: datetime  # when syndic first saw the entry
    read: bool
    starred: bool
    labels: tuple[str, ...]
    enclosures: tuple[Enclosure, ...]  # http(s) ones only; `type` "" when the feed gave none


@dataclass(frozen=True)
class Group:
    """A folder that holds feeds, numbered as Fever numbers its groups (`folder_id`)."""

    id: int
    title: str
    feed_ids: tuple[int, ...]


@dataclass(frozen=True)
class FeedUnread:
    """A feed's unread items for one user, and the newest one's crawl time."""

    feed_id: int
    count: int
    newest: datetime | None


@dataclass(frozen=True)
class LabelUnread:
    """How many unread items a user put one label on."""

    label: str
    count: int


# --- feeds ---------------------------------------------------------------------


def safe_url(value: str | None) -> str | None:
    """http(s) addresses only: anything else (javascript:, data:, a URL with spaces or control
    characters) never reaches an app. The same rule as every other output (`clean.sanitize.http_url`)."""
    return http_url(value)


def folder_id(name: str) -> int:
    """A stable positive integer for a folder name (Fever's groups are numbered)."""
    return zlib.crc32(name.encode("utf-8")) % (2**31 - 1) + 1


def feed_by_url(conn: Connection, url: str) -> int | None:
    """The id of the feed subscribed at exactly `url`, else None."""
    value = conn.execute(select(F.c.id).where(F.c.url == url)).scalar()
    return None if value is None else int(value)


def _subscription(feed: views.ReaderFeed) -> Subscription:
    return Subscription(
        feed.id, feed.title or feed.url, feed.url, safe_url(feed.site_url), (feed.category or "").strip() or None,
        feed.last_success_at,
    )


def subscriptions(conn: Connection) -> list[Subscription]:
    """Every feed, by title (case-insensitive) then id: the reader's feed list (`views.list_feeds`)."""
    return [_subscription(feed) for feed in views.list_feeds(conn)]


def subscription(conn: Connection, feed_id: int) -> Subscription | None:
    feed = views.get_feed(conn, feed_id)
    return None if feed is None else _subscription(feed)


def edit_subscription(
    conn: Connection, feed_id: int, *, title: str | None = None, folder: str | None = None, leave: Sequence[str] = ()
) -> None:
    """Retitle a feed, move it to `folder`, or take it out of its folder when that is one of `leave`.

    A feed is in one folder (its OPML category), so moving it replaces the
    old one; `leave` is ignored when `folder` is given.
    """
    values: dict[str, Any] = {}
    if title:
        values["title"] = title
    if folder:
        values["category"] = folder
    elif leave:
        conn.execute(update(F).where(F.c.id == feed_id, F.c.category.in_(list(leave))).values(category=None))
    if values:
        conn.execute(update(F).where(F.c.id == feed_id).values(**values))


def last_refreshed(conn: Connection) -> datetime | None:
    """When a feed last polled well (the newest of all feeds)."""
    value: datetime | None = conn.execute(select(func.max(F.c.last_success_at))).scalar()
    return value


# --- items ---------------------------------------------------------------------


def item_ids(
    conn: Connection,
    user_id: int,
    query: StreamQuery,
    *,
    limit: int,
    after: int | None = None,
    oldest_first: bool = False,
) -> list[int]:
    """Up to `limit` item ids of `query`, newest first (or oldest), after the id `after`."""
    conditions = _where(query, user_id)
    if after is not None:
        conditions.append(E.c.id > after if oldest_first else E.c.id < after)
    order = E.c.id.asc() if oldest_first else E.c.id.desc()
    stmt = select(E.c.id).where(and_(true(), *conditions)).order_by(order).limit(limit)
    return [int(x) for x in conn.execute(stmt).scalars()]


def count_items(conn: Connection) -> int:
    """How many items there are (entries, one per story)."""
    return int(conn.execute(select(func.count()).select_from(E).where(and_(true(), *_one_per_story()))).scalar() or 0)


def existing_item_ids(conn: Connection, ids: Iterable[int]) -> list[int]:
    """The ids among `ids` that are entries, ascending."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return [int(x) for x in conn.execute(select(E.c.id).where(E.c.id.in_(wanted)).order_by(E.c.id)).scalars()]


def _names(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    names: list[str] = []
    for author in value:
        if isinstance(author, str):
            names.append(author)
        elif isinstance(author, dict) and isinstance(author.get("name"), str):
            names.append(author["name"])
    return [n for n in names if n.strip()]


def _length(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _enclosures(value: object) -> tuple[Enclosure, ...]:
    found: list[Enclosure] = []
    for enc in value if isinstance(value, list) else []:
        if isinstance(enc, dict) and (href := safe_url(enc.get("url") or enc.get("href"))):
            found.append(Enclosure(href, str(enc.get("type") or ""), _length(enc.get("length"))))
    return tuple(found)


def load_items(conn: Connection, user_id: int, ids: Sequence[int]) -> list[Item]:
    """The items with these ids as `user_id` sees them, in the order given; unknown ids are left out."""
    if not ids:
        return []
    original = A.alias("original")
    rows = conn.execute(
        select(
            E.c.id, E.c.feed_id, E.c.title, E.c.link, E.c.summary, E.c.content, E.c.authors, E.c.enclosures,
            E.c.published, E.c.first_seen_at,
            reading.is_read(user_id).label("is_read"), reading.is_starred(user_id).label("is_starred"),
            F.c.title.label("feed_title"), F.c.url.label("feed_url"), F.c.site_url.label("feed_site_url"),
            A.c.html.label("article_html"), A.c.url.label("article_url"), A.c.title.label("article_title"),
            A.c.authors.label("article_authors"), original.c.url.label("original_url"),
        )
        .select_from(
            E.join(F, F.c.id == E.c.feed_id)
            .outerjoin(A, A.c.id == E.c.article_id)
            .outerjoin(S, S.c.id == A.c.story_id)
            .outerjoin(original, original.c.id == S.c.original_article_id)
        )
        .where(E.c.id.in_(list(ids)))
    ).all()
    labels: dict[int, list[str]] = {}
    for entry_id, label in conn.execute(
        select(L.c.entry_id, L.c.label).where(L.c.user_id == user_id, L.c.entry_id.in_(list(ids))).order_by(L.c.label)
    ):
        labels.setdefault(int(entry_id), []).append(label)
    by_id = {int(r.id): r for r in rows}
    items: list[Item] = []
    for entry_id in ids:
        r = by_id.get(entry_id)
        if r is None:
            continue
        crawled: datetime = r.first_seen_at or datetime.now(UTC)
        url = safe_url(r.original_url) or safe_url(r.article_url) or safe_url(r.link)
        # sanitized again on the way out, whatever the store holds (as the web reader does)
        html = sanitize_html(r.article_html or r.content or r.summary or "", base_url=safe_url(r.article_url or r.link))
        items.append(
            Item(
                id=entry_id,
                feed_id=int(r.feed_id),
                feed_title=r.feed_title or r.feed_url,
                feed_site_url=safe_url(r.feed_site_url),
                title=r.title or r.article_title or "",
                author=", ".join(_names(r.authors) or _names(r.article_authors)),
                html=html,
                url=url,
                published=r.published or crawled,
                crawled=crawled,
                read=bool(r.is_read),
                starred=bool(r.is_starred),
                labels=tuple(labels.get(entry_id, ())),
                enclosures=_enclosures(r.enclosures),
            )
        )
    return items


def mark_read(conn: Connection, user_id: int, query: StreamQuery) -> int:
    """Mark every unread item of `query` read for `user_id`; return how many."""
    return reading.mark_all_read(conn, user_id, _where(query, user_id))


def unread_counts(conn: Connection, user_id: int) -> list[FeedUnread]:
    """Every feed with unread items: how many, and the newest one's crawl time."""
    rows = conn.execute(
        select(E.c.feed_id, func.count(), func.max(E.c.first_seen_at))
        .where(and_(*_one_per_story(), ~reading.is_read(user_id)))
        .group_by(E.c.feed_id)
    ).all()
    return [FeedUnread(int(feed_id), int(count), newest) for feed_id, count, newest in rows]


# --- labels --------------------------------------------------------------------


def user_labels(conn: Connection, user_id: int) -> list[str]:
    """The labels a user has put on items, sorted."""
    return [
        str(x)
        for x in conn.execute(select(L.c.label).where(L.c.user_id == user_id).distinct().order_by(L.c.label)).scalars()
    ]


def label_unread_counts(conn: Connection, user_id: int) -> list[LabelUnread]:
    """Unread items a user labelled, per label."""
    rows = conn.execute(
        select(L.c.label, func.count())
        .select_from(L.join(E, E.c.id == L.c.entry_id))
        .where(L.c.user_id == user_id, ~reading.is_read(user_id))
        .group_by(L.c.label)
    ).all()
    return [LabelUnread(str(label), int(count)) for label, count in rows]


def add_labels(conn: Connection, user_id: int, entry_ids: Sequence[int], labels: Sequence[str]) -> None:
    """Put each label on each item (once: a label already there stays one row)."""
    for label in labels:
        have = {
            int(x)
            for x in conn.execute(
                select(L.c.entry_id).where(L.c.user_id == user_id, L.c.label == label, L.c.entry_id.in_(list(entry_ids)))
            ).scalars()
        }
        rows = [{"user_id": user_id, "entry_id": e, "label": label} for e in entry_ids if e not in have]
        if rows:
            conn.execute(insert(L), rows)


def remove_labels(conn: Connection, user_id: int, entry_ids: Sequence[int], labels: Sequence[str]) -> None:
    if labels and entry_ids:
        conn.execute(
            delete(L).where(L.c.user_id == user_id, L.c.entry_id.in_(list(entry_ids)), L.c.label.in_(list(labels)))
        )


def rename_label(conn: Connection, user_id: int, old: str, new: str, *, folders: bool) -> None:
    """Rename a user's item label and, with `folders` (an admin: feeds are shared), the folder of that name."""
    clashing = select(L.c.entry_id).where(L.c.user_id == user_id, L.c.label == new)
    conn.execute(delete(L).where(L.c.user_id == user_id, L.c.label == old, L.c.entry_id.in_(clashing)))
    conn.execute(update(L).where(L.c.user_id == user_id, L.c.label == old).values(label=new))
    if folders:
        conn.execute(update(F).where(F.c.category == old).values(category=new))


def disable_label(conn: Connection, user_id: int, label: str, *, folders: bool) -> None:
    """Remove a user's item label and, with `folders` (an admin), empty the folder of that name."""
    conn.execute(delete(L).where(L.c.user_id == user_id, L.c.label == label))
    if folders:
        conn.execute(update(F).where(F.c.category == label).values(category=None))
