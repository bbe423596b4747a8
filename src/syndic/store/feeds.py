"""Subscriptions and their polling state.

A feed is never deleted because it fails: its state, last error, error count
and next check are kept, so `syndic feeds --health` and the reader can show
why it is not updating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.engine import Connection

from syndic.store.database import Store, store_errors
from syndic.store.schema import feeds
from syndic.types import Feed, ParsedFeed


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class FeedPollResult:
    """What a poll of one feed leaves on the feed row (the decision is the scheduler's)."""

    status: int | None
    etag: str | None
    last_modified: str | None
    next_check_at: datetime
    error: str | None = None
    ttl_minutes: int | None = None
    hub_url: str | None = None
    """The WebSub hub found (Link header or document); written with a parsed feed."""


@store_errors
def add_feed(store: Store, url: str, *, title: str | None = None, category: str | None = None) -> int:
    """Subscribe to `url` (idempotent: an existing subscription's id is returned)."""
    with store.engine.begin() as connection:
        existing = connection.execute(select(feeds.c.id).where(feeds.c.url == url)).scalar()
        if existing is not None:
            return int(existing)
        now = utcnow()
        result = connection.execute(
            insert(feeds).values(
                url=url,
                title=title,
                category=category,
                state="new",
                error_count=0,
                public=False,
                created_at=now,
                next_check_at=now,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


@store_errors
def get_feed(store: Store, feed_id: int) -> Feed | None:
    with store.engine.connect() as connection:
        return read_feed(connection, feed_id)


@store_errors
def list_feeds(store: Store) -> list[Feed]:
    with store.engine.connect() as connection:
        return [Feed.from_row(row) for row in connection.execute(select(feeds).order_by(feeds.c.id))]


@store_errors
def due_feeds(store: Store, now: datetime, *, limit: int | None = None) -> list[Feed]:
    """Feeds whose next check has come, earliest first."""
    query = (
        select(feeds)
        .where(or_(feeds.c.next_check_at.is_(None), feeds.c.next_check_at <= now))
        .order_by(feeds.c.next_check_at)
    )
    if limit:
        query = query.limit(limit)
    with store.engine.connect() as connection:
        return [Feed.from_row(row) for row in connection.execute(query)]


_FILL_TITLE = (
    update(feeds)
    .where(feeds.c.id == bindparam("fid"), feeds.c.title.is_(None))
    .values(title=bindparam("new_title"))
)


@store_errors
def write_feed_success(
    connection: Connection, feed_id: int, result: FeedPollResult, parsed: ParsedFeed | None
) -> None:
    """A fetch that worked (200 or 304): clear the error state, keep validators.

    Runs inside the caller's transaction, the one that stores the feed's new entries.
    """
    now = utcnow()
    values: dict[str, object] = {
        "state": "ok",
        "last_error": None,
        "error_count": 0,
        "last_status": result.status,
        "last_checked_at": now,
        "last_success_at": now,
        "next_check_at": result.next_check_at,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "ttl_minutes": result.ttl_minutes,
    }
    if parsed is not None:
        values.update(
            version=parsed.version,
            description=parsed.description,
            language=parsed.language,
            image=parsed.image,
            site_url=parsed.link,
            hub_url=result.hub_url,
        )
        if parsed.title:
            # keep a title the user chose; fill it in when there is none
            connection.execute(_FILL_TITLE, {"fid": feed_id, "new_title": parsed.title})
    connection.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))


@store_errors
def read_feed(connection: Connection, feed_id: int) -> Feed | None:
    """`get_feed` on the caller's connection."""
    row = connection.execute(select(feeds).where(feeds.c.id == feed_id)).first()
    return Feed.from_row(row) if row is not None else None


@store_errors
def record_feed_error(store: Store, feed_id: int, result: FeedPollResult) -> None:
    """A fetch or parse that failed: say why, count it, schedule the retry."""
    with store.engine.begin() as connection:
        connection.execute(
            update(feeds)
            .where(feeds.c.id == feed_id)
            .values(
                state="error",
                last_error=result.error,
                error_count=feeds.c.error_count + 1,
                last_status=result.status,
                last_checked_at=utcnow(),
                next_check_at=result.next_check_at,
            )
        )


@store_errors
def set_public(connection: Connection, feed_id: int, public: bool) -> bool:
    """Serve the feed's full-text feed without login (or stop); False when there is no such feed."""
    return connection.execute(update(feeds).where(feeds.c.id == feed_id).values(public=public)).rowcount > 0


@store_errors
def delete_feed(connection: Connection, feed_id: int) -> bool:
    """Remove a feed and, by the schema's cascades, its entries; False when there was no such feed."""
    return connection.execute(feeds.delete().where(feeds.c.id == feed_id)).rowcount > 0
