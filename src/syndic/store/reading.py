"""Read and starred, per user: the one place that reads or writes `entry_states`.

Feeds and entries are shared by every account; what each person has read or
starred is theirs. No row means "unread, not starred", so a new entry costs
nothing per user and a new user starts with everything unread. A row is
written only when a user changes a flag (upsert on (user_id, entry_id)).

Callers: the reader's read layer (`syndic.store.views`), the Google
Reader / Fever APIs, the CLI's `syndic list --unread`. Each passes the user
whose state it wants; there is no "global" read flag any more.

SQL pieces (`is_read`, `is_starred`) are correlated conditions on
`entries.id`, for the caller's own SELECT; the functions run on the caller's
connection so they join its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, func, select, true
from sqlalchemy.dialects import postgresql, sqlite

from syndic.store import schema

E = schema.entries
S = schema.entry_states

__all__ = [
    "EntryState",
    "entry_state",
    "is_read",
    "is_starred",
    "mark_all_read",
    "read_entry_ids",
    "set_entries_state",
    "set_entry_state",
    "starred_entry_ids",
    "state_counts",
    "unread_counts",
    "unread_entry_ids",
]


@dataclass(frozen=True)
class EntryState:
    """One user's flags on one entry."""

    entry_id: int
    read: bool = False
    starred: bool = False


def is_read(user_id: int) -> ColumnElement[bool]:
    """True where `user_id` has read the entry (correlated on entries.id)."""
    return exists(
        select(S.c.entry_id).where(S.c.user_id == user_id, S.c.entry_id == E.c.id, S.c.read == True)  # noqa: E712
    )


def is_starred(user_id: int) -> ColumnElement[bool]:
    """True where `user_id` has starred the entry (correlated on entries.id)."""
    return exists(
        select(S.c.entry_id).where(S.c.user_id == user_id, S.c.entry_id == E.c.id, S.c.starred == True)  # noqa: E712
    )


def _upsert(conn: Connection, rows: list[dict[str, Any]], changed: Sequence[str]) -> None:
    """Insert the rows or, where (user_id, entry_id) exists, update only the `changed` flags."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(S).values(rows)
    updates = {name: getattr(statement.excluded, name) for name in (*changed, "updated_at")}
    conn.execute(statement.on_conflict_do_update(index_elements=["user_id", "entry_id"], set_=updates))


def entry_state(conn: Connection, user_id: int, entry_id: int) -> EntryState:
    """The user's flags on one entry (unread, not starred when never touched)."""
    row = conn.execute(
        select(S.c.read, S.c.starred).where(S.c.user_id == user_id, S.c.entry_id == entry_id)
    ).first()
    if row is None:
        return EntryState(entry_id)
    return EntryState(entry_id, bool(row.read), bool(row.starred))


def set_entries_state(
    conn: Connection,
    user_id: int,
    entry_ids: Iterable[int],
    *,
    read: bool | None = None,
    starred: bool | None = None,
) -> int:
    """Set read and/or starred on many entries for one user; return how many entries exist among them.

    Ids of entries that do not exist are ignored (an API client's stale list
    is not an error). A flag given as None is left as it was.
    """
    wanted = sorted({int(i) for i in entry_ids})
    if not wanted or (read is None and starred is None):
        return 0
    existing: list[int] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        existing += [int(i) for i in conn.execute(select(E.c.id).where(E.c.id.in_(chunk))).scalars()]
    if not existing:
        return 0
    now = datetime.now(UTC)
    changed = [name for name, value in (("read", read), ("starred", starred)) if value is not None]
    current = _current(conn, user_id, existing)
    rows = []
    for entry_id in existing:
        before = current.get(entry_id, EntryState(entry_id))
        rows.append(
            {
                "user_id": user_id,
                "entry_id": entry_id,
                "read": before.read if read is None else read,
                "starred": before.starred if starred is None else starred,
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), 500):
        _upsert(conn, rows[start : start + 500], changed)
    return len(existing)


def _current(conn: Connection, user_id: int, entry_ids: list[int]) -> dict[int, EntryState]:
    found: dict[int, EntryState] = {}
    for start in range(0, len(entry_ids), 500):
        chunk = entry_ids[start : start + 500]
        for row in conn.execute(
            select(S.c.entry_id, S.c.read, S.c.starred).where(S.c.user_id == user_id, S.c.entry_id.in_(chunk))
        ):
            found[int(row.entry_id)] = EntryState(int(row.entry_id), bool(row.read), bool(row.starred))
    return found


def set_entry_state(
    conn: Connection, user_id: int, entry_id: int, *, read: bool | None = None, starred: bool | None = None
) -> EntryState | None:
    """Change one user's flags on one entry; its new state, or None when the entry does not exist."""
    if conn.execute(select(E.c.id).where(E.c.id == entry_id)).first() is None:
        return None
    set_entries_state(conn, user_id, [entry_id], read=read, starred=starred)
    return entry_state(conn, user_id, entry_id)


def mark_all_read(
    conn: Connection, user_id: int, where: Sequence[ColumnElement[bool]] = (), *, up_to_id: int | None = None
) -> int:
    """Mark read, for one user, every entry matching `where` (conditions on `entries`) not yet read.

    With `up_to_id`, only entries that existed when the page was drawn (newer
    ones stay unread). Returns how many entries changed.
    """
    conditions = [*where, ~is_read(user_id)]
    if up_to_id is not None:
        conditions.append(E.c.id <= up_to_id)
    ids = [int(i) for i in conn.execute(select(E.c.id).where(and_(true(), *conditions))).scalars()]
    set_entries_state(conn, user_id, ids, read=True)
    return len(ids)


def unread_counts(conn: Connection, user_id: int) -> dict[int, int]:
    """Unread entries per feed id for one user (feeds with none are absent).

    Computed as entries per feed minus the user's read entries per feed: two
    grouped scans, instead of probing the user's state once per entry.
    """
    # `feed_id + 0` keeps SQLite off the (feed_id, key) index: walking it means one
    # table lookup per entry, where a plain scan is several times faster.
    feed_key = (E.c.feed_id + 0).label("feed_id")
    totals = {
        int(f): int(n) for f, n in conn.execute(select(feed_key, func.count()).group_by(feed_key)).all()
    }
    read = conn.execute(
        select(E.c.feed_id, func.count())
        .select_from(S.join(E, E.c.id == S.c.entry_id))
        .where(S.c.user_id == user_id, S.c.read == True)  # noqa: E712
        .group_by(E.c.feed_id)
    ).all()
    for feed_id, count in read:
        totals[int(feed_id)] = totals.get(int(feed_id), 0) - int(count)
    return {feed_id: count for feed_id, count in totals.items() if count > 0}


def state_counts(conn: Connection, user_id: int) -> dict[str, int]:
    """The user's unread and starred totals (for the reader's navigation and the APIs)."""
    total = int(conn.execute(select(func.count()).select_from(E)).scalar() or 0)
    read = conn.execute(
        select(func.count()).select_from(S).where(S.c.user_id == user_id, S.c.read == True)  # noqa: E712
    ).scalar()
    starred = conn.execute(
        select(func.count()).select_from(S).where(S.c.user_id == user_id, S.c.starred == True)  # noqa: E712
    ).scalar()
    return {"unread": max(0, total - int(read or 0)), "starred": int(starred or 0)}


def unread_entry_ids(conn: Connection, user_id: int, *, limit: int = 10_000) -> list[int]:
    """Ids of the user's unread entries, newest id first (the Fever API's `unread_item_ids`)."""
    stmt = select(E.c.id).where(~is_read(user_id)).order_by(E.c.id.desc()).limit(limit)
    return [int(i) for i in conn.execute(stmt).scalars()]


def read_entry_ids(conn: Connection, user_id: int, *, limit: int = 10_000) -> list[int]:
    """Ids of the entries the user has read, newest id first."""
    stmt = (
        select(S.c.entry_id)
        .where(S.c.user_id == user_id, S.c.read == True)  # noqa: E712
        .order_by(S.c.entry_id.desc())
        .limit(limit)
    )
    return [int(i) for i in conn.execute(stmt).scalars()]


def starred_entry_ids(conn: Connection, user_id: int, *, limit: int = 10_000) -> list[int]:
    """Ids of the user's starred entries, newest id first (Fever's `saved_item_ids`)."""
    stmt = (
        select(S.c.entry_id)
        .where(S.c.user_id == user_id, S.c.starred == True)  # noqa: E712
        .order_by(S.c.entry_id.desc())
        .limit(limit)
    )
    return [int(i) for i in conn.execute(stmt).scalars()]
