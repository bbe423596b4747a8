"""Feed entries: stored once per (feed, GUID-or-link), then handed to extraction.

Writes are idempotent upserts keyed on the unique (feed_id, key), so a poller
killed in the middle of a batch and started again stores nothing twice and
loses nothing: an entry is either committed or will be seen again next poll.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from syndic import retry
from syndic.clean.sanitize import sanitize_html
from syndic.store import reading
from syndic.store.database import Store, storable, store_errors
from syndic.store.feeds import utcnow
from syndic.store.schema import articles, entries, feeds
from syndic.types import Entry, ParsedEntry


def dialect_insert(connection: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """INSERT that can say ON CONFLICT, for whichever engine we are on."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


@dataclass(frozen=True)
class ListedEntry:
    """One line of `list_entries`: an entry, its feed's title and address, its article's story and length."""

    id: int
    title: str | None
    link: str | None
    published: datetime | None
    first_seen_at: datetime
    extract_state: str
    extract_error: str | None
    extract_attempts: int
    extract_next_at: datetime | None
    article_id: int | None
    feed_title: str | None
    feed_url: str
    story_id: int | None  # None until the entry has an article
    word_count: int | None

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> ListedEntry:
        """A row of `list_entries`' query (its columns are the fields, in order)."""
        return cls(*row)


LISTED_COLUMNS = (
    entries.c.id,
    entries.c.title,
    entries.c.link,
    entries.c.published,
    entries.c.first_seen_at,
    entries.c.extract_state,
    entries.c.extract_error,
    entries.c.extract_attempts,
    entries.c.extract_next_at,
    entries.c.article_id,
    feeds.c.title.label("feed_title"),
    feeds.c.url.label("feed_url"),
    articles.c.story_id,
    articles.c.word_count,
)
"""What `list_entries` selects: `ListedEntry`'s fields, in order (tests/store/test_row_types.py pins it)."""


def entry_key(entry: ParsedEntry) -> str | None:
    """GUID, else link, else a hash of title+summary (some feeds have neither)."""
    if entry.key:
        return entry.key[:2000]
    basis = (entry.title or "") + "\n" + (entry.summary_html or entry.content_html or "")
    if not basis.strip():
        return None
    return "sha256:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


def _plain(value: Any) -> Any:
    """A dataclass value as JSON: empty and None fields left out, dates in ISO 8601."""
    if is_dataclass(value) and not isinstance(value, type):
        fields = {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
        return {name: v for name, v in fields.items() if v not in (None, [], {}, False)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def entry_details(entry: ParsedEntry) -> dict[str, Any] | None:
    """What the feed says about an entry beyond the columns: its title as HTML, Media RSS,
    iTunes, the feed it was copied from and where it is about. None when it says none of it."""
    details: dict[str, Any] = {}
    if entry.title_html:
        details["title_html"] = sanitize_html(entry.title_html)
    if entry.media is not None:
        details["media"] = _plain(entry.media)
    if entry.podcast is not None:
        podcast = _plain(entry.podcast)
        if entry.podcast.duration_s is not None:
            podcast["duration_s"] = entry.podcast.duration_s
        if entry.podcast.explicit is False:
            podcast["explicit"] = False
        details["podcast"] = podcast
    if entry.source is not None:
        details["source"] = _plain(entry.source)
    if entry.where is not None:
        details["where"] = {"type": entry.where.kind, "coordinates": _plain(entry.where.coordinates)}
    return {name: value for name, value in details.items() if value} or None


def _storable_entry(entry: ParsedEntry) -> ParsedEntry:
    """The entry with what no column can hold replaced (see database.storable), before anything reads it."""
    changed: dict[str, Any] = {
        f.name: storable(value) for f in fields(entry)
        if isinstance(value := getattr(entry, f.name), str | tuple) and storable(value) != value
    }
    return replace(entry, **changed) if changed else entry


def _entry_values(feed_id: int, entry: ParsedEntry, key: str, base_url: str | None) -> dict[str, Any]:
    values: dict[str, Any] = storable({
        "feed_id": feed_id,
        "key": key,
        "guid": entry.guid,
        "link": entry.link,
        "title": entry.title,
        "summary": sanitize_html(entry.summary_html, base_url) if entry.summary_html else None,
        "content": sanitize_html(entry.content_html, base_url) if entry.content_html else None,
        "authors": list(entry.authors),
        "categories": list(entry.terms),
        "enclosures": [asdict(e) for e in entry.enclosures],
        "published": entry.published,
        "updated": entry.updated,
        "language": entry.language[:32] if entry.language else None,
        "image": entry.image,
        "comments_url": entry.comments_url,
        "details": entry_details(entry),
    })
    return values


@store_errors
def upsert_entries(
    store: Store, feed_id: int, parsed: Sequence[ParsedEntry], *, base_url: str | None = None
) -> list[int]:
    """Store new entries, refresh changed ones; return the ids of the new ones.

    An entry whose `updated` moved forward gets its fields refreshed and goes
    back to extraction, so a publisher's correction reaches the article's
    revisions.
    """
    with store.engine.begin() as connection:
        return insert_or_refresh(connection, feed_id, parsed, base_url=base_url)


_KNOWN_KEYS = select(entries.c.key, entries.c.updated).where(
    entries.c.feed_id == bindparam("feed_id"), entries.c.key.in_(bindparam("keys", expanding=True))
)
"""Built once: SQLAlchemy caches its compiled form (a fresh IN list would be compiled per call)."""


@store_errors
def insert_or_refresh(
    connection: Connection, feed_id: int, parsed: Sequence[ParsedEntry], *, base_url: str | None = None
) -> list[int]:
    """`upsert_entries` inside the caller's transaction (the poller writes a feed in one)."""
    now = utcnow()
    batch: dict[str, tuple[ParsedEntry, dict[str, Any]]] = {}
    for entry in map(_storable_entry, parsed):
        key = entry_key(entry)
        if key is not None and key not in batch:
            batch[key] = (entry, _entry_values(feed_id, entry, key, base_url or entry.link))
    if not batch:
        return []
    known = {
        str(k): u for k, u in connection.execute(_KNOWN_KEYS, {"feed_id": feed_id, "keys": list(batch)})
    }
    fresh = [
        {**values, "first_seen_at": now, "extract_state": retry.PENDING, "extract_attempts": 0}
        for key, (_, values) in batch.items()
        if key not in known
    ]
    new_ids: list[int] = []
    if fresh:
        # one multi-row statement; ON CONFLICT covers a concurrent writer (another worker)
        statement = (
            dialect_insert(connection, entries)
            .on_conflict_do_nothing(index_elements=["feed_id", "key"])
            .returning(entries.c.id)
        )
        new_ids = [int(r[0]) for r in connection.execute(statement, fresh)]
    for key, (entry, values) in batch.items():
        previous = known.get(key)
        if key in known and entry.updated is not None and (previous is None or previous < entry.updated):
            connection.execute(
                update(entries)
                .where(entries.c.feed_id == feed_id, entries.c.key == key)
                .values(**values, extract_state=retry.PENDING, extract_attempts=0, extract_next_at=None)
            )
    return new_ids


@store_errors
def pending_entries(
    store: Store, *, limit: int = 500, max_attempts: int = 3, feed_id: int | None = None,
    entry_id: int | None = None, now: datetime | None = None,
) -> list[Entry]:
    """Entries owed an extraction now: pending ones, and failed ones whose next try is due.

    Of one feed, or one entry. An entry whose backoff has not run out is not
    here, so a poison page costs one try per backoff, never every poll.
    """
    now = now or utcnow()
    query = (
        select(entries)
        .where(due_clause(now), entries.c.extract_attempts < max_attempts)
        .order_by(entries.c.id)
        .limit(limit)
    )
    if feed_id is not None:
        query = query.where(entries.c.feed_id == feed_id)
    if entry_id is not None:
        query = query.where(entries.c.id == entry_id)
    with store.engine.connect() as connection:
        return [Entry.from_row(row) for row in connection.execute(query)]


def pending_count(store: Store, *, max_attempts: int = 3, now: datetime | None = None) -> int:
    """How many entries `pending_entries` would hand out now, counted in SQL (a progress bar's total)."""
    query = select(func.count()).select_from(entries).where(
        due_clause(now or utcnow()), entries.c.extract_attempts < max_attempts)
    with store.engine.connect() as connection:
        return int(connection.execute(query).scalar() or 0)


def due_clause(now: datetime) -> ColumnElement[bool]:
    """The SQL of retry.is_due: pending, or failed with its next try come."""
    return or_(
        entries.c.extract_state == retry.PENDING,
        and_(entries.c.extract_state == retry.FAILED,
             or_(entries.c.extract_next_at.is_(None), entries.c.extract_next_at <= now)),
    )


@store_errors
def extract_progress(store: Store, entry_id: int) -> tuple[str, int] | None:
    """An entry's extraction state and attempts so far (None when it is gone)."""
    with store.engine.connect() as connection:
        row = connection.execute(
            select(entries.c.extract_state, entries.c.extract_attempts).where(entries.c.id == entry_id)
        ).first()
    return (str(row[0]), int(row[1])) if row is not None else None


@store_errors
def record_extract_failure(store: Store, entry_id: int, reason: str, decision: retry.Decision) -> None:
    """Say why extraction failed, and what happens next (retry.after_failure decided it)."""
    with store.engine.begin() as connection:
        connection.execute(
            update(entries)
            .where(entries.c.id == entry_id, entries.c.extract_state != retry.DONE)
            .values(
                extract_state=decision.state,
                extract_error=reason[:2000],
                extract_attempts=decision.attempts,
                extract_next_at=decision.next_at,
            )
        )


@store_errors
def requeue(
    store: Store, *, entry_ids: Sequence[int] | None = None, feed_id: int | None = None,
    states: Sequence[str] = (retry.FAILED, retry.GIVEN_UP),
) -> int:
    """Put failed and given-up entries back to pending with their attempts reset; how many.

    What `syndic retry` does after the cause was fixed (a site back up, a
    rule added). The last reason stays until the next try replaces it.
    """
    statement = update(entries).where(entries.c.extract_state.in_(list(states)))
    if entry_ids is not None:
        statement = statement.where(entries.c.id.in_(list(entry_ids)))
    if feed_id is not None:
        statement = statement.where(entries.c.feed_id == feed_id)
    with store.engine.begin() as connection:
        result = connection.execute(
            statement.values(extract_state=retry.PENDING, extract_attempts=0, extract_next_at=None)
        )
    return int(result.rowcount or 0)


@store_errors
def failures_by_feed(store: Store) -> dict[int, dict[str, int]]:
    """Per feed, how many of its entries are failed (waiting to retry) and given up."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(entries.c.feed_id, entries.c.extract_state, func.count())
            .where(entries.c.extract_state.in_([retry.FAILED, retry.GIVEN_UP]))
            .group_by(entries.c.feed_id, entries.c.extract_state)
        ).all()
    result: dict[int, dict[str, int]] = {}
    for feed_id, state, count in rows:
        result.setdefault(int(feed_id), {})[str(state)] = int(count)
    return result


@store_errors
def list_entries(
    store: Store,
    *,
    feed_id: int | None = None,
    unread: bool = False,
    starred: bool = False,
    states: Sequence[str] | None = None,
    limit: int = 50,
    offset: int = 0,
    user_id: int | None = None,
) -> list[ListedEntry]:
    """Entries newest first, with their feed's title and their article's state.

    `unread` and `starred` are `user_id`'s own (store/reading.py); they need a user.
    """
    if (unread or starred) and user_id is None:
        raise ValueError("unread/starred are per user: name the user")
    query = (
        select(*LISTED_COLUMNS)
        .join(feeds, feeds.c.id == entries.c.feed_id)
        .outerjoin(articles, articles.c.id == entries.c.article_id)
        .order_by(func.coalesce(entries.c.published, entries.c.first_seen_at).desc(), entries.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    conditions = []
    if feed_id is not None:
        conditions.append(entries.c.feed_id == feed_id)
    if unread and user_id is not None:
        conditions.append(~reading.is_read(user_id))
    if starred and user_id is not None:
        conditions.append(reading.is_starred(user_id))
    if states is not None:
        conditions.append(entries.c.extract_state.in_(list(states)))
    if conditions:
        query = query.where(and_(*conditions))
    with store.engine.connect() as connection:
        return [ListedEntry.from_row(row) for row in connection.execute(query)]


@store_errors
def count_entries_by_state(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(entries.c.extract_state, func.count()).group_by(entries.c.extract_state)
        ).all()
    return {str(state): int(count) for state, count in rows}


@store_errors
def latest_entry_times(store: Store, feed_id: int, *, limit: int = 20) -> list[datetime]:
    """Publication times of the feed's newest entries, for the adaptive interval."""
    with store.engine.connect() as connection:
        return newest_times(connection, feed_id, limit=limit)


_NEWEST_TIMES = (
    select(func.coalesce(entries.c.published, entries.c.first_seen_at))
    .where(entries.c.feed_id == bindparam("feed_id"))
    .order_by(entries.c.id.desc())
    .limit(bindparam("limit"))
)


@store_errors
def newest_times(connection: Connection, feed_id: int, *, limit: int = 20) -> list[datetime]:
    """`latest_entry_times` on the caller's connection (inside its transaction)."""
    rows = connection.execute(_NEWEST_TIMES, {"feed_id": feed_id, "limit": limit}).all()
    return [r[0] for r in rows if r[0] is not None]
