"""The Fever API, call by call, against the protocol's public description (feedafever.com/api)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from readerapi_fixtures import cheap_password_hashing
from sqlalchemy import select
from web_helpers import T0, Data, Seeded

from syndic.accounts.reader_api import set_api_password
from syndic.accounts.users import create_user
from syndic.library.streams import folder_id
from syndic.store import Store, reading, schema
from syndic.web import WebSettings, create_app

ANN_KEY = hashlib.md5(b"ann:ann-app-password-1").hexdigest()  # what a Fever client computes
BOB_KEY = hashlib.md5(b"bob:bob-app-password-2").hexdigest()



__all__ = ["cheap_password_hashing"]


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every protocol test on SQLite and on PostgreSQL."""
    return any_store

@pytest.fixture
def fever(store: Store, seeded: Seeded) -> Iterator[TestClient]:
    create_user(store, "ann", "ann login password", is_admin=True)
    create_user(store, "bob", "bob login password")
    set_api_password(store, "ann", "ann-app-password-1")
    set_api_password(store, "bob", "bob-app-password-2")
    with store.engine.begin() as conn:
        conn.execute(schema.feeds.update().where(schema.feeds.c.id == seeded.feeds["news"]).values(category="Local"))
    with TestClient(create_app(store, WebSettings(fever_api=True))) as client:
        yield client


def call(client: TestClient, query: str, key: str = ANN_KEY, status: int = 200, **form: Any) -> dict[str, Any]:
    answer = client.post(f"/fever/?api&{query}", data={"api_key": key, **form})
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert body["api_version"] == 3
    return body


def state(store: Store, entry_id: int, username: str = "ann") -> tuple[bool, bool]:
    """The user's own read/starred flags on the entry (per user: store/reading.py)."""
    with store.engine.connect() as conn:
        user_id = conn.execute(select(schema.users.c.id).where(schema.users.c.username == username)).scalar_one()
        flags = reading.entry_state(conn, user_id, entry_id)
    return flags.read, flags.starred


def test_off_until_enabled(store: Store) -> None:
    with TestClient(create_app(store, WebSettings())) as client:
        assert client.post("/fever/?api", data={"api_key": ANN_KEY}).status_code == 404


def test_auth(fever: TestClient) -> None:
    assert call(fever, "")["auth"] == 1
    assert call(fever, "", key=ANN_KEY.upper())["auth"] == 1
    for key in ["", "0" * 32, hashlib.md5(b"ann:ann login password").hexdigest(), "zz"]:
        body = call(fever, "items", key=key)
        assert body == {"api_version": 3, "auth": 0}  # nothing but the refusal
    assert fever.get(f"/fever/?api&api_key={ANN_KEY}").json()["auth"] == 1  # some clients send it in the query
    assert fever.post("/fever/", data={"api_key": ANN_KEY}).status_code == 404  # not the API without ?api


def test_groups_feeds_favicons_links(fever: TestClient, seeded: Seeded) -> None:
    body = call(fever, "groups")
    local = folder_id("Local")
    assert body["groups"] == [{"id": local, "title": "Local"}]
    assert body["feeds_groups"] == [{"group_id": local, "feed_ids": str(seeded.feeds["news"])}]
    feeds = {f["id"]: f for f in call(fever, "feeds")["feeds"]}
    news = feeds[seeded.feeds["news"]]
    assert news["title"] == "Daily News" and news["url"] == "http://news.example/feed.xml"
    assert news["site_url"] == "http://news.example/" and news["is_spark"] == 0 and news["favicon_id"] == 1
    favicons = call(fever, "favicons")["favicons"]
    assert favicons[0]["id"] == 1 and favicons[0]["data"].startswith("image/gif;base64,")
    assert call(fever, "links")["links"] == []


def test_items_since_max_with_ids(fever: TestClient, data: Data, seeded: Seeded) -> None:
    extra = [data.entry(seeded.feeds["news"], f"http://news.example/n{i}", f"Note {i}",
                        published=T0 + timedelta(minutes=i)) for i in range(60)]
    first = call(fever, "items&since_id=0")
    ids = [i["id"] for i in first["items"]]
    assert len(ids) == 50 and ids == sorted(ids) and first["total_items"] == 63  # the copy is not an item
    assert seeded.entries["copy"] not in ids
    rest = call(fever, f"items&since_id={ids[-1]}")
    assert [i["id"] for i in rest["items"]] == sorted(set(extra + [seeded.entries[k] for k in ("harbour", "xss", "undated")]))[50:]
    newest = call(fever, "items&max_id=0")["items"]
    assert [i["id"] for i in newest] == sorted(extra, reverse=True)[:50]
    older = call(fever, f"items&max_id={extra[10]}")["items"]
    assert [i["id"] for i in older] == sorted([*extra[:10], seeded.entries["harbour"], seeded.entries["xss"], seeded.entries["undated"]], reverse=True)
    picked = call(fever, f"items&with_ids={seeded.entries['harbour']},{seeded.entries['xss']},999999")["items"]
    harbour = next(i for i in picked if i["id"] == seeded.entries["harbour"])
    assert len(picked) == 2
    assert "Traffic returned within the hour." in harbour["html"] and harbour["url"] == "http://news.example/harbour"
    assert harbour["feed_id"] == seeded.feeds["news"] and harbour["author"] == "Ann Reporter"
    assert harbour["is_read"] == 0 and harbour["is_saved"] == 0 and harbour["created_on_time"] == int(T0.timestamp())
    xss = next(i for i in picked if i["id"] == seeded.entries["xss"])["html"]
    assert "<script" not in xss and "onerror" not in xss
    for bad in ["items&since_id=abc", "items&with_ids=1,x", "items&with_ids=" + ",".join(map(str, range(1, 60)))]:
        assert "error" in call(fever, bad, status=400)


def test_mark_items_read_saved(fever: TestClient, store: Store, seeded: Seeded) -> None:
    harbour = seeded.entries["harbour"]
    call(fever, "", mark="item", **{"as": "read"}, id=str(harbour))
    call(fever, "", mark="item", **{"as": "saved"}, id=str(harbour))
    assert state(store, harbour) == (True, True)
    unread = call(fever, "unread_item_ids")["unread_item_ids"]
    assert str(harbour) not in unread.split(",")
    assert sorted(unread.split(",")) == sorted(str(seeded.entries[k]) for k in ("xss", "undated"))
    assert call(fever, "saved_item_ids")["saved_item_ids"] == str(harbour)
    call(fever, "", mark="item", **{"as": "unread"}, id=str(harbour))
    call(fever, "", mark="item", **{"as": "unsaved"}, id=str(harbour))
    assert state(store, harbour) == (False, False)


def test_mark_feed_and_group_before(fever: TestClient, store: Store, data: Data, seeded: Seeded) -> None:
    late = data.entry(seeded.feeds["news"], "http://news.example/late", "Late")
    with store.engine.begin() as conn:
        conn.execute(schema.entries.update().where(schema.entries.c.id == late).values(first_seen_at=T0 + timedelta(days=2)))
    before = str(int((T0 + timedelta(days=1)).timestamp()))
    call(fever, "", mark="group", **{"as": "read"}, id=str(folder_id("Local")), before=before)
    assert state(store, seeded.entries["harbour"])[0] and state(store, seeded.entries["undated"])[0]
    assert not state(store, late)[0] and not state(store, seeded.entries["xss"])[0]
    call(fever, "", mark="feed", **{"as": "read"}, id=str(seeded.feeds["blog"]), before=before)
    assert state(store, seeded.entries["xss"])[0]
    call(fever, "", mark="group", **{"as": "read"}, id="0", before=str(int((T0 + timedelta(days=3)).timestamp())))
    assert state(store, late)[0]


def test_bad_marks_change_nothing(fever: TestClient, store: Store, seeded: Seeded) -> None:
    harbour = seeded.entries["harbour"]
    for form in [{"mark": "item", "as": "read"}, {"mark": "item", "as": "read", "id": "x"},
                 {"mark": "item", "as": "shiny", "id": str(harbour)}, {"mark": "feed", "as": "saved", "id": "1"},
                 {"mark": "feed", "as": "read", "id": str(seeded.feeds["news"]), "before": "yesterday"},
                 {"mark": "planet", "as": "read", "id": "1"}]:
        assert "error" in call(fever, "", status=400, **form), form
    call(fever, "", mark="item", **{"as": "read"}, id="999999")  # no such item: nothing to change
    call(fever, "", mark="group", **{"as": "read"}, id="12345")  # no such group
    assert all(state(store, e) == (False, False) for e in seeded.entries.values())
    assert call(fever, "", key=BOB_KEY, mark="item", **{"as": "read"}, id=str(harbour))["auth"] == 1


def test_state_is_each_users_own(fever: TestClient, store: Store, seeded: Seeded) -> None:
    harbour = seeded.entries["harbour"]
    call(fever, "", key=BOB_KEY, mark="item", **{"as": "saved"}, id=str(harbour))
    call(fever, "", key=BOB_KEY, mark="group", **{"as": "read"}, id="0")
    assert state(store, harbour, "bob") == (True, True)
    assert state(store, harbour, "ann") == (False, False)
    assert str(harbour) in call(fever, "unread_item_ids")["unread_item_ids"].split(",")
    assert call(fever, "unread_item_ids", key=BOB_KEY)["unread_item_ids"] == ""
    assert call(fever, "saved_item_ids")["saved_item_ids"] == ""
    mine = call(fever, f"items&with_ids={harbour}", key=BOB_KEY)["items"][0]
    theirs = call(fever, f"items&with_ids={harbour}")["items"][0]
    assert (mine["is_read"], mine["is_saved"], theirs["is_read"], theirs["is_saved"]) == (1, 1, 0, 0)


def test_odd_numbers_are_refused_never_a_crash(fever: TestClient, store: Store, seeded: Seeded) -> None:
    for value in ["9" * 19, str(2**63), "-" + "9" * 19, "²", "٣", "1e3", "\x00"]:
        quoted = quote(value)
        for query, form in [(f"items&since_id={quoted}", {}), (f"items&max_id={quoted}", {}), (f"items&with_ids={quoted}", {}),
                            ("", {"mark": "item", "as": "read", "id": value}),
                            ("", {"mark": "feed", "as": "read", "id": "1", "before": value})]:
            answer = fever.post(f"/fever/?api&{query}", data={"api_key": ANN_KEY, **form})
            assert answer.status_code in (200, 400), (query, form, answer.status_code)
    assert all(state(store, e) == (False, False) for e in seeded.entries.values())
