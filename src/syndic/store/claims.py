"""Claims: the store's record of which piece of scheduled work is already on the queue.

A scheduler (`syndic beat`, a cron running `syndic poll --distributed --due`,
a poll task enqueueing its feed's extractions) claims each piece of work
before it publishes the task, keyed by what makes that work due: a feed by
its `next_check_at`, a campaign by its `next_run_at`, an entry's extraction by
its attempt number. Claiming is one atomic upsert per batch, so when two
schedulers race, each (target, key) is won by exactly one of them; the key
changes once the work is done (the feed gets a new next check), which makes
the target claimable again. A claim that stays unchanged for `stale_after`
means its task was lost (a purged queue, a broker that lost a message): it
is claimed, and enqueued, again — nothing waits forever.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.engine import Connection

from syndic.store.entries import dialect_insert
from syndic.store.schema import task_claims

KINDS = ("poll", "campaign", "extract")


def due_key(moment: datetime | None) -> str:
    """The claim key of a due time (None: due since forever)."""
    return moment.isoformat() if moment is not None else "none"


def claim(
    connection: Connection,
    kind: str,
    targets: Iterable[tuple[int, str]],
    *,
    now: datetime,
    stale_before: datetime,
) -> set[int]:
    """Claim (target id, key) pairs of one kind; return the ids this call won.

    A target is won when it has no claim yet, its claim has another key, or
    its claim was made before `stale_before`. Runs in the caller's
    transaction: publish the tasks before committing, so a failed publish
    rolls the claims back and the next scheduler tick tries again.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown claim kind {kind!r}")
    rows = [{"kind": kind, "target_id": t, "due_key": k[:64], "claimed_at": now} for t, k in dict(targets).items()]
    if not rows:
        return set()
    insert = dialect_insert(connection, task_claims)
    statement = insert.on_conflict_do_update(
        index_elements=["kind", "target_id"],
        set_={"due_key": insert.excluded.due_key, "claimed_at": insert.excluded.claimed_at},
        where=or_(task_claims.c.due_key != insert.excluded.due_key, task_claims.c.claimed_at < stale_before),
    ).returning(task_claims.c.target_id)
    won: set[int] = set()
    for start in range(0, len(rows), 500):
        won.update(int(r[0]) for r in connection.execute(statement, rows[start:start + 500]))
    return won
