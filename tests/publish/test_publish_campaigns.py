"""Campaigns end to end with a webhook destination on a real local HTTP server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from syndic.errors import ConfigError
from syndic.publish import deliver_pending, run_campaign, save_campaign
from syndic.publish.filters import parse_filters, rejection
from syndic.publish.outbox import SENDING_LEASE
from syndic.publish.webhook import SIGNATURE_HEADER, verify_signature
from syndic.store import schema

from .conftest import T0

SECRET = "s3cret-s3cret-s3cret"


class Receiver:
    """A webhook receiver: checks the HMAC, answers with planned statuses, dedupes by Idempotency-Key."""

    def __init__(self, server, path="/hook"):  # type: ignore[no-untyped-def]
        self.server = server
        self.statuses: list[int] = []
        self.accepted: dict[str, dict] = {}  # idempotency key -> last envelope
        self.calls: list[dict] = []
        self.bad_signatures = 0
        server.routes[("POST", path)] = self.handle
        self.url = server.url + path

    def handle(self, h):  # type: ignore[no-untyped-def]
        body = h.body
        envelope = json.loads(body)
        self.calls.append({"headers": dict(h.headers), "envelope": envelope})
        if not verify_signature(SECRET, body, h.headers.get(SIGNATURE_HEADER)):
            self.bad_signatures += 1
            self.server.respond(h, 401, b'{"message": "bad signature"}', "application/json")
            return
        status = self.statuses.pop(0) if self.statuses else 200
        if status >= 300:
            self.server.respond(h, status, b'{"message": "planned failure"}', "application/json")
            return
        key = h.headers["Idempotency-Key"]
        self.accepted[key] = envelope
        answer = json.dumps({"id": "remote-" + key[:8], "url": "https://hooks.example/p/" + key[:8]}).encode()
        self.server.respond(h, 200, answer, "application/json")


def webhook_config(url: str, **extra):  # type: ignore[no-untyped-def]
    # the fixtures' stories were seen before the campaign is saved: take them all (back-fill)
    return {"destination": {"type": "webhook", "url": url, "secret": SECRET, "timeout": 5}, "backfill": 1000} | extra


@pytest.fixture
def three_feeds_one_story(data):  # type: ignore[no-untyped-def]
    feeds = [data.feed(f"https://f{i}.example/rss", title=f"Feed {i}") for i in range(3)]
    story = data.story(copy_count=3)
    arts = [
        data.article(
            f"https://f{i}.example/a",
            story_id=story,
            original=(i == 2),
            site_name=f"Site {i}",
            text="climate " * 50,
            language="en",
        )
        for i in range(3)
    ]
    for feed_id, art in zip(feeds, arts, strict=True):
        data.entry(feed_id, f"k{art}", art, categories=["Science"])
    other_story = data.story()
    other = data.article(
        "https://f0.example/other",
        story_id=other_story,
        text="football " * 50,
        language="en",
        image="https://f0.example/lead.jpg",
    )
    data.entry(feeds[0], "other", other)
    return {"feeds": feeds, "story": story, "articles": arts, "other_story": other_story, "other": other}


def test_unknown_placeholder_is_refused_by_name(store, data):  # type: ignore[no-untyped-def]
    feed = data.feed("https://x.example/rss")
    with pytest.raises(ConfigError, match=r"\{titel\}"):
        save_campaign(store, "c", {"template": "<h2>{titel}</h2>{content}"}, [feed])
    with pytest.raises(ConfigError, match=r"\{title\.upper\}"):
        save_campaign(store, "c", {"template": "{title.upper}"}, [feed])
    with pytest.raises(ConfigError, match="invalid regex"):
        save_campaign(store, "c", {"filters": {"require": [{"regex": "(unclosed"}]}}, [feed])
    with pytest.raises(ConfigError, match="status"):
        save_campaign(store, "c", {"status": "live"}, [feed])
    with pytest.raises(ConfigError, match="no feed with id 999"):
        save_campaign(store, "c", {}, [999])
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.campaigns)).first() is None
    assert save_campaign(store, "c", {"template": "{{literal}} {title} {content}"}, [feed]) > 0


def test_filters_keywords_regexes_length_language():  # type: ignore[no-untyped-def]
    f = parse_filters(
        {
            "require": [{"keyword": "climate", "in": "any"}],
            "exclude": [{"regex": r"sponsored|advert", "in": "title"}, "football"],
            "min_words": 5,
            "languages": ["en"],
        }
    )
    text = "The climate summit ended today with a deal."
    assert rejection(f, title="Summit", text=text, language="en-GB") is None
    assert "fewer than 5" in str(rejection(f, title="Summit", text="climate deal", language="en"))
    assert "language de" in str(rejection(f, title="Summit", text=text, language="de"))
    assert "required" in str(
        rejection(f, title="Summit", text="The climatesummit ended with a deal.", language="en")
    )
    assert "excluded by regex" in str(rejection(f, title="Sponsored: summit", text=text, language="en"))
    assert "excluded by keyword 'football'" in str(
        rejection(f, title="x", text=text + " Football too.", language="en")
    )


def test_one_post_per_story_attribution_and_update(store, server, three_feeds_one_story):  # type: ignore[no-untyped-def]
    d = three_feeds_one_story
    receiver = Receiver(server)
    cid = save_campaign(
        store,
        "webhook campaign",
        webhook_config(
            receiver.url,
            template="<h2>{title}</h2><p>by {author} on {date} via {source}</p>{content}",
            categories={"fixed": ["News"], "from_feed": True},
            status="publish",
        ),
        d["feeds"],
    )
    report = run_campaign(store, cid, now=T0)
    assert sorted(report.created) == sorted([d["story"], d["other_story"]])
    assert [e.event for e in report.deliveries] == ["created", "created"]
    assert "2 new" in report.summary and "delivered 2" in report.summary
    assert len(receiver.calls) == 2 and receiver.bad_signatures == 0
    by_story = {env["story_id"]: env for env in receiver.accepted.values()}
    post = by_story[d["story"]]["post"]
    # the story's original (feed 2's article) is the one posted, with the attribution line
    assert post["permalink"] == "https://f2.example/a"
    assert 'Originally published by <a href="https://f2.example/a"' in post["content_html"]
    assert post["categories"] == ["News", "Science"]
    assert "<h2>Title of https://f2.example/a</h2>" in post["content_html"]

    # a second run sends nothing
    again = run_campaign(store, cid, now=T0 + timedelta(hours=1))
    assert again.created == [] and again.deliveries == [] and len(receiver.calls) == 2

    # the publisher updates the article: the post is updated, not added
    from .conftest import Data

    Data(store).touch_article(
        d["articles"][2], html="<p>Corrected body.</p>", updated_at=T0 + timedelta(hours=2)
    )
    updated = run_campaign(store, cid, now=T0 + timedelta(hours=3))
    assert updated.changed == [d["story"]] and updated.created == []
    assert [e.event for e in updated.deliveries] == ["updated"]
    last = receiver.calls[-1]["envelope"]
    assert last["event"] == "post.updated" and last["remote_id"].startswith("remote-")
    assert "Corrected body." in last["post"]["content_html"]
    assert len(receiver.accepted) == 2  # still two posts, one per story
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.posts.c.state)).scalars().all() == ["sent", "sent"]


def test_content_is_sanitized_before_it_leaves(store, server, data):  # type: ignore[no-untyped-def]
    receiver = Receiver(server)
    feed = data.feed("https://evil.example/rss")
    art = data.article(
        "https://evil.example/a",
        story_id=data.story(),
        html='<p onmouseover="x()">hi</p><script>steal()</script>',
    )
    data.entry(feed, "e", art)
    cid = save_campaign(
        store, "c", webhook_config(receiver.url, template="{content}<script>{title}</script>"), [feed]
    )
    run_campaign(store, cid, now=T0)
    content = next(iter(receiver.accepted.values()))["post"]["content_html"]
    assert "<script" not in content and "onmouseover" not in content and "steal()" not in content
    assert "<p>hi</p>" in content


def test_5xx_is_retried_with_backoff_and_4xx_rejected_with_reason(store, server, three_feeds_one_story):  # type: ignore[no-untyped-def]
    d = three_feeds_one_story
    receiver = Receiver(server)
    receiver.statuses = [503, 500]
    cid = save_campaign(store, "c", webhook_config(receiver.url), d["feeds"])
    first = run_campaign(store, cid, now=T0)
    assert [e.event for e in first.deliveries] == ["retry", "retry"]
    assert deliver_pending(store, T0 + timedelta(seconds=5)) == []  # backoff: not due yet
    second = deliver_pending(store, T0 + timedelta(minutes=5))
    assert [e.event for e in second] == ["created", "created"]
    assert len(receiver.accepted) == 2
    with store.engine.connect() as conn:
        rows = conn.execute(select(schema.posts.c.attempts, schema.posts.c.state)).all()
    assert sorted(rows) == [(2, "sent"), (2, "sent")]


@pytest.mark.parametrize("status", [401, 413])
def test_rejection_is_recorded_and_the_campaign_goes_on(store, server, three_feeds_one_story, status):  # type: ignore[no-untyped-def]
    d = three_feeds_one_story
    receiver = Receiver(server)
    receiver.statuses = [status]
    cid = save_campaign(store, "c", webhook_config(receiver.url), d["feeds"])
    report = run_campaign(store, cid, now=T0)
    assert sorted(e.event for e in report.deliveries) == ["created", "rejected"]
    with store.engine.connect() as conn:
        rejected = conn.execute(
            select(schema.posts.c.last_error).where(schema.posts.c.state == "rejected")
        ).scalar_one()
    # the status line is the reason; the destination's own words are never echoed (#13)
    assert f"HTTP {status}" in rejected and "planned failure" not in rejected
    # a rejected post is not retried by later deliveries …
    assert deliver_pending(store, T0 + timedelta(days=1)) == []
    # … until the campaign's settings are saved again
    save_campaign(store, "c", webhook_config(receiver.url), d["feeds"])
    assert [e.event for e in deliver_pending(store, T0 + timedelta(days=1))] == ["created"]


def test_max_posts_per_run_and_filters(store, server, three_feeds_one_story):  # type: ignore[no-untyped-def]
    d = three_feeds_one_story
    receiver = Receiver(server)
    cid = save_campaign(store, "c", webhook_config(receiver.url, max_posts_per_run=1), d["feeds"])
    report = run_campaign(store, cid, now=T0)
    assert len(report.created) == 1 and report.over_limit == 1
    cid2 = save_campaign(
        store, "c2", webhook_config(receiver.url, filters={"exclude": ["football"]}), d["feeds"]
    )
    report2 = run_campaign(store, cid2, now=T0)
    assert report2.created == [d["story"]]
    assert report2.filtered and report2.filtered[0][0] == d["other_story"]


def test_killed_between_send_and_record_is_not_posted_twice(store, server, three_feeds_one_story, tmp_path):  # type: ignore[no-untyped-def]
    d = three_feeds_one_story
    receiver = Receiver(server)
    cid = save_campaign(store, "c", webhook_config(receiver.url, max_posts_per_run=1), d["feeds"])
    run_campaign(store, cid, now=T0, deliver=False)
    script = textwrap.dedent(
        f"""
        import os
        from syndic.store import open_store
        from syndic.publish.outbox import deliver_pending, default_sender_factory

        class DiesAfterSending:
            def __init__(self, inner):
                self.inner = inner
            def send(self, post):
                self.inner.send(post)
                os._exit(9)  # killed after the destination accepted, before syndic recorded it

        store = open_store({store.engine.url.render_as_string(hide_password=False)!r}, run_migrations=False)
        deliver_pending(store, sender_factory=lambda cid, cfg: DiesAfterSending(default_sender_factory(cid, cfg)))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env=os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
        timeout=60,
    )
    assert proc.returncode == 9
    assert len(receiver.calls) == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.posts.c.state)).scalar_one() == "sending"
    # within the lease nobody touches it; after it, delivery resumes with the same key
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    assert deliver_pending(store, now + timedelta(seconds=10)) == []
    events = deliver_pending(store, now + SENDING_LEASE + timedelta(seconds=1))
    assert [e.event for e in events] == ["created"]
    keys = [call["headers"]["Idempotency-Key"] for call in receiver.calls]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(receiver.accepted) == 1


def test_template_rendering_escapes_values_and_keeps_content():  # type: ignore[no-untyped-def]
    from syndic.publish.template import TemplateValues, render

    values = TemplateValues(
        title="Cats & <Dogs>",
        content_html="<p>Body</p>",
        excerpt='Short "quote"',
        permalink="https://x.example/a?b=1&c=2",
        source="X & Co",
        source_url="https://x.example/",
        authors=("Ann", "Bob"),
        date="2026-03-01",
        image_url="https://x.example/i.jpg",
    )
    out = render('{ {title} } <a href="{permalink}">{source}</a> {author} {date} {image}{content}', values)
    assert out.startswith("{ Cats &amp; &lt;Dogs&gt; }")
    assert 'href="https://x.example/a?b=1&amp;c=2">X &amp; Co</a> Ann, Bob 2026-03-01' in out
    assert '<img src="https://x.example/i.jpg" alt="Cats &amp; &lt;Dogs&gt;"><p>Body</p>' in out
    no_image = render("{image}{content}", TemplateValues(**{**values.__dict__, "image_url": None}))
    assert no_image == "<p>Body</p>"


def test_term_mapping_fixed_and_from_feed():  # type: ignore[no-untyped-def]
    from syndic.publish.campaigns import parse_config

    config = parse_config(
        {"categories": {"fixed": ["News", 7], "from_feed": True, "map": {"Politik": "Politics"}}}
    )
    assert config.categories.terms(["Politik", "Sport", "News"]) == ["News", 7, "Politics", "Sport"]
    assert parse_config({"tags": {"fixed": ["a"]}}).tags.terms(["ignored"]) == ["a"]
    with pytest.raises(ConfigError, match="unknown option"):
        parse_config({"categories": {"fxed": ["x"]}})
    with pytest.raises(ConfigError, match="secret"):
        parse_config({"destination": {"type": "webhook", "url": "https://h.example/", "secret": "short"}})


def test_campaign_without_destination_posts_nothing(store, three_feeds_one_story):  # type: ignore[no-untyped-def]
    from syndic.publish import due_campaigns, run_scheduled

    cid = save_campaign(
        store, "feed only", {"schedule": {"every_minutes": 30}}, three_feeds_one_story["feeds"], now=T0
    )
    assert due_campaigns(store, T0) == [cid]
    report = run_scheduled(store, cid, now=T0)
    assert report is not None
    assert due_campaigns(store, T0 + timedelta(minutes=29)) == []
    assert due_campaigns(store, T0 + timedelta(minutes=30)) == [cid]
    assert report.created == [] and report.deliveries == []
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.posts)).first() is None
        assert conn.execute(select(schema.campaigns.c.next_run_at)).scalar() is not None
