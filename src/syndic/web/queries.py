"""The reads (and the few reader-state writes) behind the pages and the API.

SQLAlchemy Core only, the same statements on SQLite and PostgreSQL. Lists
are keyset-paginated on (published DESC, id DESC) so page 2,000 costs what
page 1 costs; every page is a fixed, small number of statements (no query
per row). Entries with no published date sort after all dated ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    update,
)

from syndic.store import reading, schema

AnyRow = Row[*tuple[Any, ...]]
View = Literal["all", "unread", "starred"]
VIEWS: tuple[View, ...] = ("all", "unread", "starred")

E = schema.entries
F = schema.feeds
A = schema.articles


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class EntryFilter:
    """Which entries a list shows."""

    view: View = "all"
    feed_id: int | None = None
    campaign_id: int | None = None
    since: datetime | None = None
    read: bool | None = None  # the API's filters; the reader's views use `view`
    starred: bool | None = None
    # whose read/starred state the list shows (store/reading.py); None: nobody's,
    # and then read/starred filters are refused
    user_id: int | None = None
    # The reader shows a story once, as the entry of its original (else its earliest
    # entry): the other entries carrying a copy are hidden. The API lists raw entries.
    one_per_story: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.one_per_story:
            where.append(~_preferred_copy_exists())
        wants_state = self.view != "all" or self.read is not None or self.starred is not None
        if wants_state and self.user_id is None:
            raise ValueError("read/starred filters need the user whose state they are")
        if self.user_id is not None:
            read, starred = reading.is_read(self.user_id), reading.is_starred(self.user_id)
            if self.view == "unread":
                where.append(~read)
            elif self.view == "starred":
                where.append(starred)
            if self.read is not None:
                where.append(read if self.read else ~read)
            if self.starred is not None:
                where.append(starred if self.starred else ~starred)
        if self.feed_id is not None:
            where.append(E.c.feed_id == self.feed_id)
        if self.campaign_id is not None:
            where.append(
                E.c.feed_id.in_(
                    select(schema.campaign_feeds.c.feed_id).where(
                        schema.campaign_feeds.c.campaign_id == self.campaign_id
                    )
                )
            )
        if self.since is not None:
            where.append(E.c.published >= self.since.astimezone(UTC))
        return where


def _preferred_copy_exists() -> ColumnElement[bool]:
    """Another entry of this entry's story is the story's row: the original's entry, else the earliest.

    One row per story whichever feed came first: the wire's entry stands for
    the story even when a partner's copy was polled before it.
    """
    other, other_article = E.alias("other"), A.alias("other_article")
    S = schema.stories
    story_of_entry = select(A.c.story_id).where(A.c.id == E.c.article_id).correlate(E).scalar_subquery()
    original = (
        select(S.c.original_article_id)
        .select_from(S.join(A, A.c.story_id == S.c.id))
        .where(A.c.id == E.c.article_id)
        .correlate(E)
        .scalar_subquery()
    )
    this_is_original = E.c.article_id == original
    other_is_original = other.c.article_id == original
    return exists(
        select(other.c.id)
        .select_from(other.join(other_article, other_article.c.id == other.c.article_id))
        .where(
            other_article.c.story_id == story_of_entry,
            other.c.id != E.c.id,
            or_(
                and_(other_is_original, ~this_is_original),
                and_(other.c.id < E.c.id, other_is_original == this_is_original),
            ),
        )
    )


@dataclass(frozen=True)
class Cursor:
    """A position in a list: the (published, id) of the last entry shown."""

    published: datetime | None
    entry_id: int

    def encode(self) -> str:
        stamp = "n" if self.published is None else str(int(self.published.timestamp() * 1_000_000))
        return f"{stamp}_{self.entry_id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        if not text:
            return None
        stamp, _, entry_id = text.partition("_")
        try:
            published = (
                None if stamp == "n" else datetime.fromtimestamp(int(stamp) / 1_000_000, tz=UTC)
            )
            return cls(published, int(entry_id))
        except (ValueError, OverflowError, OSError):
            return None


def _order(conn: Connection, newest_first: bool = True) -> list[Any]:
    published = E.c.published.desc() if newest_first else E.c.published.asc()
    ident = E.c.id.desc() if newest_first else E.c.id.asc()
    if conn.dialect.name == "postgresql":
        published = published.nulls_last() if newest_first else published.nulls_first()
    return [published, ident]


# Keyset conditions are row-value comparisons, one region at a time (dated, then
# undated), because an OR spanning both regions keeps SQLite from using the index.


def _older_dated(cursor: Cursor) -> ColumnElement[bool]:
    assert cursor.published is not None
    return tuple_(E.c.published, E.c.id) < tuple_(literal(cursor.published.astimezone(UTC), E.c.published.type),
                                                  literal(cursor.entry_id))


def _newer_dated(cursor: Cursor) -> ColumnElement[bool]:
    assert cursor.published is not None
    return tuple_(E.c.published, E.c.id) > tuple_(literal(cursor.published.astimezone(UTC), E.c.published.type),
                                                  literal(cursor.entry_id))


def _page(
    conn: Connection, columns: Sequence[Any], where: list[ColumnElement[bool]], cursor: Cursor | None, limit: int,
    *,
    join_feeds: bool = False,
) -> list[AnyRow]:
    """Up to `limit` rows after `cursor`, newest first, dated ones before undated ones."""

    def run(extra: list[ColumnElement[bool]], order: list[Any], count: int) -> list[AnyRow]:
        source = E.join(F, F.c.id == E.c.feed_id) if join_feeds else E
        if join_feeds:
            source = source.outerjoin(A, A.c.id == E.c.article_id).outerjoin(
                schema.stories, schema.stories.c.id == A.c.story_id
            )
        stmt = select(*columns).select_from(source).where(and_(true(), *where, *extra)).order_by(*order)
        return list(conn.execute(stmt.limit(count)).all())

    undated_order = [E.c.id.desc()]
    if cursor is None:
        return run([], _order(conn), limit)
    if cursor.published is None:
        return run([E.c.published.is_(None), E.c.id < cursor.entry_id], undated_order, limit)
    rows = run([_older_dated(cursor)], _order(conn), limit)
    if len(rows) < limit:
        rows += run([E.c.published.is_(None)], undated_order, limit - len(rows))
    return rows


LIST_COLUMNS = (
    E.c.id,
    E.c.feed_id,
    E.c.title,
    E.c.link,
    E.c.published,
    E.c.article_id,
    E.c.authors,
    F.c.title.label("feed_title"),
    F.c.url.label("feed_url"),
)
# What a list row shows beside the title (the reader's list; joined only there).
ROW_COLUMNS = (
    A.c.site_name,
    A.c.description.label("excerpt"),
    func.substr(A.c.text, 1, 400).label("text_start"),
    func.coalesce(A.c.image, E.c.image).label("thumbnail"),
    func.coalesce(schema.stories.c.copy_count, 1).label("copy_count"),
    (schema.stories.c.original_article_id == A.c.id).label("is_original"),
)


def state_columns(user_id: int | None) -> tuple[Any, ...]:
    """`read` and `starred` of `user_id` as columns of an entries SELECT (false for nobody)."""
    if user_id is None:
        return (literal(False).label("read"), literal(False).label("starred"))
    return (reading.is_read(user_id).label("read"), reading.is_starred(user_id).label("starred"))


def list_entries(
    conn: Connection, flt: EntryFilter, *, limit: int, cursor: Cursor | None = None
) -> tuple[Sequence[AnyRow], Cursor | None]:
    """One page of entries, newest first, and the cursor of the next page (None at the end)."""
    columns = (*LIST_COLUMNS, *ROW_COLUMNS, *state_columns(flt.user_id))
    rows = _page(conn, columns, flt.conditions(), cursor, limit + 1, join_feeds=True)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = Cursor(as_utc(last.published), int(last.id))
    return rows, next_cursor


def neighbours(conn: Connection, flt: EntryFilter, entry: AnyRow) -> tuple[int | None, int | None]:
    """(previous, next) entry ids around `entry` in the list `flt` shows."""
    here = Cursor(as_utc(entry.published), int(entry.id))
    where = flt.conditions()
    after = _page(conn, [E.c.id], where, here, 1)
    nxt = int(after[0].id) if after else None

    def first(extra: list[ColumnElement[bool]], order: list[Any]) -> int | None:
        value = conn.execute(select(E.c.id).where(and_(true(), *where, *extra)).order_by(*order).limit(1)).scalar()
        return None if value is None else int(value)

    if here.published is not None:
        prev = first([_newer_dated(here)], _order(conn, newest_first=False))
    else:
        prev = first([E.c.published.is_(None), E.c.id > here.entry_id], [E.c.id.asc()])
        if prev is None:
            prev = first([E.c.published.is_not(None)], _order(conn, newest_first=False))
    return prev, nxt


def get_entry(conn: Connection, entry_id: int, user_id: int | None = None) -> AnyRow | None:
    """One entry with its feed's title and `user_id`'s read/starred flags."""
    return conn.execute(
        select(E, F.c.title.label("feed_title"), F.c.site_url.label("feed_site_url"), *state_columns(user_id))
        .join(F, F.c.id == E.c.feed_id)
        .where(E.c.id == entry_id)
    ).first()


def entry_for_article(conn: Connection, article_id: int) -> int | None:
    return conn.execute(
        select(E.c.id).where(E.c.article_id == article_id).order_by(E.c.id).limit(1)
    ).scalar()


def get_article(conn: Connection, article_id: int) -> AnyRow | None:
    return conn.execute(select(A).where(A.c.id == article_id)).first()


def revisions(conn: Connection, article_id: int) -> Sequence[AnyRow]:
    """Every earlier version of the article, oldest first."""
    R = schema.article_revisions
    return conn.execute(
        select(R.c.revision, R.c.title, R.c.text, R.c.created_at)
        .where(R.c.article_id == article_id)
        .order_by(R.c.revision)
    ).all()


def get_story(conn: Connection, story_id: int) -> AnyRow | None:
    return conn.execute(select(schema.stories).where(schema.stories.c.id == story_id)).first()


def story_articles(conn: Connection, story_id: int, limit: int = 100) -> Sequence[AnyRow]:
    """The articles of one story (the original and its copies), oldest first."""
    return conn.execute(
        select(A.c.id, A.c.url, A.c.title, A.c.site_name, A.c.published, A.c.authors)
        .where(A.c.story_id == story_id)
        .order_by(A.c.published.asc(), A.c.id.asc())
        .limit(limit)
    ).all()


def byline_problems(conn: Connection, limit: int = 50) -> Sequence[AnyRow]:
    """The latest articles whose byline lost a name or could not be repaired (an admin's diagnostic)."""
    return conn.execute(
        select(A.c.id, A.c.url, A.c.title, A.c.site_name, A.c.byline_problem, E.c.id.label("entry_id"))
        .outerjoin(E, E.c.article_id == A.c.id)
        .where(A.c.byline_problem.is_not(None), A.c.byline_problem != "")
        .order_by(A.c.id.desc())
        .limit(limit)
    ).all()


def list_articles(
    conn: Connection, *, limit: int, offset: int = 0, since: datetime | None = None
) -> Sequence[AnyRow]:
    stmt = select(
        A.c.id, A.c.url, A.c.title, A.c.published, A.c.site_name, A.c.story_id, A.c.revision, A.c.word_count
    )
    if since is not None:
        stmt = stmt.where(A.c.published >= since.astimezone(UTC))
    return conn.execute(stmt.order_by(A.c.id.desc()).limit(limit).offset(offset)).all()


def list_stories(conn: Connection, *, limit: int, offset: int = 0) -> Sequence[AnyRow]:
    S = schema.stories
    return conn.execute(select(S).order_by(S.c.id.desc()).limit(limit).offset(offset)).all()


@dataclass(frozen=True)
class FeedWithUnread:
    """A feed row and one user's unread count in it."""

    row: AnyRow
    unread: int

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def list_feeds(conn: Connection, user_id: int | None = None) -> list[FeedWithUnread]:
    """Every feed with its health and `user_id`'s unread count in it (0 for nobody)."""
    unread = reading.unread_counts(conn, user_id) if user_id is not None else {}
    rows = conn.execute(select(F).order_by(func.lower(func.coalesce(F.c.title, F.c.url)))).all()
    return [FeedWithUnread(row, unread.get(int(row.id), 0)) for row in rows]


def get_feed(conn: Connection, feed_id: int) -> AnyRow | None:
    return conn.execute(select(F).where(F.c.id == feed_id)).first()


def feed_titles(conn: Connection) -> Sequence[AnyRow]:
    return conn.execute(
        select(F.c.id, F.c.title, F.c.url).order_by(func.lower(func.coalesce(F.c.title, F.c.url)))
    ).all()


def counts(conn: Connection, user_id: int) -> dict[str, int]:
    """The user's unread and starred totals, entry by entry."""
    return reading.state_counts(conn, user_id)


def reader_counts(conn: Connection, user_id: int) -> dict[str, int]:
    """The totals above the reader's list: unread counts stories as the unread
    list shows them (one row per story), so the number agrees with the rows.

    One grouped pass rather than the list's per-row condition (which costs a
    lookup per entry, ~0.4 s at 30,000): each story's row is its original's
    earliest entry, else its earliest entry (`_preferred_copy_exists`), and
    it counts when that entry is unread; entries without a story count alone.
    """
    totals = reading.state_counts(conn, user_id)
    S = schema.stories
    per_story = (
        select(
            func.coalesce(
                func.min(case((A.c.id == S.c.original_article_id, E.c.id))), func.min(E.c.id)
            ).label("entry_id"),
            func.count(E.c.id).label("entries"),
        )
        .select_from(E.join(A, A.c.id == E.c.article_id).join(S, S.c.id == A.c.story_id))
        .group_by(A.c.story_id)
        .subquery()
    )
    read = schema.entry_states
    shown_read = exists(
        select(read.c.entry_id).where(
            read.c.user_id == user_id, read.c.entry_id == per_story.c.entry_id, read.c.read == True  # noqa: E712
        )
    )
    stories_unread, with_story = conn.execute(
        select(func.sum(case((~shown_read, 1), else_=0)), func.sum(per_story.c.entries)).select_from(per_story)
    ).one()
    # Entries without a story, by difference: counting them directly walks every entry's article row.
    storied = E.join(A, A.c.id == E.c.article_id)
    total = conn.execute(select(func.count()).select_from(E)).scalar() or 0
    mine_read = (read.c.user_id == user_id, read.c.read == True)  # noqa: E712
    read_total = conn.execute(select(func.count()).select_from(read).where(*mine_read)).scalar() or 0
    read_with_story = conn.execute(
        select(func.count())
        .select_from(read.join(storied, E.c.id == read.c.entry_id))
        .where(*mine_read, A.c.story_id.is_not(None))
    ).scalar() or 0
    alone_unread = (int(total) - int(with_story or 0)) - (int(read_total) - int(read_with_story))
    return {**totals, "unread": int(stories_unread or 0) + max(0, alone_unread)}


def set_entry_state(
    conn: Connection, user_id: int, entry_id: int, *, read: bool | None = None, starred: bool | None = None
) -> reading.EntryState | None:
    """Change the user's read/starred on one entry; its new state, None if the entry does not exist."""
    return reading.set_entry_state(conn, user_id, entry_id, read=read, starred=starred)


def mark_all_read(conn: Connection, flt: EntryFilter, *, up_to_id: int | None = None) -> int:
    """Mark every unread entry the list shows as read for `flt.user_id`; with `up_to_id`, only
    those that existed when the page was drawn (entries fetched since stay unread)."""
    if flt.user_id is None:
        raise ValueError("marking read needs the user whose state it is")
    return reading.mark_all_read(conn, flt.user_id, flt.conditions(), up_to_id=up_to_id)


def max_entry_id(conn: Connection) -> int:
    return int(conn.execute(select(func.max(E.c.id))).scalar() or 0)


def set_feed_public(conn: Connection, feed_id: int, public: bool) -> bool:
    return conn.execute(update(F).where(F.c.id == feed_id).values(public=public)).rowcount > 0


def delete_feed(conn: Connection, feed_id: int) -> bool:
    return conn.execute(F.delete().where(F.c.id == feed_id)).rowcount > 0


def health_summary(conn: Connection) -> dict[str, int]:
    """Numbers for the metrics endpoint: feeds by state, the extraction queue, articles."""
    rows = conn.execute(select(F.c.state, func.count()).group_by(F.c.state))
    by_state = {str(state): int(count) for state, count in rows}
    pending = conn.execute(
        select(func.count()).select_from(E).where(E.c.extract_state == "pending")
    ).scalar()
    articles = conn.execute(select(func.count()).select_from(A)).scalar()
    due_posts = conn.execute(
        select(func.count()).select_from(schema.posts).where(schema.posts.c.state == "pending")
    ).scalar()
    return {
        **{f"feeds_{k}": int(v) for k, v in by_state.items()},
        "extract_queue": int(pending or 0),
        "articles": int(articles or 0),
        "post_queue": int(due_posts or 0),
    }


def fetch_stats(conn: Connection, since: datetime) -> Sequence[AnyRow]:
    """Fetches by kind since `since`: count, failures, total time (for the metrics endpoint)."""
    L = schema.fetch_log
    failed = or_(L.c.error.is_not(None), L.c.status >= 400)
    return conn.execute(
        select(
            L.c.kind,
            func.count().label("total"),
            func.coalesce(func.sum(case((failed, 1), else_=0)), 0).label("errors"),
            func.coalesce(func.sum(L.c.elapsed_ms), 0.0).label("elapsed_ms"),
        )
        .where(L.c.at >= since.astimezone(UTC))
        .group_by(L.c.kind)
    ).all()
