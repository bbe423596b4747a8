"""When campaigns run: their schedule, and a lease so that one campaign never runs twice at once.

A campaign's `next_run_at` is its next slot. Starting a scheduled run is one
conditional UPDATE that takes the run lease *and* moves `next_run_at` to the
next slot, on the condition that nobody else holds the lease and that
`next_run_at` is still the value this process read. Two schedulers (two
`syndic serve`, a serve and a Celery beat, a beat run twice) racing for the
same slot: exactly one UPDATE matches, the other starts nothing. That is the
whole "fires once per period" guarantee; it needs no clock agreement.

Catching up after downtime without a burst: the next slot is the first one of
the campaign's grid (`next_run_at + k × period`) that lies in the future, so
a server that was off for ten periods runs the campaign once when it comes
back, then keeps its old rhythm. Missed periods are not replayed: the one
catch-up run sees every story that arrived meanwhile (per-run and per-feed
limits still hold).

The lease (`run_lease_until`, `run_lease_holder`) also guards "Run now" and
`syndic campaign run`: a campaign already running says so instead of running
a second time. A runner killed mid-run leaves a lease that expires after
`RUN_LEASE`; the outbox's own per-post claim keeps a half-done delivery from
being sent twice either way.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select, update

from syndic.clock import as_utc
from syndic.errors import PublishError
from syndic.store import schema
from syndic.store.claims import due_key
from syndic.store.database import Store

log = logging.getLogger("syndic.publish.schedule")

RUN_LEASE = timedelta(minutes=30)


class CampaignBusy(PublishError):
    """The campaign is being run by another process (its lease has not expired)."""

    def __init__(self, campaign_id: int, until: datetime | None) -> None:
        when = f" (lease until {until.isoformat(timespec='seconds')})" if until else ""
        super().__init__(f"campaign {campaign_id} is already running{when}", retryable=True)
        self.campaign_id = campaign_id


def next_slot(due: datetime | None, period: timedelta, now: datetime) -> datetime:
    """The first slot of the campaign's grid after `now` (one run for any number of missed slots)."""
    if due is None or due > now:
        return now + period
    missed = (now - due) // period
    return due + (missed + 1) * period


@dataclass(frozen=True)
class Lease:
    campaign_id: int
    holder: str
    scheduled_for: datetime | None  # the slot this run is for; None for a run started by hand


def _lease_free(now: datetime) -> object:
    c = schema.campaigns
    return or_(c.c.run_lease_until.is_(None), c.c.run_lease_until < now)


def acquire(store: Store, campaign_id: int, now: datetime, *, holder: str | None = None) -> Lease:
    """Take the run lease for a run started by hand; CampaignBusy while another run holds it."""
    c = schema.campaigns
    holder = holder or uuid.uuid4().hex
    with store.engine.begin() as conn:
        taken = conn.execute(
            update(c)
            .where(c.c.id == campaign_id, _lease_free(now))  # type: ignore[arg-type]
            .values(run_lease_until=now + RUN_LEASE, run_lease_holder=holder)
        ).rowcount
        if not taken:
            until = conn.execute(select(c.c.run_lease_until).where(c.c.id == campaign_id)).scalar()
            raise CampaignBusy(campaign_id, as_utc(until))
    return Lease(campaign_id, holder, None)


def claim_slot(
    store: Store, campaign_id: int, now: datetime, period: timedelta, *, expected_due: str | None = None
) -> Lease | None:
    """Start the scheduled run of a due campaign: move its schedule and take its lease, or None.

    None when the campaign is not due, disabled, already running, or another
    scheduler claimed this slot first; `expected_due` (a claim key from
    `store.claims.due_key`) additionally requires the slot to be that one,
    which is how a Celery task queued for an old slot is dropped.
    """
    c = schema.campaigns
    with store.engine.begin() as conn:
        row = conn.execute(
            select(c.c.next_run_at, c.c.enabled).where(c.c.id == campaign_id)
        ).first()
        if row is None or not row.enabled:
            return None
        due = as_utc(row.next_run_at)
        if due is not None and due > now:
            return None
        if expected_due is not None and due_key(row.next_run_at) != expected_due:
            return None
        same_slot = c.c.next_run_at.is_(None) if row.next_run_at is None else c.c.next_run_at == row.next_run_at
        holder = uuid.uuid4().hex
        won = conn.execute(
            update(c)
            .where(and_(c.c.id == campaign_id, same_slot, _lease_free(now)))  # type: ignore[arg-type]
            .values(
                next_run_at=next_slot(due, period, now),
                run_lease_until=now + RUN_LEASE,
                run_lease_holder=holder,
            )
        ).rowcount
    return Lease(campaign_id, holder, due or now) if won else None


def release(store: Store, lease: Lease, now: datetime) -> None:
    """End the run: record when it ran and free the lease (only if it is still ours)."""
    c = schema.campaigns
    with store.engine.begin() as conn:
        conn.execute(
            update(c)
            .where(c.c.id == lease.campaign_id, c.c.run_lease_holder == lease.holder)
            .values(run_lease_until=None, run_lease_holder=None, last_run_at=now)
        )


def due_campaigns(store: Store, now: datetime | None = None) -> list[int]:
    """Enabled campaigns whose next slot has come and that nobody is running."""
    now = now or datetime.now(UTC)
    c = schema.campaigns
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                select(c.c.id)
                .where(
                    c.c.enabled.is_(True),
                    or_(c.c.next_run_at.is_(None), c.c.next_run_at <= now),
                    _lease_free(now),  # type: ignore[arg-type]
                )
                .order_by(c.c.next_run_at, c.c.id)
            ).scalars()
        )
