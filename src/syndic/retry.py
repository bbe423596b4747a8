"""When a failed item is tried again, and when it is given up: decided without I/O.

An entry whose page could not be had, or whose processing raised, must
neither block the batch (it is only its own business) nor be retried
forever (a poison item would cost every poll). This module is the one
policy for that, as plain functions over plain values, so the process
pipeline and the Celery tasks decide alike and tests need no network or
database:

    pending ──try──▶ done
       │
       └─fails──▶ failed (reason, attempts, next try at now + backoff)
                    │  due again: tried like a pending entry
                    └─ permanent error, or attempts spent ──▶ given_up (reason kept)

`syndic retry` puts given_up (and failed) entries back to pending with
their attempts reset.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

EntryState = Literal["pending", "done", "failed", "given_up"]

PENDING: Final = "pending"
DONE: Final = "done"
FAILED: Final = "failed"
GIVEN_UP: Final = "given_up"
STATES: Final[tuple[str, ...]] = (PENDING, DONE, FAILED, GIVEN_UP)
TERMINAL: Final[frozenset[str]] = frozenset({DONE, GIVEN_UP})
WAITING: Final[tuple[str, ...]] = (PENDING, FAILED)
"""States an extraction is still owed in (a failed entry once its next try is due)."""


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff: about `base`·2^(attempt-1), capped at `cap`, jittered down to half."""

    base: timedelta = timedelta(minutes=5)
    cap: timedelta = timedelta(hours=6)

    def delay(self, attempt: int, rng: random.Random | None = None) -> timedelta:
        """The wait before try number `attempt + 1`, after `attempt` failures (attempt ≥ 1).

        Jitter spreads the retries of entries that failed together (one host
        down) so they do not all come back in the same second.
        """
        exponent = min(max(attempt - 1, 0), 32)  # 2**32 · base is past any cap; never an overflow
        ceiling = min(self.cap.total_seconds(), self.base.total_seconds() * (2 ** exponent))
        return timedelta(seconds=ceiling * (rng or random).uniform(0.5, 1.0))


@dataclass(frozen=True)
class Decision:
    """What to write on an item after a failed try."""

    state: EntryState
    attempts: int
    next_at: datetime | None
    """When to try again (None once given up)."""


def after_failure(
    attempts_before: int, *, max_attempts: int, retryable: bool, now: datetime,
    backoff: Backoff = Backoff(), rng: random.Random | None = None,
) -> Decision:
    """The item's state after one more failed try.

    A permanent error (a page without an article, a 404, a refused address)
    is given up at once: trying again would get the same answer. A
    transient one (timeout, 5xx, a bug that raised, the database down) waits
    its backoff, until `max_attempts` tries were spent.
    """
    attempts = max(attempts_before, 0) + 1
    if not retryable or attempts >= max(max_attempts, 1):
        return Decision(GIVEN_UP, attempts, None)
    return Decision(FAILED, attempts, now + backoff.delay(attempts, rng))


def is_due(state: str, next_at: datetime | None, now: datetime) -> bool:
    """Whether an entry in `state` should be tried now."""
    if state == PENDING:
        return True
    return state == FAILED and (next_at is None or next_at <= now)
