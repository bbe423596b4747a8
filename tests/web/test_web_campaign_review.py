"""The review queue in the reader: candidates shown, edited, approved, rejected, and the decisions logged."""

from __future__ import annotations

from sqlalchemy import select
from web_helpers import HTML, T0, Data, Seeded

from syndic.publish.outbox import enqueue
from syndic.store import Store, schema


def _candidate(store: Store, campaign_id: int, seeded: Seeded, story: int, title: str) -> int:
    enqueue(store, campaign_id, story, seeded.articles["original"], {
        "title": title, "excerpt": f"Excerpt of {title}", "image_url": "https://img.example/lead.jpg",
        "categories": ["News", "Harbour"], "permalink": "https://news.example/a", "source": "Daily News",
        "content_html": "<p>x</p>",
    }, now=T0, state="review")
    with store.engine.connect() as conn:
        return int(conn.execute(select(schema.posts.c.id).where(schema.posts.c.story_id == story)).scalar_one())


def test_review_queue_edit_approve_reject(logged_in, seeded: Seeded, store: Store, data: Data) -> None:  # type: ignore[no-untyped-def]
    client, csrf = logged_in
    cid = data.campaign("Reviewed", [seeded.feeds["news"]], config={"review": True})
    first = _candidate(store, cid, seeded, seeded.story_id, "Harbour bridge reopens")
    second = _candidate(store, cid, seeded, seeded.story_id + 1000, "Another <story>")
    listing = client.get("/campaigns", headers=HTML).text
    assert f'href="/campaigns/{cid}/review">2 waiting</a>' in listing
    page = client.get(f"/campaigns/{cid}/review", headers=HTML)
    assert page.status_code == 200
    assert "Harbour bridge reopens" in page.text and "Excerpt of Harbour bridge reopens" in page.text
    assert 'src="https://img.example/lead.jpg"' in page.text and 'value="News, Harbour"' in page.text
    assert "Another &lt;story&gt;" in page.text  # escaped
    saved = client.post(f"/campaigns/{cid}/review/{first}", data={
        "csrf_token": csrf, "action": "save", "title": "Bridge reopens at last", "categories": "News, Ports"})
    assert saved.status_code == 303 and "saved" in saved.headers["location"]
    page = client.get(f"/campaigns/{cid}/review", headers=HTML).text
    assert 'value="Bridge reopens at last"' in page and 'value="News, Ports"' in page
    approved = client.post(f"/campaigns/{cid}/review/{first}", data={
        "csrf_token": csrf, "action": "approve", "title": "Bridge reopens at last", "categories": "News, Ports"})
    assert "posted%20on%20the%20next%20run" in approved.headers["location"]
    rejected = client.post(f"/campaigns/{cid}/review/{second}", data={"csrf_token": csrf, "action": "reject"})
    assert rejected.status_code == 303
    again = client.post(f"/campaigns/{cid}/review/{second}", data={"csrf_token": csrf, "action": "approve"})
    assert "not%20awaiting%20review" in again.headers["location"]
    no_csrf = client.post(f"/campaigns/{cid}/review/{first}", data={"action": "reject"})
    assert no_csrf.status_code in (400, 403)
    with store.engine.connect() as conn:
        states = dict(conn.execute(select(schema.posts.c.id, schema.posts.c.state)).all())
        log = conn.execute(select(schema.post_log.c.event, schema.post_log.c.detail)
                           .where(schema.post_log.c.campaign_id == cid).order_by(schema.post_log.c.id)).all()
    assert states == {first: "pending", second: "dismissed"}
    events = [(e, d) for e, d in log if e in ("edited", "approved", "rejected")]
    assert events[0][0] == "edited" and "Bridge reopens at last" in events[0][1] and "by admin" in events[0][1]
    assert ("approved", "by admin") in events and ("rejected", "by admin") in events
    assert "Nothing awaits review" in client.get(f"/campaigns/{cid}/review", headers=HTML).text
