"""What both reading-app APIs read and change: subscriptions, items, a user's state and labels.

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

Read and starred are per user (store/reading.py); labels a user puts on
items live in `reader_item_labels`. Folders are feeds' categories.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

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

from syndic.clean.sanitize import sanitize_html
from syndic.store import reading, schema
from syndic.web.queries import EntryFilter, as_utc

E = schema.entries
F = schema.feeds
A = schema.articles
S = schema.stories
L = schema.reader_item_labels

MAX_LABEL_LENGTH = 200


# --- a user's read / starred state ----------------------------------------------


def read_expr(user_id: int) -> ColumnElement[bool]:
    """True where `user_id` has read the entry (the correlated row is `entries`)."""
    return reading.is_read(user_id)


def starred_expr(user_id: int) -> ColumnElement[bool]:
    return reading.is_starred(user_id)


def set_flags(
    conn: Connection, user_id: int, entry_ids: Sequence[int], *, read: bool | None = None, starred: bool | None = None
) -> None:
    reading.set_entries_state(conn, user_id, entry_ids, read=read, starred=starred)


def mark_read_where(conn: Connection, user_id: int, where: Sequence[ColumnElement[bool]]) -> int:
    """Mark every unread entry matching `where` as read for `user_id`; return how many."""
    return reading.mark_all_read(conn, user_id, where)


# --- streams --------------------------------------------------------------------

StreamKind = Literal["all", "none", "feed", "label", "read", "starred", "unread"]


@dataclass(frozen=True)
class Stream:
    """A set of items: everything, one feed, a folder or label, or a state."""

    kind: StreamKind
    feed_id: int = 0
    label: str = ""

    def condition(self, user_id: int) -> ColumnElement[bool]:
        if self.kind == "feed":
            return E.c.feed_id == self.feed_id
        if self.kind == "label":
            in_folder = E.c.feed_id.in_(select(F.c.id).where(F.c.category == self.label))
            labelled = exists(
                select(L.c.entry_id).where(L.c.user_id == user_id, L.c.entry_id == E.c.id, L.c.label == self.label)
            )
            return or_(in_folder, labelled)
        if self.kind == "read":
            return read_expr(user_id)
        if self.kind == "unread":
            return ~read_expr(user_id)
        if self.kind == "starred":
            return starred_expr(user_id)
        if self.kind == "none":
            return false()
        return true()


def one_per_story() -> list[ColumnElement[bool]]:
    """The reader's rule: an entry whose story an earlier entry carries is a copy, not shown."""
    return EntryFilter(one_per_story=True).conditions()


def feed_exists(conn: Connection, feed_id: int) -> bool:
    return conn.execute(select(F.c.id).where(F.c.id == feed_id)).first() is not None


def feed_by_url(conn: Connection, url: str) -> int | None:
    value = conn.execute(select(F.c.id).where(F.c.url == url)).scalar()
    return None if value is None else int(value)


# --- subscriptions ----------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    feed_id: int
    title: str
    url: str
    site_url: str | None
    folder: str | None
    last_success_at: datetime | None


def subscriptions(conn: Connection) -> list[Subscription]:
    rows = conn.execute(
        select(F.c.id, F.c.title, F.c.url, F.c.site_url, F.c.category, F.c.last_success_at).order_by(
            func.lower(func.coalesce(F.c.title, F.c.url)), F.c.id
        )
    ).all()
    return [
        Subscription(
            int(r.id), r.title or r.url, r.url, safe_url(r.site_url), (r.category or "").strip() or None,
            as_utc(r.last_success_at),
        )
        for r in rows
    ]


def folder_id(name: str) -> int:
    """A stable positive integer for a folder name (Fever's groups are numbered)."""
    return zlib.crc32(name.encode("utf-8")) % (2**31 - 1) + 1


def user_labels(conn: Connection, user_id: int) -> list[str]:
    return [str(x) for x in conn.execute(select(L.c.label).where(L.c.user_id == user_id).distinct().order_by(L.c.label)).scalars()]


# --- items ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    id: int
    feed_id: int
    feed_title: str
    feed_site_url: str | None
    title: str
    author: str
    html: str
    url: str | None  # the story's original, else the article's address, else the entry's link
    published: datetime
    crawled: datetime
    read: bool
    starred: bool
    labels: tuple[str, ...]
    enclosures: tuple[dict[str, Any], ...]


def safe_url(value: str | None) -> str | None:
    """http(s) addresses only: anything else (javascript:, data:) never reaches an app."""
    if not value:
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


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


def list_item_ids(
    conn: Connection,
    user_id: int,
    where: Sequence[ColumnElement[bool]],
    *,
    limit: int,
    after: int | None = None,
    oldest_first: bool = False,
) -> list[int]:
    """Up to `limit` item ids matching `where`, newest first (or oldest), after the id `after`."""
    conditions = [*one_per_story(), *where]
    if after is not None:
        conditions.append(E.c.id > after if oldest_first else E.c.id < after)
    order = E.c.id.asc() if oldest_first else E.c.id.desc()
    stmt = select(E.c.id).where(and_(true(), *conditions)).order_by(order).limit(limit)
    return [int(x) for x in conn.execute(stmt).scalars()]


def existing_item_ids(conn: Connection, ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return [int(x) for x in conn.execute(select(E.c.id).where(E.c.id.in_(wanted))).scalars()]


def load_items(conn: Connection, user_id: int, ids: Sequence[int]) -> list[Item]:
    """The items with these ids, in the order given; unknown ids are left out."""
    if not ids:
        return []
    original = A.alias("original")
    rows = conn.execute(
        select(
            E.c.id, E.c.feed_id, E.c.title, E.c.link, E.c.summary, E.c.content, E.c.authors, E.c.enclosures,
            E.c.published, E.c.first_seen_at,
            read_expr(user_id).label("is_read"), starred_expr(user_id).label("is_starred"),
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
        crawled = as_utc(r.first_seen_at) or datetime.now(UTC)
        enclosures = tuple(
            {"href": href, "type": str(enc.get("type") or ""), "length": enc.get("length")}
            for enc in (r.enclosures if isinstance(r.enclosures, list) else [])
            if isinstance(enc, dict) and (href := safe_url(enc.get("url") or enc.get("href")))
        )
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
                published=as_utc(r.published) or crawled,
                crawled=crawled,
                read=bool(r.is_read),
                starred=bool(r.is_starred),
                labels=tuple(labels.get(entry_id, ())),
                enclosures=enclosures,
            )
        )
    return items


def unread_counts(conn: Connection, user_id: int) -> list[tuple[int, int, datetime | None]]:
    """(feed id, unread items, newest crawl time) for every feed with unread items."""
    rows = conn.execute(
        select(E.c.feed_id, func.count(), func.max(E.c.first_seen_at))
        .where(and_(*one_per_story(), ~read_expr(user_id)))
        .group_by(E.c.feed_id)
    ).all()
    return [(int(feed_id), int(count), as_utc(newest)) for feed_id, count, newest in rows]


def label_unread_counts(conn: Connection, user_id: int) -> list[tuple[str, int]]:
    """Unread items a user labelled, per label."""
    rows = conn.execute(
        select(L.c.label, func.count())
        .select_from(L.join(E, E.c.id == L.c.entry_id))
        .where(L.c.user_id == user_id, ~read_expr(user_id))
        .group_by(L.c.label)
    ).all()
    return [(str(label), int(count)) for label, count in rows]


def add_labels(conn: Connection, user_id: int, entry_ids: Sequence[int], labels: Sequence[str]) -> None:
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


def crawled_before(moment: datetime) -> ColumnElement[bool]:
    return E.c.first_seen_at < moment.astimezone(UTC)


def crawled_after(moment: datetime) -> ColumnElement[bool]:
    return E.c.first_seen_at > moment.astimezone(UTC)
