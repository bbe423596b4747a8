"""The reader's pages over a seeded store: lists, the article view, actions, feeds, campaigns."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from web_helpers import HTML, RecordingActions, Seeded, csrf_of

from syndic.store import Store, reading, schema

Client = tuple[TestClient, str]


def titles(html: str) -> list[str]:
    return re.findall(r'class="entry-title" href="[^"]+">([^<]+)</a>', html)


def entry_state(store: Store, entry_id: int, username: str = "admin") -> tuple[bool, bool]:
    """The logged-in user's own flags on the entry (read state is per user)."""
    with store.engine.connect() as conn:
        user_id = conn.execute(select(schema.users.c.id).where(schema.users.c.username == username)).scalar_one()
        state = reading.entry_state(conn, user_id, entry_id)
    return state.read, state.starred


def test_views_list_entries_newest_first_undated_last(logged_in: Client, seeded: Seeded) -> None:
    client, _ = logged_in
    page = client.get("/?view=all", headers=HTML)
    # the copy is part of the harbour story, which is listed once (by its first entry)
    assert titles(page.text) == ["Payload article", "Harbour bridge reopens", "Undated note"]
    assert titles(client.get(f"/?view=all&feed_id={seeded.feeds['news']}", headers=HTML).text) == [
        "Harbour bridge reopens", "Undated note"]
    assert titles(client.get(f"/?view=unread&campaign_id={seeded.campaign_id}", headers=HTML).text) == [
        "Harbour bridge reopens", "Undated note"]
    assert titles(client.get("/?view=starred", headers=HTML).text) == []


def test_pagination_walks_every_entry_once(logged_in: Client, seeded: Seeded, store: Store) -> None:
    from syndic.web import WebSettings, create_app

    client, _ = logged_in
    small = TestClient(create_app(store, WebSettings(page_size=1)), follow_redirects=False)
    small.cookies = client.cookies
    seen: list[str] = []
    url = "/?view=all"
    while True:
        page = small.get(url, headers=HTML)
        seen += titles(page.text)
        more = re.search(r'rel="next" href="([^"]+)"', page.text)
        if not more:
            break
        url = more.group(1).replace("&amp;", "&")
    assert seen == ["Payload article", "Harbour bridge reopens", "Undated note"]


def test_article_view_shows_full_text_authors_copies_and_revisions(
    logged_in: Client, seeded: Seeded, store: Store
) -> None:
    client, _ = logged_in
    page = client.get(f"/entries/{seeded.entries['harbour']}?view=all", headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert "Traffic returned within the hour." in text
    assert "Ann Reporter, Bo Writer" in text
    assert 'href="http://news.example/harbour"' in text
    assert "This story in 2 places" in text and "http://blog.example/copied-harbour" in text
    assert "<strong>Original:</strong>" in text
    assert "Revision 1" in text and "Revision 2" in text
    assert "<del>Traffic was slow.</del>" in text and "<ins>Traffic returned within the hour.</ins>" in text
    assert 'rel="prev"' in text and 'rel="next"' in text  # neighbours for j/k
    assert entry_state(store, seeded.entries["harbour"]) == (True, False)  # reading marks read


def test_entry_without_article_shows_the_publishers_summary(logged_in: Client, seeded: Seeded) -> None:
    client, _ = logged_in
    page = client.get(f"/entries/{seeded.entries['undated']}", headers=HTML)
    assert "Only a summary <b>here</b>." in page.text


def test_article_html_is_sanitized_on_output(logged_in: Client, seeded: Seeded) -> None:
    client, _ = logged_in
    page = client.get(f"/entries/{seeded.entries['xss']}", headers=HTML)
    body = page.text.split('id="content">', 1)[1].split("</div>\n  ", 1)[0]
    assert "Before the payloads." in body and "After the payloads." in body
    for needle in ("<script", "onerror", "onclick", "javascript:", "srcdoc", "<iframe", "<svg", "style="):
        assert needle not in body.lower(), needle


def test_star_and_read_toggle(logged_in: Client, seeded: Seeded, store: Store) -> None:
    client, csrf = logged_in
    entry = seeded.entries["copy"]
    response = client.post(f"/entries/{entry}/star", data={"csrf_token": csrf, "starred": "1", "next": "/?view=all"})
    assert response.status_code == 303 and response.headers["location"] == "/?view=all"
    assert entry_state(store, entry) == (False, True)
    assert titles(client.get("/?view=starred", headers=HTML).text) == ["Harbour (copy)"]
    as_json = client.post(f"/entries/{entry}/read", headers={"X-CSRF-Token": csrf})
    assert as_json.json() == {"id": entry, "read": True, "starred": True}
    as_json = client.post(f"/entries/{entry}/read", headers={"X-CSRF-Token": csrf})
    assert as_json.json()["read"] is False
    assert client.post("/entries/999/star", headers={"X-CSRF-Token": csrf}).status_code == 404


def test_mark_all_read_spares_entries_that_arrived_later(
    logged_in: Client, seeded: Seeded, store: Store, data: object
) -> None:
    client, csrf = logged_in
    page = client.get("/?view=unread", headers=HTML)
    up_to = re.search(r'name="up_to_id" value="(\d+)"', page.text).group(1)
    late = data.entry(seeded.feeds["news"], "http://news.example/late", "Arrived while reading")  # type: ignore[attr-defined]
    response = client.post("/mark-all-read", data={"csrf_token": csrf, "view": "unread", "up_to_id": up_to})
    assert response.status_code == 303
    assert titles(client.get("/?view=unread", headers=HTML).text) == ["Arrived while reading"]
    assert entry_state(store, late) == (False, False)


def test_mark_all_read_in_one_feed_only(logged_in: Client, seeded: Seeded) -> None:
    client, csrf = logged_in
    client.post("/mark-all-read", data={"csrf_token": csrf, "view": "unread", "feed_id": seeded.feeds["blog"]})
    assert titles(client.get("/?view=unread", headers=HTML).text) == ["Harbour bridge reopens", "Undated note"]


def test_search_highlights_matches(logged_in: Client, seeded: Seeded) -> None:
    client, _ = logged_in
    page = client.get("/search?q=harbour+bridge", headers=HTML)
    assert page.status_code == 200
    assert "<mark>" in page.text
    assert f'href="/articles/{seeded.articles["original"]}"' in page.text
    assert "No article matches" in client.get("/search?q=zebra", headers=HTML).text
    # an article's page redirects to the entry that carries it
    jump = client.get(f"/articles/{seeded.articles['original']}", headers=HTML)
    assert jump.headers["location"] == f"/entries/{seeded.entries['harbour']}"


def test_search_query_is_escaped(logged_in: Client, seeded: Seeded) -> None:
    client, _ = logged_in
    page = client.get('/search?q=<script>alert(1)</script>"', headers=HTML)
    assert page.status_code == 200 and "<script>alert(1)" not in page.text


def test_feeds_page_shows_health(logged_in: Client, seeded: Seeded) -> None:
    client, _ = logged_in
    page = client.get("/feeds", headers=HTML).text
    assert "HTTP 503 from blog.example" in page
    assert "2026-03-01 12:30 UTC" in page  # next check of the news feed
    assert re.search(r"Copy Blog.*?<td>2</td>\s*<td>error</td>", page, re.S)  # 2 unread, state error
    assert f'/full/feeds/{seeded.feeds["news"]}.rss"' in page  # each feed links its full-text feed


def test_feeds_page_shows_push_state(logged_in: Client, seeded: Seeded, store: Store) -> None:
    client, _ = logged_in
    lease = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    with store.engine.begin() as conn:
        conn.execute(update(schema.feeds).where(schema.feeds.c.id == seeded.feeds["news"]).values(
            hub_url="https://hub.example/", websub_state="subscribed", websub_lease_until=lease))
        conn.execute(update(schema.feeds).where(schema.feeds.c.id == seeded.feeds["blog"]).values(
            hub_url="https://hub.example/", websub_state="denied",
            websub_error="hub denied the subscription: <b>no</b>"))
    page = client.get("/feeds", headers=HTML).text
    assert "pushed, lease until" in page and "2026-03-09 08:00 UTC" in page
    assert "push denied" in page
    assert "hub denied the subscription: &lt;b&gt;no&lt;/b&gt;" in page


def test_add_feed_goes_through_the_action(logged_in: Client, actions: RecordingActions) -> None:
    client, csrf = logged_in
    response = client.post("/feeds", data={"csrf_token": csrf, "url": "http://site.example/"})
    assert response.status_code == 303 and response.headers["location"].startswith("/feeds?added=")
    page = client.get(response.headers["location"], headers=HTML)
    assert "Feed added." in page.text and "Feed of http://site.example/" in page.text
    failed = client.post("/feeds", data={"csrf_token": csrf, "url": "http://nothing.example/"})
    assert failed.status_code == 400 and "no feed found at http://nothing.example/" in failed.text
    bad = client.post("/feeds", data={"csrf_token": csrf, "url": "file:///etc/passwd"})
    assert bad.status_code == 400


def test_opml_import_and_export(logged_in: Client, actions: RecordingActions) -> None:
    client, csrf = logged_in
    opml = b'<opml version="2.0"><body><outline xmlUrl="http://a.example/rss"/><outline xmlUrl="http://b.example/rss"/></body></opml>'
    response = client.post("/feeds/import", data={"csrf_token": csrf}, files={"opml": ("subs.opml", opml, "text/xml")})
    assert response.status_code == 303 and response.headers["location"] == "/feeds?imported=2"
    assert actions.imported == [opml]
    exported = client.get("/feeds/export.opml", headers=HTML)
    assert exported.status_code == 200 and exported.content.startswith(b"<?xml")
    assert "attachment" in exported.headers["content-disposition"]


def test_feed_public_toggle(logged_in: Client, seeded: Seeded, store: Store) -> None:
    client, csrf = logged_in
    client.post(f"/feeds/{seeded.feeds['news']}/public", data={"csrf_token": csrf, "public": "1"})
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.feeds.c.public).where(schema.feeds.c.id == seeded.feeds["news"])).scalar()


def test_campaign_create_edit_run_and_log(
    logged_in: Client, seeded: Seeded, store: Store, actions: RecordingActions
) -> None:
    client, csrf = logged_in
    form = client.get("/campaigns/new", headers=HTML)
    assert form.status_code == 200
    bad = client.post("/campaigns/new", data={"csrf_token": csrf, "name": "Tunnels", "config": "{not json"})
    assert bad.status_code == 400 and "not valid JSON" in bad.text
    created = client.post("/campaigns/new", data={
        "csrf_token": csrf, "name": "Tunnels", "config": '{"status": "draft"}', "enabled": "on",
        "feed_ids": [str(seeded.feeds["blog"]), str(seeded.feeds["news"])]})
    assert created.status_code == 303
    url = created.headers["location"]
    campaign_id = int(url.rsplit("/", 1)[1])
    page = client.get(url, headers=HTML).text
    assert "Tunnels" in page and "&#34;status&#34;: &#34;draft&#34;" in page
    edited = client.post(url, data={"csrf_token": csrf, "name": "Tunnels & bridges", "config": "{}",
                                    "feed_ids": [str(seeded.feeds["news"])]})
    assert edited.status_code == 303
    duplicate = client.post("/campaigns/new", data={"csrf_token": csrf, "name": "Bridges", "config": "{}"})
    assert duplicate.status_code == 400 and "exists already" in duplicate.text
    with store.engine.begin() as conn:
        conn.execute(schema.posts.insert().values(
            id=1, campaign_id=campaign_id, story_id=seeded.story_id, article_id=seeded.articles["original"],
            state="sent", remote_url="http://wp.example/?p=7", idempotency_key="k",
            created_at=seeded_time(), updated_at=seeded_time()))
        conn.execute(schema.post_log.insert().values(post_id=1, campaign_id=campaign_id, at=seeded_time(),
                                                     event="sent", detail="HTTP 201"))
    run = client.post(f"/campaigns/{campaign_id}/run", data={"csrf_token": csrf})
    assert run.status_code == 303 and actions.campaign_runs == [campaign_id]
    page = client.get(run.headers["location"], headers=HTML).text
    assert f"campaign {campaign_id}: 0 posted" in page
    assert "HTTP 201" in page and "http://wp.example/?p=7" in page and "Harbour bridge reopens" in page
    listing = client.get("/campaigns", headers=HTML).text
    assert "Tunnels &amp; bridges" in listing


def seeded_time():  # type: ignore[no-untyped-def]
    from web_helpers import T0
    return T0


def test_unknown_things_are_404(logged_in: Client, seeded: Seeded) -> None:
    client, _ = logged_in
    for path in ("/entries/9999", "/articles/9999", "/campaigns/9999", "/?feed_id=9999"):
        assert client.get(path, headers=HTML).status_code == 404, path
    assert client.get("/entries/99999999999999999999999", headers=HTML).status_code == 422


def test_metrics_report_pipeline_numbers(logged_in: Client, seeded: Seeded) -> None:
    client, _ = logged_in
    text = client.get("/metrics").text
    assert 'syndic_feeds{state="error"} 1.0' in text
    assert "syndic_articles 3.0" in text
    assert "syndic_extract_queue_depth 4.0" in text


def test_login_page_round_trip_keeps_next(client: TestClient, user: str, seeded: Seeded) -> None:
    first = client.get("/feeds", headers=HTML)
    login_page = client.get(first.headers["location"], headers=HTML)
    assert 'name="next" value="/feeds"' in login_page.text
    from web_helpers import PASSWORD
    done = client.post("/login", data={"username": "admin", "password": PASSWORD,
                                       "csrf_token": csrf_of(login_page.text), "next": "/feeds"})
    assert done.headers["location"] == "/feeds"
