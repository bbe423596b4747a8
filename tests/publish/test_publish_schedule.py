"""Campaigns on their schedules: once per period, one run at a time, one catch-up run after downtime."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from syndic.publish import CampaignBusy, due_campaigns, run_campaign, run_due, run_scheduled, save_campaign
from syndic.publish.schedule import acquire, claim_slot, next_slot, release
from syndic.store import open_store, schema

from .conftest import T0
from .test_publish_campaigns import Receiver, webhook_config

HOUR = timedelta(hours=1)


def test_next_slot_keeps_the_grid_and_skips_missed_slots() -> None:
    due = T0
    assert next_slot(due, HOUR, T0) == T0 + HOUR
    assert next_slot(due, HOUR, T0 + timedelta(minutes=59)) == T0 + HOUR
    assert next_slot(due, HOUR, T0 + HOUR) == T0 + 2 * HOUR
    assert next_slot(due, HOUR, T0 + timedelta(hours=10, minutes=5)) == T0 + 11 * HOUR  # one run, no burst
    assert next_slot(None, HOUR, T0) == T0 + HOUR


def _campaign(store, data, receiver):  # type: ignore[no-untyped-def]
    feed = data.feed("https://sched.example/rss", title="Sched")
    stories = []
    for i in range(2):
        story = data.story()
        art = data.article(f"https://sched.example/a{i}", story_id=story, original=True)
        data.entry(feed, f"a{i}", art, first_seen_at=T0)
        stories.append(story)
    cid = save_campaign(
        store, "hourly", webhook_config(receiver.url, schedule={"every_minutes": 60}), [feed], now=T0
    )
    return cid, feed, stories


def test_fires_once_per_period_and_catches_up_once(store, server, data) -> None:  # type: ignore[no-untyped-def]
    receiver = Receiver(server)
    cid, feed, stories = _campaign(store, data, receiver)

    first = run_due(store, T0)
    assert [r.campaign_id for r in first] == [cid] and sorted(first[0].created) == sorted(stories)
    assert len(receiver.accepted) == 2
    # many scheduler rounds inside the period run nothing
    for minutes in (0, 1, 30, 59):
        assert run_due(store, T0 + timedelta(minutes=minutes)) == []

    # a new story arrives; the next period posts it, and only it
    story = data.story()
    art = data.article("https://sched.example/b", story_id=story, original=True)
    data.entry(feed, "b", art, first_seen_at=T0 + timedelta(minutes=20))
    second = run_due(store, T0 + HOUR)
    assert len(second) == 1 and second[0].created == [story]
    assert [e.event for e in second[0].deliveries] == ["created"]
    assert len(receiver.accepted) == 3 and len(receiver.calls) == 3

    # the server was down for ten hours: one run when it is back, then the old rhythm
    back = T0 + timedelta(hours=11, minutes=7)
    assert len(run_due(store, back)) == 1
    assert run_due(store, back + timedelta(minutes=1)) == []
    with store.engine.connect() as conn:
        nxt = conn.execute(select(schema.campaigns.c.next_run_at)).scalar_one()
    assert nxt.replace(tzinfo=None) == (T0 + 12 * HOUR).replace(tzinfo=None)
    assert len(receiver.calls) == 3  # nothing posted twice
    with store.engine.connect() as conn:
        runs = conn.execute(
            select(schema.post_log.c.detail).where(schema.post_log.c.event == "run").order_by(schema.post_log.c.id)
        ).scalars().all()
    assert len(runs) == 3 and all(r.startswith("scheduled for") for r in runs)


def test_never_twice_at_once(store, server, data) -> None:  # type: ignore[no-untyped-def]
    receiver = Receiver(server)
    cid, _feed, _stories = _campaign(store, data, receiver)
    lease = claim_slot(store, cid, T0, HOUR)
    assert lease is not None
    # a second scheduler for the same slot, a scheduled run, a run by hand: all refused while it runs
    assert claim_slot(store, cid, T0, HOUR) is None
    with pytest.raises(CampaignBusy, match="already running"):
        run_campaign(store, cid, now=T0)
    release(store, lease, T0)
    # a runner that died keeps its lease only until it expires
    acquire(store, cid, T0 + HOUR)
    assert due_campaigns(store, T0 + timedelta(minutes=70)) == []
    assert run_scheduled(store, cid, now=T0 + timedelta(minutes=70)) is None
    assert run_scheduled(store, cid, now=T0 + 2 * HOUR) is not None
    # a cluster task queued for a slot that has passed does nothing
    assert run_scheduled(store, cid, now=T0 + 5 * HOUR, expected_due="2026-01-01T00:00:00+00:00") is None


def test_nothing_posted_twice_after_a_restart(store, server, data) -> None:  # type: ignore[no-untyped-def]
    receiver = Receiver(server)
    _campaign(store, data, receiver)
    run_due(store, T0)
    assert len(receiver.calls) == 2
    # the process restarts: a new store on the same database, a round at the same instant and later
    again = open_store(store.engine.url.render_as_string(hide_password=False), run_migrations=False)
    try:
        assert run_due(again, T0) == []
        later = run_due(again, T0 + HOUR)
        assert len(later) == 1 and later[0].created == [] and later[0].deliveries == []
    finally:
        again.close()
    assert len(receiver.calls) == 2 and len(receiver.accepted) == 2


def test_the_serve_loop_runs_a_due_campaign_once(store, server, data) -> None:  # type: ignore[no-untyped-def]
    from syndic.services.serve import campaigns_forever

    receiver = Receiver(server)
    _campaign(store, data, receiver)

    async def some_rounds() -> None:
        task = asyncio.create_task(campaigns_forever(store, every=0.05))
        await asyncio.sleep(1.0)
        task.cancel()

    asyncio.run(some_rounds())
    assert len(receiver.calls) == 2  # twenty rounds, one period: one run


def test_only_stories_newer_than_the_campaign_backfill_and_per_feed_limit(store, server, data) -> None:  # type: ignore[no-untyped-def]
    receiver = Receiver(server)
    feeds = [data.feed(f"https://pf{i}.example/rss", title=f"F{i}") for i in range(2)]
    made: dict[str, int] = {}
    for i, (feed, seen) in enumerate([(0, -3), (0, -2), (0, 1), (0, 2), (0, 3), (1, 1)]):
        story = data.story()
        art = data.article(f"https://pf.example/s{i}", story_id=story, original=True,
                           published=T0 + timedelta(minutes=seen))
        data.entry(feeds[feed], f"s{i}", art, first_seen_at=T0 + timedelta(minutes=seen))
        made[f"s{i}"] = story
    config = webhook_config(receiver.url, backfill=1, max_per_feed=2)
    cid = save_campaign(store, "limits", config, feeds, now=T0)
    first = run_campaign(store, cid, now=T0 + timedelta(minutes=5))
    # feed 0: s4, s3 (newest first, two per feed); feed 1: s5; s0/s1 are older than the campaign
    assert sorted(first.created) == sorted([made["s4"], made["s3"], made["s5"]])
    assert first.over_feed_limit == 2 and first.older == 1  # s2 and s1 wait; s0 is beyond the back-fill of 1
    second = run_campaign(store, cid, now=T0 + timedelta(minutes=10))
    assert sorted(second.created) == sorted([made["s2"], made["s1"]])  # the one back-filled story, once
    third = run_campaign(store, cid, now=T0 + timedelta(minutes=15))
    assert third.created == [] and third.older == 1
    assert len(receiver.accepted) == 5


def test_a_failed_delivery_is_retried_between_runs(store, server, data) -> None:  # type: ignore[no-untyped-def]
    receiver = Receiver(server)
    receiver.statuses = [503, 503]
    _campaign(store, data, receiver)
    first = run_due(store, T0)
    assert sorted(e.event for e in first[0].deliveries) == ["retry", "retry"]
    assert run_due(store, T0 + timedelta(seconds=10)) == []  # not yet: backoff
    assert len(receiver.calls) == 2
    assert run_due(store, T0 + timedelta(minutes=2)) == []  # no campaign run, but the retries went out
    assert len(receiver.accepted) == 2
    with store.engine.connect() as conn:
        assert set(conn.execute(select(schema.posts.c.state)).scalars()) == {"sent"}
        runs = conn.execute(select(schema.post_log).where(schema.post_log.c.event == "run")).all()
    assert len(runs) == 1


def test_campaign_due_for_cron(sqlite_store, server) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from syndic.cli import main

    from .conftest import Data

    receiver = Receiver(server)
    data = Data(sqlite_store)
    _campaign(sqlite_store, data, receiver)
    url = sqlite_store.engine.url.render_as_string(hide_password=False)
    first = CliRunner().invoke(main, ["--database", url, "campaign", "due"])
    assert first.exit_code == 0, first.output
    assert "2 new" in first.output and len(receiver.accepted) == 2
    again = CliRunner().invoke(main, ["--database", url, "campaign", "due"])
    assert again.exit_code == 0 and "no campaign was due" in again.output


def test_a_campaign_that_cannot_run_says_so_once_per_slot(store, server, data) -> None:  # type: ignore[no-untyped-def]
    receiver = Receiver(server)
    cid, _feed, _stories = _campaign(store, data, receiver)
    other = save_campaign(store, "other", webhook_config(receiver.url), [_feed], now=T0)
    with store.engine.begin() as conn:  # a config stored before today's rules (or edited in the database)
        conn.execute(schema.campaigns.update().where(schema.campaigns.c.id == cid)
                     .values(config={"status": "live"}))
    assert [r.campaign_id for r in run_due(store, T0)] == [other]  # the others still run
    for minutes in (1, 2, 30):
        run_due(store, T0 + timedelta(minutes=minutes))
    with store.engine.connect() as conn:
        failed = conn.execute(select(schema.post_log.c.detail).where(
            schema.post_log.c.event == "run-failed")).scalars().all()
    assert len(failed) == 1 and "status must be one of" in failed[0]
