"""Attack (issue #13, findings 3 and secrets): WordPress application passwords and webhook secrets are write-only.

On main before the fix any API token read every campaign's `app_password`
and webhook secret from /api/v1/campaigns, and the campaign page printed
them. Now no page, API answer, feed or log line carries a stored secret —
not even to an admin — and saving the shown config back keeps the secret.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from web_helpers import HTML, PASSWORD, Data, log_in, seed

from syndic.accounts import create_token, create_user
from syndic.publish import run_campaign
from syndic.publish.campaigns import parse_config
from syndic.store import Store, schema
from syndic.web import WebSettings, create_app

APP_PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"
HOOK_SECRET = "whsec-0123456789-abcdefghij"
WORDPRESS = {"destination": {"type": "wordpress", "url": "http://127.0.0.1:9/", "username": "editor",
                             "app_password": APP_PASSWORD}}
WEBHOOK = {"destination": {"type": "webhook", "url": "http://127.0.0.1:9/hook", "secret": HOOK_SECRET}}


@pytest.fixture
def world(any_store: Store) -> Iterator[tuple[Store, dict[str, int], str]]:
    data = Data(any_store)
    seeded = seed(data)
    ids = {"wordpress": seeded.campaign_id, "webhook": data.campaign("Hooks", [seeded.feeds["news"]], config=WEBHOOK)}
    with any_store.engine.begin() as conn:
        conn.execute(update(schema.campaigns).where(schema.campaigns.c.id == ids["wordpress"])
                     .values(config=WORDPRESS, public=True))
    owner = create_user(any_store, "admin", PASSWORD, is_admin=True)
    yield any_store, ids, create_token(any_store, "admin-app", owner, ("read", "write", "admin"))


def _stored(store: Store, campaign_id: int) -> dict:  # type: ignore[type-arg]
    with store.engine.connect() as conn:
        return dict(conn.execute(select(schema.campaigns.c.config).where(schema.campaigns.c.id == campaign_id)).scalar_one())


def test_no_page_api_answer_or_feed_shows_a_stored_secret(world: tuple[Store, dict[str, int], str]) -> None:
    store, ids, token = world
    bearer = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(store, WebSettings(public_feeds_allowed=True)), follow_redirects=False) as client:
        shown = [client.get("/api/v1/campaigns", headers=bearer).text]
        shown += [client.get(f"/api/v1/campaigns/{i}", headers=bearer).text for i in ids.values()]
        shown += [client.get(f"/full/campaigns/{ids['wordpress']}.{fmt}").text for fmt in ("rss", "atom", "json")]
        log_in(client)
        shown += [client.get(f"/campaigns/{i}", headers=HTML).text for i in ids.values()]
        shown.append(client.get("/campaigns", headers=HTML).text)
    everything = "\n".join(shown)
    assert APP_PASSWORD not in everything and HOOK_SECRET not in everything
    assert APP_PASSWORD.replace(" ", "") not in everything
    # … and the API says a secret is set without showing it
    answer = shown[1] if '"wordpress"' in shown[1] else shown[2]
    assert "(stored; not shown)" in answer


def test_saving_back_what_the_api_showed_keeps_the_secret_and_a_new_address_needs_it_again(
    world: tuple[Store, dict[str, int], str],
) -> None:
    store, ids, token = world
    bearer = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(store), follow_redirects=False) as client:
        shown = client.get(f"/api/v1/campaigns/{ids['webhook']}", headers=bearer).json()
        body = {k: shown[k] for k in ("name", "config", "enabled", "public", "feed_ids")}
        assert client.put(f"/api/v1/campaigns/{ids['webhook']}", json=body, headers=bearer).status_code == 200
        assert _stored(store, ids["webhook"])["destination"]["secret"] == HOOK_SECRET
        # pointing the campaign somewhere else does not carry the stored secret there
        body["config"]["destination"]["url"] = "https://attacker.example/collect"
        moved = client.put(f"/api/v1/campaigns/{ids['webhook']}", json=body, headers=bearer)
        assert moved.status_code == 422 and "secret" in moved.text
        assert _stored(store, ids["webhook"])["destination"]["url"] == "http://127.0.0.1:9/hook"


def test_secrets_never_reach_a_log_line(world: tuple[Store, dict[str, int], str], caplog: pytest.LogCaptureFixture,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    store, ids, _ = world
    monkeypatch.delenv("SYNDIC_ALLOW_NETWORKS", raising=False)
    caplog.set_level(logging.DEBUG)
    for campaign_id in ids.values():
        run_campaign(store, campaign_id)  # the destinations are refused by the address guard and logged
    destination = parse_config(WORDPRESS).destination
    logged = caplog.text + repr(destination) + repr(parse_config(WEBHOOK).destination)
    with store.engine.connect() as conn:
        logged += "\n".join(str(d) for d in conn.execute(select(schema.post_log.c.detail)).scalars())
        logged += "\n".join(str(e) for e in conn.execute(select(schema.posts.c.last_error)).scalars())
    assert APP_PASSWORD not in logged and HOOK_SECRET not in logged
