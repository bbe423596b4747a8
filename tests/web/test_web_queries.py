"""The reader's queries (store/views.py) and every page, on SQLite and on PostgreSQL (`any_store`)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from web_helpers import HTML, T0, Data, log_in, seed

from syndic.accounts import create_token, create_user
from syndic.store import Store, reading, views
from syndic.store.views import Cursor, EntryFilter
from syndic.web import create_app


def walk(store: Store, flt: EntryFilter, limit: int) -> list[int]:
    ids: list[int] = []
    cursor = None
    with store.engine.connect() as conn:
        while True:
            rows, cursor = views.list_entries(conn, flt, limit=limit, cursor=cursor)
            ids += [int(r.id) for r in rows]
            if cursor is None:
                return ids


def test_keyset_pages_cover_everything_once_with_ties_and_undated(any_store: Store) -> None:
    data = Data(any_store)
    feed = data.feed("http://f.example/rss")
    same_time = [data.entry(feed, f"tie{i}", f"tie {i}", published=T0) for i in range(3)]
    older = data.entry(feed, "older", "older", published=T0 - timedelta(days=1))
    newer = data.entry(feed, "newer", "newer", published=T0 + timedelta(days=1))
    undated = [data.entry(feed, f"undated{i}", "undated", published=None) for i in range(2)]
    expected = [newer, *reversed(same_time), older, *reversed(undated)]
    for limit in (1, 2, 3, 10):
        assert walk(any_store, EntryFilter(), limit) == expected, limit
    with any_store.engine.connect() as conn:
        rows, _ = views.list_entries(conn, EntryFilter(), limit=10)
        by_id = {int(r.id): r for r in rows}
        assert views.neighbours(conn, EntryFilter(), by_id[older]) == (same_time[0], undated[1])
        assert views.neighbours(conn, EntryFilter(), by_id[undated[1]]) == (older, undated[0])
        assert views.neighbours(conn, EntryFilter(), by_id[newer]) == (None, same_time[2])


def test_cursor_round_trip_and_garbage() -> None:
    cursor = Cursor(T0, 42)
    assert Cursor.decode(cursor.encode()) == cursor
    assert Cursor.decode(Cursor(None, 7).encode()) == Cursor(None, 7)
    for garbage in ("", "x", "1_", "_1", "99999999999999999999999999_1", "n_x"):
        assert Cursor.decode(garbage) is None


def test_counts_unread_per_feed_and_mark_all_read_per_user(any_store: Store) -> None:
    seeded = seed(Data(any_store))
    ann = create_user(any_store, "ann", "correct horse battery staple")
    bob = create_user(any_store, "bob", "correct horse battery staple")
    with any_store.engine.begin() as conn:
        assert reading.state_counts(conn, ann) == {"unread": 4, "starred": 0}
        unread = {r.title: r.unread for r in views.list_feeds(conn, ann)}
        assert unread == {"Daily News": 2, "Copy Blog": 2}
        reading.set_entry_state(conn, ann, seeded.entries["copy"], starred=True)
        flt = EntryFilter(view="unread", feed_id=seeded.feeds["blog"], user_id=ann)
        assert views.mark_all_read(conn, flt) == 2
        assert views.mark_all_read(conn, flt) == 0
        assert reading.state_counts(conn, ann) == {"unread": 2, "starred": 1}
        # Bob's state is his own: nothing Ann did shows for him
        assert reading.state_counts(conn, bob) == {"unread": 4, "starred": 0}
        assert {r.title: r.unread for r in views.list_feeds(conn, bob)} == {"Daily News": 2, "Copy Blog": 2}
        rows, _ = views.list_entries(conn, EntryFilter(view="unread", user_id=bob), limit=10)
        assert len(rows) == 4 and not any(r.read or r.starred for r in rows)
        rows, _ = views.list_entries(conn, EntryFilter(view="starred", user_id=ann), limit=10)
        assert [r.id for r in rows] == [seeded.entries["copy"]] and rows[0].starred and rows[0].read


PAGES = [
    "/?view=all", "/?view=unread", "/?view=starred", "/?view=all&feed_id={news}", "/?view=all&campaign_id={c}",
    "/entries/{harbour}", "/entries/{undated}", "/articles/{copy}", "/search?q=harbour", "/feeds", "/campaigns",
    "/campaigns/{c}", "/campaigns/new", "/metrics",
]
API = [
    "/feeds", "/entries?limit=2", "/entries?unread=true&since=2026-01-01T00:00:00Z", "/entries/{harbour}",
    "/articles?limit=2", "/articles/{original}", "/stories", "/stories/{story}", "/campaigns", "/search?q=harbour",
]


def test_every_page_and_api_call_works_on_both_engines(any_store: Store) -> None:
    seeded = seed(Data(any_store))
    create_user(any_store, "admin", "correct horse battery staple", is_admin=True)
    token = create_token(any_store, "t", "admin", ("read", "write", "admin"))
    ids = {"news": seeded.feeds["news"], "c": seeded.campaign_id, "harbour": seeded.entries["harbour"],
           "undated": seeded.entries["undated"], "copy": seeded.articles["copy"],
           "original": seeded.articles["original"], "story": seeded.story_id}
    with TestClient(create_app(any_store), follow_redirects=False) as client:
        log_in(client)
        for path in PAGES:
            response = client.get(path.format(**ids), headers=HTML, follow_redirects=True)
            assert response.status_code == 200, (path, response.text[:500])
        client.cookies.clear()
        for path in API:
            response = client.get("/api/v1" + path.format(**ids), headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, (path, response.text[:500])
            assert response.json()
