"""WPeMatico-style campaigns against the real WordPress: schedule, rules, images, duplicates, deleted posts.

Same WordPress as test_publish_wordpress.py (Debian's package on loopback);
every assertion reads back what WordPress itself stored.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from syndic.publish import run_campaign, run_due, save_campaign
from syndic.store import open_store, schema

from . import test_publish_wordpress as _wp
from .conftest import T0
from .test_publish_wordpress import PNG, sender_factory, wp_config, wp_get

wordpress = _wp.wordpress  # the same session fixture (one WordPress server for both modules)

pytestmark = pytest.mark.wordpress
HOUR = timedelta(hours=1)


@pytest.fixture
def images(server):  # type: ignore[no-untyped-def]
    for name in ("lead", "a", "b-small", "b-large", "c"):
        server.routes[("GET", f"/{name}.png")] = lambda h: server.respond(h, 200, PNG, "image/png")
    return server.url


def _story(data, feed, images, slug, title, first_seen=T0):  # type: ignore[no-untyped-def]
    story = data.story()
    body = (
        "<p>The storm hit Springfield on Monday.</p>"
        f'<figure><img src="{images}/lead.png" alt="lead"></figure>'
        '<p>Rain and wind all night. See <a href="https://x.example/more">more about wind</a>.</p>'
        f'<p><img src="{images}/a.png" alt="a"></p>'
        f'<p><img src="{images}/b-small.png" srcset="{images}/b-small.png 300w, {images}/b-large.png 1200w"'
        ' sizes="100vw" alt="b"></p>'
    )
    art = data.article(
        f"https://www.w0.example/{slug}?from=rss",  # the real address, as read (the dedupe key drops ?from=)
        story_id=story,
        original=True,
        title=title,
        html=body,
        text="The storm hit Springfield on Monday. Rain and wind all night.",
        site_name="Origin Times",
        image=f"{images}/lead.png",
    )
    data.entry(feed, f"{slug}-{time.time_ns()}", art, first_seen_at=first_seen)
    return story


def _config(wp, **extra):  # type: ignore[no-untyped-def]
    return wp_config(
        wp,
        template=(
            "<style>.box { margin: 0 }</style><div>{image}{content}</div>"
            "<p>From {feedtitle} ({feedurl}), campaign {campaigntitle} #{campaignid}, "
            "{item_date} {item_time}, {{literal}}</p>"
        ),
        attribution={"template": '<p>Source: <a href="{permalink}">{source}</a></p>', "position": "before"},
        rewrites=[
            {"find": "Springfield", "replace": "Shelbyville", "title": True},
            {"find": r"\bwind\b", "regex": True, "replace": "gusts", "relink": "https://weather.example/gusts"},
        ],
        words_to_category=[{"words": ["rain", "hail"], "category": "Weather"}],
        status="private",
        post_format="aside",
        backfill=0,
    ) | extra


def _imgs(content: str) -> list[str]:
    return re.findall(r"<img[^>]*>", content)


def test_rules_images_status_format_on_wordpress(store, wordpress, data, images):  # type: ignore[no-untyped-def]
    feed = data.feed(f"https://w0.example/rss-{time.time_ns()}", title="Storm Feed")
    story = _story(data, feed, images, f"storm-{time.time_ns()}", "Storm in Springfield")
    cid = save_campaign(store, "wpematico-like", _config(wordpress, comments="closed", pings="closed"), [feed],
                        now=T0 - HOUR)
    report = run_campaign(store, cid, now=T0, sender_factory=sender_factory)
    assert report.created == [story]
    assert [(e.event, e.images) for e in report.deliveries] == [("created", 3)]  # lead + a + b (largest)
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.posts)).mappings().one()
    post = wp_get(wordpress, f"/posts/{row['remote_id']}")
    assert isinstance(post, dict)
    assert post["status"] == "private" and post["format"] == "aside"
    assert post["comment_status"] == "closed" and post["ping_status"] == "closed"
    assert post["date_gmt"].startswith("2026-03-01T12:00")  # the article's date (post_date: item)
    assert post["title"]["raw"] == "Storm in Shelbyville"
    content = post["content"]["raw"]
    assert "Springfield" not in content and "Shelbyville" in content
    assert re.search(r'<a href="https://weather.example/gusts"[^>]*>gusts</a>', content)
    assert "more about gusts</a>" in content and "more about <a" not in content  # never a link in a link
    assert content.index("Source: <a") < content.index("The storm")  # attribution before, linking the real page
    assert 'href="https://www.w0.example/' in content and "?from=rss" in content
    assert "{literal}" in content and "Storm Feed" in content and f"#{cid}" in content
    assert "Powered by" not in content
    # every content image lives in the media library; the lead image is the featured one, not repeated
    imgs = _imgs(content)
    assert len(imgs) == 2, imgs
    assert all(f'src="{wordpress["url"]}/wp-content/uploads/' in i for i in imgs)
    assert not any("srcset" in i or images in i for i in imgs)
    assert all(re.search(r'class="wp-image-\d+"', i) for i in imgs)
    assert post["featured_media"]
    featured = wp_get(wordpress, f"/media/{post['featured_media']}")
    assert isinstance(featured, dict) and httpx.get(featured["source_url"], timeout=10).content == PNG
    names = {c["name"] for c in wp_get(wordpress, "/categories", include=",".join(map(str, post["categories"])))}  # type: ignore[union-attr]
    assert "Weather" in names

    # the article is updated: the post is updated, no image uploaded twice
    data.touch_article(
        row["article_id"],
        html=f'<p>Springfield, later.</p><p><img src="{images}/a.png"></p><p><img src="{images}/c.png"></p>',
    )
    again = run_campaign(store, cid, now=T0 + HOUR, sender_factory=sender_factory)
    assert [(e.event, e.images) for e in again.deliveries] == [("updated", 1)]  # only c.png is new
    updated = wp_get(wordpress, f"/posts/{row['remote_id']}")
    assert "Shelbyville, later." in updated["content"]["raw"]  # type: ignore[index]


def test_scheduled_over_two_periods_nothing_twice(store, wordpress, data, images, capsys):  # type: ignore[no-untyped-def]
    feed = data.feed(f"https://w0.example/rss-{time.time_ns()}", title="Storm Feed")
    old = _story(data, feed, images, f"old-{time.time_ns()}", "Old story", first_seen=T0 - 2 * HOUR)
    first = _story(data, feed, images, f"first-{time.time_ns()}", "First storm")
    cid = save_campaign(
        store, "hourly", _config(wordpress, schedule={"every_minutes": 60}, status="publish"), [feed],
        now=T0 - HOUR,
    )
    period1 = run_due(store, T0, sender_factory=sender_factory)
    assert [r.created for r in period1] == [[first]] and period1[0].older == 1 and old not in period1[0].created
    assert run_due(store, T0 + timedelta(minutes=30), sender_factory=sender_factory) == []
    second = _story(data, feed, images, f"second-{time.time_ns()}", "Second storm", first_seen=T0 + timedelta(minutes=40))
    # a restart: a new process (store) for the second period
    again = open_store(store.engine.url.render_as_string(hide_password=False), run_migrations=False)
    try:
        period2 = run_due(again, T0 + HOUR + timedelta(minutes=1), sender_factory=sender_factory)
        assert [r.created for r in period2] == [[second]]
        assert run_due(again, T0 + HOUR + timedelta(minutes=30), sender_factory=sender_factory) == []
        period3 = run_due(again, T0 + 2 * HOUR + timedelta(minutes=1), sender_factory=sender_factory)
        assert [(r.created, r.deliveries) for r in period3] == [([], [])]
    finally:
        again.close()
    with store.engine.connect() as conn:
        posts = conn.execute(select(schema.posts.c.remote_id, schema.posts.c.idempotency_key)).all()
        log = conn.execute(
            select(schema.post_log.c.at, schema.post_log.c.event, schema.post_log.c.detail)
            .where(schema.post_log.c.campaign_id == cid).order_by(schema.post_log.c.id)
        ).all()
    assert len(posts) == 2
    for remote_id, key in posts:
        found = wp_get(wordpress, "/posts", slug=f"syndic-{key}", status="any")
        assert isinstance(found, list) and [str(p["id"]) for p in found] == [remote_id]
    with capsys.disabled():
        print("\n--- scheduled campaign log ---")
        for at, event, detail in log:
            print(f"{at:%H:%M} {event:9} {detail}")


def test_story_already_on_the_site_is_not_posted_again(store, wordpress, data, images):  # type: ignore[no-untyped-def]
    feed = data.feed(f"https://w0.example/rss-{time.time_ns()}", title="Storm Feed")
    slug = f"dup-{time.time_ns()}"
    story = _story(data, feed, images, slug, f"Moved from WPeMatico {slug}")
    # what WPeMatico posted before the move: the source link in its "Read more"
    made = httpx.post(
        wordpress["url"] + "/wp-json/wp/v2/posts",
        auth=(wordpress["username"], wordpress["app_password"]),
        json={"title": "An older copy", "status": "publish",
              "content": f'<p>Text.</p><a href="https://www.w0.example/{slug}?from=rss">Read more</a>'},
        timeout=30,
    ).json()
    by_title = _story(data, feed, images, f"t-{time.time_ns()}", f"Same title {slug}")
    httpx.post(
        wordpress["url"] + "/wp-json/wp/v2/posts",
        auth=(wordpress["username"], wordpress["app_password"]),
        json={"title": f"Same title {slug}", "status": "draft", "content": "<p>other text</p>"},
        timeout=30,
    )
    cid = save_campaign(
        store, "moved", _config(wordpress, duplicates={"by_url": True, "by_title": True}), [feed], now=T0 - HOUR
    )
    report = run_campaign(store, cid, now=T0, sender_factory=sender_factory)
    assert sorted(report.created) == sorted([story, by_title])
    assert [e.event for e in report.deliveries] == ["duplicate", "duplicate"]
    with store.engine.connect() as conn:
        rows = {r.story_id: r for r in conn.execute(select(schema.posts)).all()}
    assert rows[story].state == "duplicate" and rows[story].remote_id == str(made["id"])
    assert "its content links https://www.w0.example/" in rows[story].last_error
    assert "same title" in rows[by_title].last_error
    assert run_campaign(store, cid, now=T0 + HOUR, sender_factory=sender_factory).deliveries == []


def test_a_post_deleted_on_the_site_is_not_created_again(store, wordpress, data, images):  # type: ignore[no-untyped-def]
    feed = data.feed(f"https://w0.example/rss-{time.time_ns()}", title="Storm Feed")
    _story(data, feed, images, f"del-{time.time_ns()}", "To be deleted")
    kept = _story(data, feed, images, f"keep-{time.time_ns()}", "To be kept")
    cid = save_campaign(store, "deleted", _config(wordpress, upload_images=False), [feed], now=T0 - HOUR)
    run_campaign(store, cid, now=T0, sender_factory=sender_factory)
    with store.engine.connect() as conn:
        rows = {r.story_id: r for r in conn.execute(select(schema.posts)).all()}
    deleted = next(r for s, r in rows.items() if s != kept)
    httpx.delete(
        f"{wordpress['url']}/wp-json/wp/v2/posts/{deleted.remote_id}", params={"force": "true"},
        auth=(wordpress["username"], wordpress["app_password"]), timeout=30,
    ).raise_for_status()
    httpx.delete(  # trashed, not deleted: the same decision
        f"{wordpress['url']}/wp-json/wp/v2/posts/{rows[kept].remote_id}",
        auth=(wordpress["username"], wordpress["app_password"]), timeout=30,
    ).raise_for_status()
    for row in rows.values():
        data.touch_article(row.article_id, html="<p>Updated by the publisher.</p>")
    report = run_campaign(store, cid, now=T0 + HOUR, sender_factory=sender_factory)
    assert sorted(e.event for e in report.deliveries) == ["gone", "gone"]
    with store.engine.connect() as conn:
        states = {r.story_id: (r.state, r.last_error) for r in conn.execute(select(schema.posts)).all()}
    assert "was deleted on the site" in states[deleted.story_id][1]
    assert "moved to the trash" in states[kept][1]
    assert run_campaign(store, cid, now=T0 + 2 * HOUR, sender_factory=sender_factory).deliveries == []


def test_approval_flow_on_wordpress(store, wordpress, data, images):  # type: ignore[no-untyped-def]
    from syndic.publish import review

    feed = data.feed(f"https://w0.example/rss-{time.time_ns()}", title="Storm Feed")
    kept = _story(data, feed, images, f"ok-{time.time_ns()}", "Storm in Springfield")
    dropped = _story(data, feed, images, f"no-{time.time_ns()}", "Unwanted storm")
    cid = save_campaign(
        store, "reviewed", _config(wordpress, review=True, schedule={"every_minutes": 60}, upload_images=False),
        [feed], now=T0 - HOUR,
    )
    first = run_due(store, T0, sender_factory=sender_factory)
    assert sorted(first[0].created) == sorted([kept, dropped]) and first[0].deliveries == []
    queue = {c.story_id: c for c in review.candidates(store, cid)}
    assert queue[kept].title == "Storm in Shelbyville" and "Weather" in queue[kept].categories
    assert queue[kept].image_url and queue[kept].excerpt
    review.edit(store, cid, queue[kept].post_id, by="editor", title="Shelbyville storm, checked",
                categories=["Weather", "Checked"])
    review.approve(store, cid, queue[kept].post_id, by="editor")
    review.reject(store, cid, queue[dropped].post_id, by="editor")
    assert review.candidates(store, cid) == []
    second = run_due(store, T0 + HOUR, sender_factory=sender_factory)
    assert [e.event for e in second[0].deliveries] == ["created"]
    with store.engine.connect() as conn:
        rows = {r.story_id: r for r in conn.execute(select(schema.posts)).all()}
    assert rows[dropped].state == "dismissed" and rows[dropped].remote_id is None
    post = wp_get(wordpress, f"/posts/{rows[kept].remote_id}")
    assert post["title"]["raw"] == "Shelbyville storm, checked"  # type: ignore[index]
    names = {c["name"] for c in wp_get(wordpress, "/categories", include=",".join(map(str, post["categories"])))}  # type: ignore[index, union-attr]
    assert names == {"Weather", "Checked"}
    # the publisher updates the story: the post is updated, the reviewer's title kept
    data.touch_article(rows[kept].article_id, html="<p>Springfield, corrected.</p>")
    third = run_due(store, T0 + 2 * HOUR, sender_factory=sender_factory)
    assert [e.event for e in third[0].deliveries] == ["updated"]
    post = wp_get(wordpress, f"/posts/{rows[kept].remote_id}")
    assert post["title"]["raw"] == "Shelbyville storm, checked"  # type: ignore[index]
    assert "Shelbyville, corrected." in post["content"]["raw"]  # type: ignore[index]


MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + (b"\xff\xfb\x90\x64" + b"\x00" * 413) * 4


def test_audio_enclosure_goes_to_the_media_library(store, wordpress, data, server):  # type: ignore[no-untyped-def]
    server.routes[("GET", "/pod.mp3")] = lambda h: server.respond(h, 200, MP3, "audio/mpeg")
    feed = data.feed(f"https://w0.example/rss-{time.time_ns()}", title="Podcast")
    story = data.story()
    art = data.article(f"https://w0.example/ep-{time.time_ns()}", story_id=story, original=True, title="Episode 1")
    data.entry(feed, f"ep-{time.time_ns()}", art, first_seen_at=T0,
               enclosures=[{"url": server.url + "/pod.mp3", "type": "audio/mpeg", "length": len(MP3)},
                           {"url": server.url + "/cover.jpg", "type": "image/jpeg", "length": 1}])
    cid = save_campaign(store, "podcast", wp_config(wordpress, upload_media=True, featured_image=False), [feed],
                        now=T0 - HOUR)
    report = run_campaign(store, cid, now=T0, sender_factory=sender_factory)
    assert [e.event for e in report.deliveries] == ["created"]
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.posts)).mappings().one()
        log = conn.execute(select(schema.post_log.c.detail).where(schema.post_log.c.event == "created")).scalar_one()
    content = wp_get(wordpress, f"/posts/{row['remote_id']}")["content"]["raw"]  # type: ignore[index]
    found = re.search(r'\[audio src="([^"]+)"\]', content)
    assert found and found.group(1).startswith(wordpress["url"] + "/wp-content/uploads/"), content
    assert httpx.get(found.group(1), timeout=10).content == MP3
    assert "1 audio/video files uploaded" in log
    # an update uploads nothing again
    data.touch_article(row["article_id"], html="<p>Show notes, corrected.</p>")
    again = run_campaign(store, cid, now=T0 + HOUR, sender_factory=sender_factory)
    assert [e.event for e in again.deliveries] == ["updated"]
    with store.engine.connect() as conn:
        last = conn.execute(select(schema.post_log.c.detail).where(schema.post_log.c.event == "updated")).scalar_one()
    assert "audio/video" not in last
