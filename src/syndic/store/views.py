"""What a reader reads: entry lists, one entry, articles with their revisions, stories with their copies.

The one read layer behind the web reader, the JSON API and `syndic.library`
(`Reading`, `Stories`): SQLAlchemy Core only, the same statements on SQLite
and PostgreSQL, and every row leaves as a frozen dataclass, so a renamed
column fails here and in mypy rather than in a template.

Lists are keyset-paginated on (published DESC, id DESC) so page 2,000 costs
what page 1 costs; every page is a fixed, small number of statements (no
query per row). Entries with no published date sort after all dated ones.
Read and starred are per user and come from `store/reading.py`.

Functions take a `Connection` so a caller can read and write in one
transaction (the entry page reads an entry and marks it read);
`store.articles` keeps its `Store`-taking forms of the article, revision and
story-copy reads, which run these same queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, TypeVar

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
)

from syndic.store import feeds as store_feeds
from syndic.store import reading, schema
from syndic.types import ArticleRevision, StoredArticle, Story

View = Literal["all", "unread", "starred"]
VIEWS: tuple[View, ...] = ("all", "unread", "starred")

E = schema.entries
F = schema.feeds
A = schema.articles
S = schema.stories

_T = TypeVar("_T")
AnyRow = Row[*tuple[Any, ...]]


def _build(cls: type[_T], row: AnyRow | Mapping[str, Any]) -> _T:
    """A dataclass from the row's columns of the same names (columns it does not name are left)."""
    mapping = row._mapping if isinstance(row, Row) else row
    return cls(**{f.name: mapping[f.name] for f in fields(cls) if f.name in mapping})  # type: ignore[arg-type]


def _names(value: object) -> tuple[str, ...]:
    """A JSON list of names (authors) as a tuple of strings; anything else as none."""
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


# --- rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """One row of the reader's list: the entry, its feed, what its article adds, the user's flags."""

    id: int
    feed_id: int
    title: str | None
    link: str | None
    published: datetime | None
    article_id: int | None
    authors: tuple[str, ...]
    feed_title: str | None
    feed_url: str
    site_name: str | None = None
    excerpt: str | None = None  # the article's description
    text_start: str | None = None  # the article's first 400 characters
    thumbnail: str | None = None  # the article's image, else the entry's
    copy_count: int = 1  # articles in its story
    is_original: bool | None = None  # its article is its story's original (None: no story)
    read: bool = False
    starred: bool = False


@dataclass(frozen=True)
class EntryDetail:
    """One entry as polled, with its feed's title and site and one user's flags."""

    id: int
    feed_id: int
    key: str
    guid: str | None
    link: str | None
    title: str | None
    summary: str | None  # the publisher's HTML, sanitized
    content: str | None  # the publisher's HTML, sanitized
    authors: tuple[str, ...]
    categories: Any
    enclosures: Any
    published: datetime | None
    updated: datetime | None
    language: str | None
    image: str | None
    comments_url: str | None
    details: Any
    first_seen_at: datetime
    extract_state: str
    extract_error: str | None
    extract_attempts: int
    extract_next_at: datetime | None
    article_id: int | None
    feed_title: str | None
    feed_site_url: str | None
    read: bool = False
    starred: bool = False


@dataclass(frozen=True)
class ArticleSummary:
    """An article in a list: where it is, what it is called, its story and revision."""

    id: int
    url: str
    title: str | None
    published: datetime | None
    site_name: str | None
    story_id: int | None
    revision: int
    word_count: int


@dataclass(frozen=True)
class StoryCopy:
    """One article of a story (the original or a copy), as a list of copies shows it."""

    id: int
    url: str
    title: str | None
    site_name: str | None
    published: datetime | None
    authors: tuple[str, ...]
    word_count: int
    is_excerpt: bool


@dataclass(frozen=True)
class ReaderFeed:
    """A feed with its polling and WebSub health and one user's unread count in it."""

    id: int
    url: str
    title: str | None
    site_url: str | None
    category: str | None  # the OPML folder
    state: str
    last_error: str | None
    error_count: int
    last_status: int | None
    last_checked_at: datetime | None
    last_success_at: datetime | None
    next_check_at: datetime | None
    hub_url: str | None
    websub_state: str | None
    websub_pending: str | None
    websub_error: str | None
    websub_lease_until: datetime | None
    public: bool
    unread: int = 0


@dataclass(frozen=True)
class BylineProblem:
    """An article whose byline lost a name or could not be repaired, and the entry it came from."""

    id: int
    url: str
    title: str | None
    site_name: str | None
    byline_problem: str
    entry_id: int | None


def _entry_row(row: AnyRow) -> EntryRow:
    m = row._mapping
    return EntryRow(
        id=int(m["id"]), feed_id=int(m["feed_id"]), title=m["title"], link=m["link"], published=m["published"],
        article_id=m["article_id"], authors=_names(m["authors"]), feed_title=m["feed_title"],
        feed_url=m["feed_url"], site_name=m["site_name"], excerpt=m["excerpt"], text_start=m["text_start"],
        thumbnail=m["thumbnail"], copy_count=int(m["copy_count"] or 1),
        is_original=None if m["is_original"] is None else bool(m["is_original"]),
        read=bool(m["read"]), starred=bool(m["starred"]),
    )


# --- which entries a list shows ------------------------------------------------------


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
        """The filter as conditions on `entries` (ValueError: read/starred asked without a user)."""
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
        """The cursor as URL-safe text (microseconds since the epoch, or `n` for undated, then the id)."""
        stamp = "n" if self.published is None else str(int(self.published.timestamp() * 1_000_000))
        return f"{stamp}_{self.entry_id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor `encode` wrote; None for nothing or for garbage (a hand-edited URL starts over)."""
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


class Positioned(Protocol):
    """Anything with an entry's place in a list (a list row, an entry's detail)."""

    @property
    def id(self) -> int: ...

    @property
    def published(self) -> datetime | None: ...


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
            source = source.outerjoin(A, A.c.id == E.c.article_id).outerjoin(S, S.c.id == A.c.story_id)
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
    func.coalesce(S.c.copy_count, 1).label("copy_count"),
    (S.c.original_article_id == A.c.id).label("is_original"),
)


def state_columns(user_id: int | None) -> tuple[Any, ...]:
    """`read` and `starred` of `user_id` as columns of an entries SELECT (false for nobody)."""
    if user_id is None:
        return (literal(False).label("read"), literal(False).label("starred"))
    return (reading.is_read(user_id).label("read"), reading.is_starred(user_id).label("starred"))


# --- entries --------------------------------------------------------------------------


def list_entries(
    conn: Connection, flt: EntryFilter, *, limit: int, cursor: Cursor | None = None
) -> tuple[list[EntryRow], Cursor | None]:
    """One page of entries, newest first, and the cursor of the next page (None at the end)."""
    columns = (*LIST_COLUMNS, *ROW_COLUMNS, *state_columns(flt.user_id))
    rows = _page(conn, columns, flt.conditions(), cursor, limit + 1, join_feeds=True)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = Cursor(last.published, int(last.id))
    return [_entry_row(r) for r in rows], next_cursor


def neighbours(conn: Connection, flt: EntryFilter, entry: Positioned) -> tuple[int | None, int | None]:
    """(previous, next) entry ids around `entry` in the list `flt` shows."""
    here = Cursor(entry.published, int(entry.id))
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


def get_entry(conn: Connection, entry_id: int, user_id: int | None = None) -> EntryDetail | None:
    """One entry with its feed's title and `user_id`'s read/starred flags."""
    row = conn.execute(
        select(E, F.c.title.label("feed_title"), F.c.site_url.label("feed_site_url"), *state_columns(user_id))
        .join(F, F.c.id == E.c.feed_id)
        .where(E.c.id == entry_id)
    ).first()
    if row is None:
        return None
    m = row._mapping
    return _build(EntryDetail, {**m, "authors": _names(m["authors"]), "read": bool(m["read"]),
                                "starred": bool(m["starred"])})


def entry_for_article(conn: Connection, article_id: int) -> int | None:
    """The first entry that brought this article (None: it came another way, e.g. a Full-Text RSS call)."""
    value = conn.execute(
        select(E.c.id).where(E.c.article_id == article_id).order_by(E.c.id).limit(1)
    ).scalar()
    return None if value is None else int(value)


def max_entry_id(conn: Connection) -> int:
    """The newest entry's id (0 for none): "mark all read" marks only entries up to it."""
    return int(conn.execute(select(func.max(E.c.id))).scalar() or 0)


def mark_all_read(conn: Connection, flt: EntryFilter, *, up_to_id: int | None = None) -> int:
    """Mark every unread entry the list shows as read for `flt.user_id`; with `up_to_id`, only
    those that existed when the page was drawn (entries fetched since stay unread)."""
    if flt.user_id is None:
        raise ValueError("marking read needs the user whose state it is")
    return reading.mark_all_read(conn, flt.user_id, flt.conditions(), up_to_id=up_to_id)


def reader_counts(conn: Connection, user_id: int) -> dict[str, int]:
    """The totals above the reader's list: unread counts stories as the unread
    list shows them (one row per story), so the number agrees with the rows.

    One grouped pass rather than the list's per-row condition (which costs a
    lookup per entry, ~0.4 s at 30,000): each story's row is its original's
    earliest entry, else its earliest entry (`_preferred_copy_exists`), and
    it counts when that entry is unread; entries without a story count alone.
    """
    totals = reading.state_counts(conn, user_id)
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


# --- feeds, as the reader lists them ---------------------------------------------------


def list_feeds(conn: Connection, user_id: int | None = None) -> list[ReaderFeed]:
    """Every feed by title (then id) with its health and `user_id`'s unread count in it (0 for nobody)."""
    unread = reading.unread_counts(conn, user_id) if user_id is not None else {}
    rows = conn.execute(select(F).order_by(func.lower(func.coalesce(F.c.title, F.c.url)), F.c.id)).all()
    return [
        _build(ReaderFeed, {**r._mapping, "error_count": int(r.error_count or 0), "public": bool(r.public),
                            "unread": unread.get(int(r.id), 0)})
        for r in rows
    ]


def get_feed(conn: Connection, feed_id: int, user_id: int | None = None) -> ReaderFeed | None:
    """One feed (`store.feeds.read_feed`) with `user_id`'s unread count in it; None if there is no such feed."""
    feed = store_feeds.read_feed(conn, feed_id)
    if feed is None:
        return None
    unread = reading.unread_counts(conn, user_id).get(feed_id, 0) if user_id is not None else 0
    return _build(ReaderFeed, {**vars(feed), "unread": unread})


def byline_problems(conn: Connection, limit: int = 50) -> list[BylineProblem]:
    """The latest articles whose byline lost a name or could not be repaired (an admin's diagnostic)."""
    rows = conn.execute(
        select(A.c.id, A.c.url, A.c.title, A.c.site_name, A.c.byline_problem, E.c.id.label("entry_id"))
        .outerjoin(E, E.c.article_id == A.c.id)
        .where(A.c.byline_problem.is_not(None), A.c.byline_problem != "")
        .order_by(A.c.id.desc())
        .limit(limit)
    ).all()
    return [_build(BylineProblem, r) for r in rows]


# --- articles and stories ----------------------------------------------------------------


def get_article(conn: Connection, article_id: int) -> StoredArticle | None:
    """One article's current version; None if there is no such article."""
    row = conn.execute(select(A).where(A.c.id == article_id)).first()
    return None if row is None else StoredArticle.from_row(row)


def revisions(conn: Connection, article_id: int) -> list[ArticleRevision]:
    """Every stored version of the article, oldest first (the current one is the last)."""
    R = schema.article_revisions
    rows = conn.execute(select(R).where(R.c.article_id == article_id).order_by(R.c.revision)).all()
    return [ArticleRevision.from_row(r) for r in rows]


def list_articles(
    conn: Connection, *, limit: int, offset: int = 0, since: datetime | None = None
) -> list[ArticleSummary]:
    """Articles, newest stored first; with `since`, only those published at or after it."""
    stmt = select(
        A.c.id, A.c.url, A.c.title, A.c.published, A.c.site_name, A.c.story_id, A.c.revision, A.c.word_count
    )
    if since is not None:
        stmt = stmt.where(A.c.published >= since.astimezone(UTC))
    rows = conn.execute(stmt.order_by(A.c.id.desc()).limit(limit).offset(offset)).all()
    return [_build(ArticleSummary, r) for r in rows]


def get_story(conn: Connection, story_id: int) -> Story | None:
    """One story; None if there is no such story (it may have merged into another)."""
    row = conn.execute(select(S).where(S.c.id == story_id)).first()
    return None if row is None else Story.from_row(row)


def list_stories(conn: Connection, *, limit: int, offset: int = 0) -> list[Story]:
    """Stories, newest first."""
    rows = conn.execute(select(S).order_by(S.c.id.desc()).limit(limit).offset(offset)).all()
    return [Story.from_row(r) for r in rows]


def story_articles(conn: Connection, story_id: int, limit: int = 100) -> list[StoryCopy]:
    """The articles of one story, the original first, then the copies oldest first."""
    original = conn.execute(select(S.c.original_article_id).where(S.c.id == story_id)).scalar()
    rows = conn.execute(
        select(A.c.id, A.c.url, A.c.title, A.c.site_name, A.c.published, A.c.authors, A.c.word_count,
               A.c.is_excerpt)
        .where(A.c.story_id == story_id)
        .order_by(A.c.published.asc(), A.c.id.asc())
        .limit(limit)
    ).all()
    copies = [
        StoryCopy(id=int(r.id), url=r.url, title=r.title, site_name=r.site_name, published=r.published,
                  authors=_names(r.authors), word_count=int(r.word_count or 0), is_excerpt=bool(r.is_excerpt))
        for r in rows
    ]
    return sorted(copies, key=lambda c: c.id != original)  # stable: the copies keep their order
