"""Attack (issue #13, finding 6): forged WebSub verifications.

On main before the fix, `GET /websub/N?hub.mode=subscribe&hub.topic=<the
feed's self URL>&hub.challenge=X&hub.lease_seconds=999999999` from anyone
answered X and kept the feed "pushed" until 2058 (polled every 12 h);
`hub.mode=denied` was accepted the same way; `hub.lease_seconds=1e20` gave
a 500. Now only a request syndic made and is waiting on is verified, the
lease is clamped to 1 h … 30 days, malformed numbers are a 400, and a
denial counts only for a pending or active subscription.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from syndic.store import Store, schema
from syndic.web import create_app

TOPIC = "https://news.example/feed.xml"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(any_store: Store) -> Iterator[tuple[TestClient, Store, int]]:
    with any_store.engine.begin() as conn:
        feed_id = int(conn.execute(insert(schema.feeds).values(
            url=TOPIC, created_at=T0, hub_url="https://hub.example/", websub_topic=TOPIC, websub_secret="s" * 32,
        )).inserted_primary_key[0])
    with TestClient(create_app(any_store)) as client:
        yield client, any_store, feed_id


def _set(store: Store, feed_id: int, **values: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(schema.feeds).where(schema.feeds.c.id == feed_id).values(**values))


def _feed(store: Store, feed_id: int) -> Any:
    with store.engine.connect() as conn:
        return conn.execute(select(schema.feeds).where(schema.feeds.c.id == feed_id)).one()


def _verify(client: TestClient, feed_id: int, **params: str) -> Any:
    query = {"hub.topic": TOPIC, "hub.challenge": "forged-challenge", **params}
    return client.get(f"/websub/{feed_id}", params=query)


def test_a_forged_subscribe_for_an_active_subscription_is_not_answered(world: tuple[TestClient, Store, int]) -> None:
    client, store, feed_id = world
    until = datetime.now(UTC) + timedelta(days=2)
    _set(store, feed_id, websub_state="subscribed", websub_lease_until=until, websub_pending=None)
    answer = _verify(client, feed_id, **{"hub.mode": "subscribe", "hub.lease_seconds": "999999999"})
    assert answer.status_code == 404 and "forged-challenge" not in answer.text
    assert abs((_feed(store, feed_id).websub_lease_until - until).total_seconds()) < 1  # lease untouched


def test_a_denial_counts_only_for_a_pending_or_active_subscription(world: tuple[TestClient, Store, int]) -> None:
    client, store, feed_id = world
    assert _verify(client, feed_id, **{"hub.mode": "denied"}).status_code == 404  # nothing asked, nothing active
    assert _feed(store, feed_id).websub_state is None
    _set(store, feed_id, websub_state="subscribed", websub_lease_until=datetime.now(UTC) + timedelta(days=1))
    wrong_topic = client.get(f"/websub/{feed_id}", params={"hub.mode": "denied", "hub.topic": "https://x.example/"})
    assert wrong_topic.status_code == 404 and _feed(store, feed_id).websub_state == "subscribed"
    assert _verify(client, feed_id, **{"hub.mode": "denied"}).status_code == 200
    assert _feed(store, feed_id).websub_state == "denied"


@pytest.mark.parametrize("lease", ["1e20", "-5", "3600.5", "9" * 40, "", "٣٦٠٠"])
def test_malformed_leases_are_a_400(world: tuple[TestClient, Store, int], lease: str) -> None:
    client, store, feed_id = world
    _set(store, feed_id, websub_pending="subscribe")
    answer = _verify(client, feed_id, **{"hub.mode": "subscribe", "hub.lease_seconds": lease})
    assert answer.status_code == 400 and "forged-challenge" not in answer.text
    assert _feed(store, feed_id).websub_pending == "subscribe"  # still waiting for the real hub


@pytest.mark.parametrize(("asked", "granted"), [("999999999", 30 * 24 * 3600), ("5", 3600), ("86400", 86400)])
def test_the_lease_of_a_request_we_made_is_clamped(world: tuple[TestClient, Store, int], asked: str, granted: int) -> None:
    client, store, feed_id = world
    _set(store, feed_id, websub_pending="subscribe")
    before = datetime.now(UTC)
    answer = _verify(client, feed_id, **{"hub.mode": "subscribe", "hub.lease_seconds": asked})
    assert answer.status_code == 200 and answer.text == "forged-challenge"
    feed = _feed(store, feed_id)
    assert feed.websub_state == "subscribed" and feed.websub_pending is None
    assert abs((feed.websub_lease_until - before).total_seconds() - granted) < 30


def test_an_unknown_mode_is_a_400(world: tuple[TestClient, Store, int]) -> None:
    client, _, feed_id = world
    assert _verify(client, feed_id, **{"hub.mode": "publish"}).status_code == 400
