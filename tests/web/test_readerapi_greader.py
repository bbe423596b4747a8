"""The Google Reader API, endpoint by endpoint, against the protocol as FreshRSS and Miniflux serve it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from readerapi_fixtures import cheap_password_hashing
from sqlalchemy import select
from web_helpers import T0, Data, RecordingActions, Seeded

from syndic.accounts.reader_api import set_api_password
from syndic.accounts.users import create_user
from syndic.store import Store, reading, schema
from syndic.web import WebSettings, create_app
from syndic.web.readerapi.greader import long_item_id

API_PASSWORD = "ann-app-password-1"
BOB_PASSWORD = "bob-app-password-2"
STATE = "user/-/state/com.google/"



__all__ = ["cheap_password_hashing"]


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every protocol test on SQLite and on PostgreSQL."""
    return any_store

@pytest.fixture
def api(store: Store, seeded: Seeded, actions: RecordingActions) -> Iterator[TestClient]:
    create_user(store, "ann", "ann login password", is_admin=True)
    create_user(store, "bob", "bob login password", is_admin=False)
    set_api_password(store, "ann", API_PASSWORD)
    set_api_password(store, "bob", BOB_PASSWORD)
    app = create_app(store, WebSettings(greader_api=True), actions.as_web_actions())
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def login(client: TestClient, user: str = "ann", password: str = API_PASSWORD, base: str = "/api/greader") -> dict[str, str]:
    answer = client.post(f"{base}/accounts/ClientLogin", data={"Email": user, "Passwd": password})
    assert answer.status_code == 200, answer.text
    lines = dict(line.split("=", 1) for line in answer.text.strip().splitlines())
    assert lines["SID"] == lines["Auth"] and lines["LSID"] == "null"
    return {"Authorization": f"GoogleLogin auth={lines['Auth']}"}


def reader_state(store: Store, entry_id: int, username: str = "ann") -> tuple[bool, bool]:
    """The user's own read/starred flags on the entry (per user: store/reading.py)."""
    with store.engine.connect() as conn:
        user_id = conn.execute(select(schema.users.c.id).where(schema.users.c.username == username)).scalar_one()
        flags = reading.entry_state(conn, user_id, entry_id)
    return flags.read, flags.starred


def test_off_until_enabled(store: Store, seeded: Seeded) -> None:
    create_user(store, "ann", "ann login password")
    set_api_password(store, "ann", API_PASSWORD)
    with TestClient(create_app(store, WebSettings())) as client:
        answer = client.post("/api/greader/accounts/ClientLogin", data={"Email": "ann", "Passwd": API_PASSWORD})
        assert answer.status_code == 404
        assert client.get("/reader/api/0/subscription/list").status_code == 404


@pytest.mark.parametrize("base", ["", "/api/greader", "/api/greader.php"])
def test_client_login_on_every_base(api: TestClient, base: str) -> None:
    headers = login(api, base=base)
    info = api.get(f"{base}/reader/api/0/user-info", headers=headers)
    assert info.status_code == 200 and info.json()["userName"] == "ann"
    token = api.get(f"{base}/reader/api/0/token", headers=headers)
    assert token.status_code == 200 and len(token.text) == 57


def test_wrong_credentials(api: TestClient) -> None:
    for data in [{"Email": "ann", "Passwd": "ann login password"}, {"Email": "ann", "Passwd": "wrong"},
                 {"Email": "nobody", "Passwd": API_PASSWORD}, {"Email": "ann"}, {}]:
        answer = api.post("/api/greader/accounts/ClientLogin", data=data)
        assert answer.status_code == 403 and answer.text.strip() == "Error=BadAuthentication"
    for headers in [{}, {"Authorization": "GoogleLogin auth=1/" + "0" * 64}, {"Authorization": "GoogleLogin auth=junk"},
                    {"Authorization": "Basic YW5uOnB3"}]:
        assert api.get("/api/greader/reader/api/0/subscription/list", headers=headers).status_code == 401


def test_login_attempts_are_limited(api: TestClient) -> None:
    codes = [api.post("/accounts/ClientLogin", data={"Email": "ann", "Passwd": f"guess{i}"}).status_code
             for i in range(7)]
    assert codes[:5] == [403] * 5 and codes[-1] == 429


def test_subscriptions_and_tags(api: TestClient, store: Store, seeded: Seeded) -> None:
    with store.engine.begin() as conn:
        conn.execute(schema.feeds.update().where(schema.feeds.c.id == seeded.feeds["news"]).values(category="Local"))
    headers = login(api)
    subs = api.get("/api/greader/reader/api/0/subscription/list?output=json", headers=headers).json()["subscriptions"]
    by_id = {s["id"]: s for s in subs}
    news = by_id[f"feed/{seeded.feeds['news']}"]
    assert news["title"] == "Daily News" and news["url"] == "http://news.example/feed.xml"
    assert news["htmlUrl"] == "http://news.example/" and news["categories"][0]["label"] == "Local"
    assert by_id[f"feed/{seeded.feeds['blog']}"]["categories"] == []
    tags = api.get("/api/greader/reader/api/0/tag/list", headers=headers).json()["tags"]
    ids = [t["id"] for t in tags]
    assert any(i.endswith("/state/com.google/starred") for i in ids)
    assert any(i.endswith("/label/Local") and t.get("type") == "folder" for i, t in zip(ids, tags, strict=True))


def _contents(api: TestClient, headers: dict[str, str], stream: str = "", **params: Any) -> dict[str, Any]:
    path = "/api/greader/reader/api/0/stream/contents" + (f"/{stream}" if stream else "")
    answer = api.get(path, headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_stream_contents_full_text_original_and_one_item_per_story(api: TestClient, seeded: Seeded) -> None:
    headers = login(api)
    body = _contents(api, headers, STATE + "reading-list")
    items = {i["id"]: i for i in body["items"]}
    # the blog's copy of the harbour story is not repeated
    assert long_item_id(seeded.entries["copy"]) not in items
    assert set(items) == {long_item_id(seeded.entries[k]) for k in ("harbour", "xss", "undated")}
    harbour = items[long_item_id(seeded.entries["harbour"])]
    assert "Traffic returned within the hour." in harbour["content"]["content"]  # the article, not the feed's summary
    assert harbour["summary"]["content"] == harbour["content"]["content"]
    assert harbour["canonical"] == [{"href": "http://news.example/harbour"}]
    assert harbour["alternate"][0]["href"] == "http://news.example/harbour"
    assert harbour["origin"]["streamId"] == f"feed/{seeded.feeds['news']}" and harbour["author"] == "Ann Reporter"
    assert any(c.endswith("/state/com.google/reading-list") for c in harbour["categories"])
    assert int(harbour["timestampUsec"]) == int(T0.timestamp() * 1_000_000)
    undated = items[long_item_id(seeded.entries["undated"])]
    assert "Only a summary" in undated["content"]["content"]
    # newest first by default, oldest first with r=o
    order = [i["id"] for i in body["items"]]
    assert order == sorted(order, reverse=True)
    assert [i["id"] for i in _contents(api, headers, r="o")["items"]] == sorted(order)


def test_copy_is_served_when_its_feed_is_asked_for(api: TestClient, seeded: Seeded) -> None:
    headers = login(api)
    # one item per story: the copy is the earlier entry's story, so it stays hidden in its own feed too
    blog = _contents(api, headers, f"feed/{seeded.feeds['blog']}")
    assert [i["id"] for i in blog["items"]] == [long_item_id(seeded.entries["xss"])]
    xss = blog["items"][0]["content"]["content"]
    assert "Before the payloads." in xss and "After the payloads." in xss
    for payload in ["<script", "onerror", "javascript:", "<iframe", "onclick"]:
        assert payload not in xss.lower()


def test_continuation_and_n(api: TestClient, data: Data, seeded: Seeded) -> None:
    for i in range(25):
        data.entry(seeded.feeds["news"], f"http://news.example/n{i}", f"Note {i}", published=T0 + timedelta(minutes=i))
    headers = login(api)
    seen: list[str] = []
    continuation = None
    while True:
        params: dict[str, Any] = {"n": 10} | ({"c": continuation} if continuation else {})
        body = _contents(api, headers, **params)
        seen += [i["id"] for i in body["items"]]
        continuation = body.get("continuation")
        if not continuation:
            break
    assert len(seen) == len(set(seen)) == 28
    huge = _contents(api, headers, n=1_000_000)
    assert len(huge["items"]) == 28 and "continuation" not in huge
    for bad in [{"n": "0"}, {"n": "-3"}, {"n": "many"}, {"c": "abc"}, {"ot": "yesterday"}]:
        assert api.get("/api/greader/reader/api/0/stream/contents", headers=headers, params=bad).status_code == 400


def test_filters_ot_nt_xt_it(api: TestClient, store: Store, data: Data, seeded: Seeded) -> None:
    late = data.entry(seeded.feeds["news"], "http://news.example/late", "Late arrival", published=T0 - timedelta(days=3))
    with store.engine.begin() as conn:
        conn.execute(schema.entries.update().where(schema.entries.c.id == late).values(first_seen_at=T0 + timedelta(days=1)))
    headers = login(api)
    since = int((T0 + timedelta(hours=1)).timestamp())
    newer = _contents(api, headers, ot=since)["items"]
    assert [i["id"] for i in newer] == [long_item_id(late)]  # crawl time, not the publisher's date
    older = _contents(api, headers, nt=since)["items"]
    assert long_item_id(late) not in [i["id"] for i in older] and len(older) == 3
    api.post("/api/greader/reader/api/0/edit-tag", headers=headers,
             data={"i": long_item_id(seeded.entries["harbour"]), "a": STATE + "read"})
    unread = _contents(api, headers, xt=STATE + "read")["items"]
    assert long_item_id(seeded.entries["harbour"]) not in [i["id"] for i in unread] and len(unread) == 3
    only_read = _contents(api, headers, it=STATE + "read")["items"]
    assert [i["id"] for i in only_read] == [long_item_id(seeded.entries["harbour"])]
    ids = api.get("/api/greader/reader/api/0/stream/items/ids", headers=headers,
                  params={"s": STATE + "reading-list", "xt": STATE + "read", "n": 2}).json()
    assert len(ids["itemRefs"]) == 2 and "continuation" in ids
    assert all(ref["id"].isdigit() for ref in ids["itemRefs"])


def test_items_contents_by_long_short_and_decimal_ids(api: TestClient, seeded: Seeded) -> None:
    headers = login(api)
    entry = seeded.entries["harbour"]
    for form in [long_item_id(entry), str(entry), f"{entry:016x}"]:
        body = api.post("/api/greader/reader/api/0/stream/items/contents", headers=headers, data={"i": form}).json()
        assert [i["id"] for i in body["items"]] == [long_item_id(entry)], form
    both = api.post("/api/greader/reader/api/0/stream/items/contents", headers=headers,
                    data={"i": [str(entry), long_item_id(seeded.entries["xss"]), "999999"]}).json()
    assert len(both["items"]) == 2  # an unknown id is simply not there
    assert api.post("/api/greader/reader/api/0/stream/items/contents", headers=headers, data={"i": "tag:nonsense"}).status_code == 400
    assert api.post("/api/greader/reader/api/0/stream/items/contents", headers=headers, data={}).status_code == 400


def test_edit_tag_read_starred_labels(api: TestClient, store: Store, seeded: Seeded) -> None:
    headers = login(api)
    token = api.get("/api/greader/reader/api/0/token", headers=headers).text
    entry = seeded.entries["harbour"]
    edit = "/api/greader/reader/api/0/edit-tag"
    answer = api.post(edit, headers=headers, data={"i": long_item_id(entry), "a": [STATE + "read", STATE + "starred"], "T": token})
    assert answer.status_code == 200 and answer.text == "OK"
    assert reader_state(store, entry) == (True, True)
    api.post(edit, headers=headers, data={"i": str(entry), "r": STATE + "read", "a": STATE + "kept-unread", "T": token})
    assert reader_state(store, entry) == (False, True)
    api.post(edit, headers=headers, data={"i": str(entry), "r": STATE + "starred"})
    assert reader_state(store, entry) == (False, False)
    api.post(edit, headers=headers, data={"i": str(entry), "a": "user/-/label/Bridges"})
    labelled = _contents(api, headers, "user/-/label/Bridges")["items"]
    assert [i["id"] for i in labelled] == [long_item_id(entry)]
    assert any(c.endswith("/label/Bridges") for c in labelled[0]["categories"])
    tags = [t["id"] for t in api.get("/api/greader/reader/api/0/tag/list", headers=headers).json()["tags"]]
    assert any(t.endswith("/label/Bridges") for t in tags)
    api.post(edit, headers=headers, data={"i": str(entry), "r": "user/-/label/Bridges"})
    assert _contents(api, headers, "user/-/label/Bridges")["items"] == []
    starred = _contents(api, headers, STATE + "starred")["items"]
    assert starred == []


def test_malformed_edit_tag_changes_nothing(api: TestClient, store: Store, seeded: Seeded) -> None:
    headers = login(api)
    entry = seeded.entries["harbour"]
    edit = "/api/greader/reader/api/0/edit-tag"
    bad_bodies: list[dict[str, Any]] = [
        {"a": STATE + "read"},  # no item
        {"i": str(entry)},  # nothing to change
        {"i": [str(entry), "not-an-id"], "a": STATE + "read"},  # one malformed id: none changed
        {"i": str(entry), "a": "user/-/state/com.google/shiny"},
        {"i": str(entry), "a": "bogus"},
        {"i": "999999", "a": STATE + "read"},  # no such item
        {"i": str(2**64), "a": STATE + "read"},
    ]
    for body in bad_bodies:
        answer = api.post(edit, headers=headers, data=body)
        assert answer.status_code == 400, (body, answer.text)
    assert reader_state(store, entry) == (False, False)


def test_another_users_action_token_is_refused(api: TestClient, store: Store, seeded: Seeded) -> None:
    ann = login(api)
    bob = login(api, "bob", BOB_PASSWORD)
    bob_token = api.get("/api/greader/reader/api/0/token", headers=bob).text
    entry = seeded.entries["harbour"]
    answer = api.post("/api/greader/reader/api/0/edit-tag", headers=ann,
                      data={"i": str(entry), "a": STATE + "read", "T": bob_token})
    assert answer.status_code == 401 and answer.headers["X-Reader-Google-Bad-Token"] == "true"
    assert reader_state(store, entry) == (False, False)


def test_unread_count_and_mark_all_as_read(api: TestClient, store: Store, data: Data, seeded: Seeded) -> None:
    headers = login(api)
    counts = {c["id"].split("/", 2)[-1] if c["id"].startswith("user/") else c["id"]: c["count"]
              for c in api.get("/api/greader/reader/api/0/unread-count?output=json", headers=headers).json()["unreadcounts"]}
    assert counts[f"feed/{seeded.feeds['news']}"] == 2 and counts[f"feed/{seeded.feeds['blog']}"] == 1
    assert counts["state/com.google/reading-list"] == 3
    late = data.entry(seeded.feeds["news"], "http://news.example/after", "After the click")
    with store.engine.begin() as conn:
        conn.execute(schema.entries.update().where(schema.entries.c.id == late).values(first_seen_at=T0 + timedelta(days=2)))
    stamp = int((T0 + timedelta(days=1)).timestamp() * 1_000_000)
    mark = "/api/greader/reader/api/0/mark-all-as-read"
    assert api.post(mark, headers=headers, data={"s": "feed/999999"}).status_code == 400
    assert api.post(mark, headers=headers, data={"s": "feed/x", "ts": "soon"}).status_code == 400
    answer = api.post(mark, headers=headers, data={"s": f"feed/{seeded.feeds['news']}", "ts": str(stamp)})
    assert answer.status_code == 200 and answer.text == "OK"
    assert reader_state(store, seeded.entries["harbour"])[0] and reader_state(store, seeded.entries["undated"])[0]
    assert not reader_state(store, late)[0]  # arrived after the app's list was drawn
    assert not reader_state(store, seeded.entries["xss"])[0]  # another feed


def test_subscription_edit_quickadd_export(api: TestClient, store: Store, seeded: Seeded, actions: RecordingActions) -> None:
    headers = login(api)
    base = "/api/greader/reader/api/0/subscription"
    added = api.post(f"{base}/quickadd", headers=headers, data={"quickadd": "http://new.example/feed"})
    assert added.status_code == 200, added.text
    stream = added.json()["streamId"]
    assert api.post(f"{base}/edit", headers=headers,
                    data={"ac": "edit", "s": stream, "t": "Renamed", "a": "user/-/label/Fresh"}).text == "OK"
    subs = {s["id"]: s for s in api.get(f"{base}/list", headers=headers).json()["subscriptions"]}
    assert subs[stream]["title"] == "Renamed" and subs[stream]["categories"][0]["label"] == "Fresh"
    assert api.post(f"{base}/edit", headers=headers, data={"ac": "unsubscribe", "s": stream}).text == "OK"
    assert stream not in {s["id"] for s in api.get(f"{base}/list", headers=headers).json()["subscriptions"]}
    assert api.post(f"{base}/edit", headers=headers, data={"ac": "unsubscribe", "s": "feed/999999"}).status_code == 400
    assert api.post(f"{base}/edit", headers=headers, data={"ac": "dance", "s": stream}).status_code == 400
    subscribed = api.post(f"{base}/edit", headers=headers, data={"ac": "subscribe", "s": "feed/http://other.example/rss"})
    assert subscribed.text == "OK"
    assert api.post(f"{base}/quickadd", headers=headers, data={"quickadd": "http://nothing.example/"}).status_code == 400
    assert api.post(f"{base}/quickadd", headers=headers, data={"quickadd": "javascript:alert(1)"}).status_code == 400
    export = api.get(f"{base}/export", headers=headers)
    assert export.status_code == 200 and b"<opml" in export.content
    # a reader (not admin) cannot change the shared feed list
    bob = login(api, "bob", BOB_PASSWORD)
    refused = api.post(f"{base}/edit", headers=bob, data={"ac": "unsubscribe", "s": f"feed/{seeded.feeds['news']}"})
    assert refused.status_code == 403
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.feeds.c.id).where(schema.feeds.c.id == seeded.feeds["news"])).first()


def test_atom_stream_for_feedhq_clients(api: TestClient, seeded: Seeded) -> None:
    headers = login(api)
    api.post("/api/greader/reader/api/0/edit-tag", headers=headers,
             data={"i": str(seeded.entries["harbour"]), "a": STATE + "read"})
    answer = api.get(f"/reader/atom/feed%2F{seeded.feeds['news']}?n=20", headers=headers)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    import feedparser

    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo and parsed.feed.title == "Daily News"
    by_id = {e.id: e for e in parsed.entries}
    harbour = by_id[long_item_id(seeded.entries["harbour"])]
    assert "Traffic returned within the hour." in harbour.content[0].value
    labels = {t.get("label") for t in harbour.tags}
    assert "read" in labels and "fresh" not in labels
    undated = by_id[long_item_id(seeded.entries["undated"])]
    assert "fresh" in {t.get("label") for t in undated.tags}


def test_state_is_each_users_own(api: TestClient, store: Store, seeded: Seeded) -> None:
    ann, bob = login(api), login(api, "bob", BOB_PASSWORD)
    entry = seeded.entries["harbour"]
    api.post("/api/greader/reader/api/0/edit-tag", headers=bob,
             data={"i": str(entry), "a": [STATE + "read", STATE + "starred"]})
    api.post("/api/greader/reader/api/0/mark-all-as-read", headers=bob, data={"s": STATE + "reading-list"})
    assert reader_state(store, entry, "bob") == (True, True) and reader_state(store, entry, "ann") == (False, False)
    assert _contents(api, bob, xt=STATE + "read")["items"] == []
    assert len(_contents(api, ann, xt=STATE + "read")["items"]) == 3
    assert _contents(api, ann, STATE + "starred")["items"] == []

    def total(headers: dict[str, str]) -> int:
        counts = api.get("/api/greader/reader/api/0/unread-count", headers=headers).json()["unreadcounts"]
        return next(c["count"] for c in counts if c["id"].endswith("/state/com.google/reading-list"))

    assert (total(ann), total(bob)) == (3, 0)
    # labels are each user's own too
    api.post("/api/greader/reader/api/0/edit-tag", headers=bob, data={"i": str(entry), "a": "user/-/label/Mine"})
    assert _contents(api, ann, "user/-/label/Mine")["items"] == []
    assert len(_contents(api, bob, "user/-/label/Mine")["items"]) == 1


def test_rename_and_disable_tag(api: TestClient, store: Store, seeded: Seeded) -> None:
    with store.engine.begin() as conn:
        conn.execute(schema.feeds.update().where(schema.feeds.c.id == seeded.feeds["news"]).values(category="Local"))
    headers = login(api)
    entry = seeded.entries["xss"]
    api.post("/api/greader/reader/api/0/edit-tag", headers=headers, data={"i": str(entry), "a": "user/-/label/Later"})
    rename = "/api/greader/reader/api/0/rename-tag"
    # folders are shared: a reader's rename or disable leaves them as they are
    bob = login(api, "bob", BOB_PASSWORD)
    assert api.post(rename, headers=bob, data={"s": "user/-/label/Local", "dest": "user/-/label/Mine"}).text == "OK"
    assert api.post("/api/greader/reader/api/0/disable-tag", headers=bob, data={"s": "user/-/label/Local"}).text == "OK"
    assert len(_contents(api, headers, "user/-/label/Local")["items"]) == 2
    assert api.post(rename, headers=headers, data={"s": "user/-/label/Later", "dest": "user/-/label/Soon"}).text == "OK"
    assert api.post(rename, headers=headers, data={"s": "user/-/label/Local", "dest": "user/-/label/Nearby"}).text == "OK"
    assert [i["id"] for i in _contents(api, headers, "user/-/label/Soon")["items"]] == [long_item_id(entry)]
    assert _contents(api, headers, "user/-/label/Later")["items"] == []
    nearby = {i["id"] for i in _contents(api, headers, "user/-/label/Nearby")["items"]}
    assert nearby == {long_item_id(seeded.entries["harbour"]), long_item_id(seeded.entries["undated"])}
    assert api.post(rename, headers=headers, data={"s": "user/-/label/Soon"}).status_code == 400
    assert api.post(rename, headers=headers, data={"s": "feed/1", "dest": "user/-/label/X"}).status_code == 400
    disable = "/api/greader/reader/api/0/disable-tag"
    assert api.post(disable, headers=headers, data={"s": "user/-/label/Soon"}).text == "OK"
    assert api.post(disable, headers=headers, data={"s": "user/-/label/Nearby"}).text == "OK"
    tags = [t["id"] for t in api.get("/api/greader/reader/api/0/tag/list", headers=headers).json()["tags"]]
    assert not any("/label/" in t for t in tags)
    assert api.post(disable, headers=headers, data={"s": "nonsense"}).status_code == 400


ODD_VALUES = ["9" * 19, str(2**63), "-" + "9" * 19, "²", "٣", "1e3", " 7 ", "\x00", "feed/" + "9" * 30, "user/-/label/" + "x" * 300,
              "user/-/state/com.google/" + "z" * 50, "tag:google.com,2005:reader/item/" + "f" * 16, "0"]


@pytest.mark.parametrize("param", ["n", "c", "ot", "nt", "xt", "it", "s", "r"])
def test_odd_values_are_refused_or_answered_never_a_crash(api: TestClient, param: str) -> None:
    headers = login(api)
    for value in ODD_VALUES:
        for path in ["stream/contents", "stream/items/ids"]:
            answer = api.get(f"/api/greader/reader/api/0/{path}", headers=headers, params={param: value})
            assert answer.status_code in (200, 400), (path, param, value, answer.status_code)
    for value in ODD_VALUES:
        for path, field in [("stream/items/contents", "i"), ("edit-tag", "i"), ("mark-all-as-read", "s"), ("mark-all-as-read", "ts")]:
            data = {field: value, "a": STATE + "read", "s": STATE + "reading-list"} | {field: value}
            answer = api.post(f"/api/greader/reader/api/0/{path}", headers=headers, data=data)
            assert answer.status_code in (200, 400), (path, field, value, answer.status_code)
