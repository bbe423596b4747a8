"""Attack (issue #13, finding 3): roles, per-user read/star state, tokens owned by a user with scopes.

On today's main a user made with `--no-admin` read campaign pages, made a
feed's full-text output public and ran campaigns; any API token read every
campaign; read/star state was shared by every user. Each test here makes
that request and expects the refusal (on SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from web_helpers import HTML, PASSWORD, Data, RecordingActions, Seeded, log_in, seed

from syndic.accounts import create_token, create_user
from syndic.accounts.tokens import list_tokens, revoke_token
from syndic.cli import main
from syndic.store import Store, reading, schema
from syndic.web import WebSettings, create_app


@pytest.fixture
def world(any_store: Store) -> Iterator[tuple[Store, Seeded, RecordingActions]]:
    data = Data(any_store)
    seeded = seed(data)
    create_user(any_store, "admin", PASSWORD, is_admin=True)
    create_user(any_store, "reader", PASSWORD, is_admin=False)
    yield any_store, seeded, RecordingActions(data)


def _client(store: Store, actions: RecordingActions) -> TestClient:
    return TestClient(create_app(store, WebSettings(), actions.as_web_actions()), follow_redirects=False)


def _public(store: Store, feed_id: int) -> bool:
    with store.engine.connect() as conn:
        return bool(conn.execute(select(schema.feeds.c.public).where(schema.feeds.c.id == feed_id)).scalar())


def test_a_reader_cannot_manage_feeds_or_campaigns(world: tuple[Store, Seeded, RecordingActions]) -> None:
    store, seeded, actions = world
    with _client(store, actions) as client:
        csrf = log_in(client, "reader")
        for path in ("/campaigns", "/campaigns/new", f"/campaigns/{seeded.campaign_id}",
                     f"/campaigns/{seeded.campaign_id}/review"):
            assert client.get(path, headers=HTML).status_code == 403, path
        feed = seeded.feeds["news"]
        assert client.post(f"/feeds/{feed}/public", data={"csrf_token": csrf, "public": "1"}).status_code == 403
        assert not _public(store, feed)
        assert client.post(f"/campaigns/{seeded.campaign_id}/run", data={"csrf_token": csrf}).status_code == 403
        assert actions.campaign_runs == []
        created = client.post("/campaigns/new", data={"csrf_token": csrf, "name": "mine", "config": "{}"})
        assert created.status_code == 403
        assert client.post(f"/feeds/{feed}/delete", data={"csrf_token": csrf}).status_code == 403
        decided = client.post(f"/campaigns/{seeded.campaign_id}/review/1", data={"csrf_token": csrf, "action": "approve"})
        assert decided.status_code == 403
        # what a reader may do still works, and management is not offered
        assert client.post(f"/entries/{seeded.entries['harbour']}/star", data={"csrf_token": csrf}).status_code == 303
        feeds_page = client.get("/feeds", headers=HTML).text
        assert f"/feeds/{feed}/public" not in feeds_page and 'href="/campaigns"' not in feeds_page
    with _client(store, actions) as client:
        csrf = log_in(client, "admin")
        assert client.post(f"/feeds/{feed}/public", data={"csrf_token": csrf, "public": "1"}).status_code == 303
        assert _public(store, feed)
        assert client.get(f"/campaigns/{seeded.campaign_id}", headers=HTML).status_code == 200


def test_read_and_star_state_belong_to_each_user(world: tuple[Store, Seeded, RecordingActions]) -> None:
    store, seeded, actions = world
    entry = seeded.entries["harbour"]
    with _client(store, actions) as reader:
        csrf = log_in(reader, "reader")
        reader.post(f"/entries/{entry}/star", data={"csrf_token": csrf, "starred": "1"})
        reader.get(f"/entries/{entry}", headers=HTML)  # opening it marks it read — for the reader only
        assert "Harbour bridge reopens" in reader.get("/?view=starred", headers=HTML).text
    with _client(store, actions) as admin:
        log_in(admin, "admin")
        assert "Harbour bridge reopens" not in admin.get("/?view=starred", headers=HTML).text
        assert "Harbour bridge reopens" in admin.get("/?view=unread", headers=HTML).text
    reader_token = create_token(store, "reader-app", "reader")
    admin_token = create_token(store, "admin-app", "admin")
    with _client(store, actions) as api:
        mine = api.get(f"/api/v1/entries/{entry}", headers={"Authorization": f"Bearer {reader_token}"}).json()
        theirs = api.get(f"/api/v1/entries/{entry}", headers={"Authorization": f"Bearer {admin_token}"}).json()
        assert (mine["read"], mine["starred"]) == (True, True)
        assert (theirs["read"], theirs["starred"]) == (False, False)
        api.patch(f"/api/v1/entries/{entry}", json={"starred": True}, headers={"Authorization": f"Bearer {admin_token}"})
        feeds = api.get("/api/v1/feeds", headers={"Authorization": f"Bearer {reader_token}"}).json()
        assert {f["title"]: f["unread"] for f in feeds}["Daily News"] == 1
    with store.engine.connect() as conn:
        ids = dict(conn.execute(select(schema.users.c.username, schema.users.c.id)).all())
        assert reading.starred_entry_ids(conn, ids["admin"]) == [entry]
        assert reading.read_entry_ids(conn, ids["admin"]) == []
        assert reading.read_entry_ids(conn, ids["reader"]) == [entry]


def test_token_scopes_are_capped_by_the_owners_role(world: tuple[Store, Seeded, RecordingActions]) -> None:
    store, seeded, actions = world
    entry = seeded.entries["harbour"]
    reader_admin_scope = create_token(store, "sneaky", "reader", ("read", "write", "admin"))
    admin_read_only = create_token(store, "ro", "admin", ("read",))
    admin_full = create_token(store, "full", "admin", ("read", "write", "admin"))
    with _client(store, actions) as api:
        def call(method: str, path: str, token: str, **kw: object) -> int:
            return api.request(method, "/api/v1" + path, headers={"Authorization": f"Bearer {token}"}, **kw).status_code  # type: ignore[arg-type]

        # a reader's token never reaches campaigns (destinations, secrets), whatever scopes it claims
        assert call("GET", "/campaigns", reader_admin_scope) == 403
        assert call("GET", f"/campaigns/{seeded.campaign_id}", reader_admin_scope) == 403
        assert call("POST", "/campaigns", reader_admin_scope, json={"name": "x", "config": {}}) == 403
        assert call("GET", "/feeds", reader_admin_scope) == 200
        # an admin's read-only token reads, and changes nothing
        assert call("GET", "/entries", admin_read_only) == 200
        assert call("PATCH", f"/entries/{entry}", admin_read_only, json={"read": True}) == 403
        assert call("GET", "/campaigns", admin_read_only) == 403
        assert call("GET", "/campaigns", admin_full) == 200


def test_tokens_without_an_owner_are_refused_and_can_be_listed_and_revoked(
    world: tuple[Store, Seeded, RecordingActions],
) -> None:
    store, _, actions = world
    orphan = create_token(store, "orphan", "reader")
    with store.engine.begin() as conn:
        conn.execute(update(schema.api_tokens).where(schema.api_tokens.c.name == "orphan").values(user_id=None))
    kept = create_token(store, "kept", "reader")
    with _client(store, actions) as api:
        assert api.get("/api/v1/feeds", headers={"Authorization": f"Bearer {orphan}"}).status_code == 401
        assert api.get("/api/v1/feeds", headers={"Authorization": f"Bearer {kept}"}).status_code == 200
    listed = {t.name: t for t in list_tokens(store)}
    assert listed["kept"].username == "reader" and listed["kept"].scopes == ("read", "write")
    assert revoke_token(store, listed["kept"].id) == 1
    with _client(store, actions) as api:
        assert api.get("/api/v1/feeds", headers={"Authorization": f"Bearer {kept}"}).status_code == 401


def test_token_cli_create_list_revoke(sqlite_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    url = str(sqlite_store.engine.url)
    monkeypatch.setenv("SYNDIC_DATABASE_URL", url)
    create_user(sqlite_store, "admin", PASSWORD, is_admin=True)
    runner = CliRunner()
    made = runner.invoke(main, ["token", "create", "script", "--scope", "read"])
    assert made.exit_code == 0 and made.output.strip().startswith("syn_")
    listed = runner.invoke(main, ["token", "list"])
    assert "script" in listed.output and "admin" in listed.output and made.output.strip() not in listed.output
    bad = runner.invoke(main, ["token", "create", "x", "--scope", "root"])
    assert bad.exit_code != 0 and "unknown scope" in bad.output
    token_id = listed.output.split()[0]
    assert runner.invoke(main, ["token", "revoke", token_id]).exit_code == 0
    assert list_tokens(sqlite_store) == []


def test_every_campaign_and_feed_management_route_refuses_a_reader(world: tuple[Store, Seeded, RecordingActions]) -> None:
    """Walks the app's routes, so a management page added later is covered without editing this test."""
    from starlette.routing import Route

    store, seeded, actions = world
    app = create_app(store, WebSettings(), actions.as_web_actions())

    def walk(routes: list[object]) -> list[Route]:
        found: list[Route] = []
        for route in routes:
            if isinstance(route, Route):
                found.append(route)
            inner = getattr(route, "original_router", None) or getattr(route, "router", None)
            if inner is not None and getattr(inner, "routes", None) is not None:
                found += walk(list(inner.routes))
        return found

    managed = [r for r in walk(list(app.routes))
               if r.path.startswith("/campaigns") or r.path.startswith("/feeds/{feed_id}")]
    assert len(managed) >= 8
    ids = {"campaign_id": seeded.campaign_id, "feed_id": seeded.feeds["news"], "post_id": 1}
    with TestClient(app, follow_redirects=False) as client:
        csrf = log_in(client, "reader")
        for route in managed:
            path = route.path.format(**ids)
            for method in sorted(route.methods or ()):
                if method == "HEAD":
                    continue
                answer = client.request(method, path, headers=HTML, data={"csrf_token": csrf, "action": "approve"})
                assert answer.status_code == 403, (method, route.path, answer.status_code)
    assert actions.campaign_runs == [] and not _public(store, seeded.feeds["news"])
