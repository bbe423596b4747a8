"""Per-host state shared by every worker of a cluster: pace, concurrency leases, robots.txt.

In one process `net.politeness.HostGate` spaces the requests to a host and
`net.robots.RobotsCache` reads its robots.txt once. Celery workers are many
processes on many machines, so they keep that state here, in the store they
already share (PostgreSQL; SQLite works too, for tests and one machine):

- `reserve_start` books the next start time for a host, `interval` after the
  one booked before it, in one atomic upsert, and answers how long to wait:
  N workers then start requests to a host at most one per interval between
  them all. Times are the database's clock, so machines whose clocks
  disagree still agree on the spacing.
- `acquire_lease`/`release_lease` hold one of a host's `slots` concurrency
  slots; a lease expires on its own, so a worker killed mid-fetch frees its
  slot after `ttl` seconds instead of never.
- `get_robots`/`put_robots` keep each robots.txt (or "no rules") until it
  expires, so the cluster fetches it once, not once per task.
"""

from __future__ import annotations

import random

from sqlalchemy import ColumnElement, Float, and_, case, delete, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import func

from syndic.store.entries import dialect_insert
from syndic.store.schema import host_leases, host_pace, robots_cache

HOST_KEY_MAX = 255


def _db_now(connection: Connection) -> ColumnElement[float]:
    """The database's clock in epoch seconds (one value for the whole statement)."""
    if connection.dialect.name == "postgresql":
        return func.extract("epoch", func.statement_timestamp()).cast(Float)
    return (func.julianday("now") - 2440587.5) * 86400.0


def host_key(host: str) -> str:
    return host.lower().rstrip(".")[:HOST_KEY_MAX]


def reserve_start(connection: Connection, host: str, interval: float) -> float:
    """Book the next start for `host`; return the seconds to wait before starting (>= 0)."""
    now = _db_now(connection)
    step = literal(float(interval), Float)
    insert = dialect_insert(connection, host_pace).values(host=host_key(host), next_start=now + step)
    later = case((host_pace.c.next_start > now, host_pace.c.next_start), else_=now)
    statement = insert.on_conflict_do_update(
        index_elements=["host"], set_={"next_start": later + step}
    ).returning(host_pace.c.next_start - step - now)
    wait = connection.execute(statement).scalar_one()
    return max(0.0, float(wait))


def acquire_lease(connection: Connection, host: str, slots: int, holder: str, ttl: float) -> int | None:
    """Take a free (or expired) concurrency slot of `host`; its number, or None when all are held."""
    now = _db_now(connection)
    order = list(range(slots))
    random.shuffle(order)
    for slot in order:
        insert = dialect_insert(connection, host_leases).values(
            host=host_key(host), slot=slot, holder=holder, expires=now + literal(float(ttl), Float)
        )
        statement = insert.on_conflict_do_update(
            index_elements=["host", "slot"],
            set_={"holder": insert.excluded.holder, "expires": insert.excluded.expires},
            where=host_leases.c.expires < now,
        ).returning(host_leases.c.slot)
        if connection.execute(statement).first() is not None:
            return slot
    return None


def release_lease(connection: Connection, host: str, slot: int, holder: str) -> None:
    connection.execute(
        delete(host_leases).where(
            and_(host_leases.c.host == host_key(host), host_leases.c.slot == slot, host_leases.c.holder == holder)
        )
    )


def get_robots(connection: Connection, url: str) -> tuple[bytes | None, float] | None:
    """The cached robots.txt body of `url` (None: allow all) and its seconds left; None if absent or expired."""
    now = _db_now(connection)
    row = connection.execute(
        select(robots_cache.c.body, robots_cache.c.expires - now).where(
            robots_cache.c.url == url, robots_cache.c.expires > now
        )
    ).first()
    if row is None:
        return None
    return (bytes(row[0]) if row[0] is not None else None, float(row[1]))


def put_robots(connection: Connection, url: str, body: bytes | None, ttl: float) -> None:
    now = _db_now(connection)
    insert = dialect_insert(connection, robots_cache).values(
        url=url, body=body, expires=now + literal(float(ttl), Float)
    )
    connection.execute(
        insert.on_conflict_do_update(
            index_elements=["url"], set_={"body": insert.excluded.body, "expires": insert.excluded.expires}
        )
    )
