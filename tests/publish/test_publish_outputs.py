"""Each full-text output parses back, with independent parsers, to exactly what was stored."""

from __future__ import annotations

import calendar
import html
import json
from datetime import UTC, datetime, timedelta

import feedparser
import pytest

from syndic.clean.sanitize import sanitize_html
from syndic.publish.outputs import campaign_document, feed_document
from syndic.publish.writers import FeedDocument, FeedItem, write_feed
from syndic.types import Enclosure

RAW_HTML = '<p>First <a href="https://example.com/x">link</a> &amp; more.</p><p>Second para, “quoted”.</p>'
HTML = sanitize_html(RAW_HTML)  # the store holds sanitized HTML


def _parsed_time(struct: object) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)  # type: ignore[arg-type]



def shown(value: str, detail) -> str:  # type: ignore[no-untyped-def]
    """What a reader displays: a field feedparser reads as HTML (RSS) must hold no markup, only escaped text."""
    if detail.type == "text/html":
        assert "<" not in value, value
        return html.unescape(value)
    return value


@pytest.fixture
def stored(data):  # type: ignore[no-untyped-def]
    feed_id = data.feed("https://pub.example/feed.xml", title="Pub <World>", site_url="https://pub.example/")
    story = data.story(copy_count=3)
    original = data.article("https://orig.example/story", story_id=story, original=True)
    copy = data.article(
        "https://pub.example/copy",
        story_id=story,
        title="A title with <angle> & ampersand",
        html=HTML,
        text="First link & more. Second para, “quoted”.",
        authors=["Ann Author", "Bob Writer"],
        published=datetime(2026, 2, 1, 8, 30, 15, tzinfo=UTC),
        modified=datetime(2026, 2, 2, 9, 0, 0, tzinfo=UTC),
        image="https://pub.example/lead.png",
        description="A short summary.",
    )
    data.entry(feed_id, "guid-copy", copy, categories=["World", "Politics"])
    data.entry(
        feed_id,
        "guid-pending",
        None,
        title="Not yet extracted",
        content="<p>publisher text</p>",
        published=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return {"feed_id": feed_id, "original": original, "copy": copy}


@pytest.mark.parametrize("fmt", ["rss", "atom"])

def test_xml_outputs_round_trip_through_feedparser(store, stored, fmt):  # type: ignore[no-untyped-def]
    doc = feed_document(store, stored["feed_id"], self_url="http://syndic.local/f")
    body, media_type = write_feed(doc, fmt)
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert shown(parsed.feed.title, parsed.feed.title_detail) == "Pub <World>"
    assert len(parsed.entries) == 2
    first = parsed.entries[0]
    assert first.id == "guid-copy"
    assert shown(first.title, first.title_detail) == "A title with <angle> & ampersand"
    assert first.link == "https://pub.example/copy"
    assert first.content[0].value == HTML
    assert [a["name"] for a in first.authors] == ["Ann Author", "Bob Writer"]
    assert _parsed_time(first.published_parsed) == datetime(2026, 2, 1, 8, 30, 15, tzinfo=UTC)
    assert _parsed_time(first.updated_parsed) == datetime(2026, 2, 2, 9, 0, 0, tzinfo=UTC)
    enclosures = [link for link in first.links if link.get("rel") == "enclosure"]
    assert [(e["href"], e["type"]) for e in enclosures] == [("https://pub.example/lead.png", "image/png")]
    assert first.summary == "A short summary."
    assert first.syndic_copies == "3"
    assert first.syndic_original == "https://orig.example/story"
    assert sorted(t["term"] for t in first.tags) == ["Politics", "World"]
    # the entry without an article falls back to the publisher's content
    assert parsed.entries[1].content[0].value == "<p>publisher text</p>"
    assert media_type.startswith({"rss": "application/rss+xml", "atom": "application/atom+xml"}[fmt])
    if fmt == "atom":
        related = [link["href"] for link in first.links if link.get("rel") == "related"]
        assert related == ["https://orig.example/story"]
    else:
        assert first.media_content[0]["url"] == "https://pub.example/lead.png"


def test_json_feed_round_trip(store, stored):  # type: ignore[no-untyped-def]
    # feedparser 6.0 reads no JSON Feed; the check is json plus the JSON Feed 1.1 field rules.
    body, media_type = write_feed(feed_document(store, stored["feed_id"]), "json")
    assert media_type.startswith("application/feed+json")
    doc = json.loads(body)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    item = doc["items"][0]
    assert item["id"] == "guid-copy"
    assert item["title"] == "A title with <angle> & ampersand"
    assert item["url"] == "https://pub.example/copy"
    assert item["external_url"] == "https://orig.example/story"
    assert item["content_html"] == HTML
    assert item["authors"] == [{"name": "Ann Author"}, {"name": "Bob Writer"}]
    assert datetime.fromisoformat(item["date_published"]) == datetime(2026, 2, 1, 8, 30, 15, tzinfo=UTC)
    assert datetime.fromisoformat(item["date_modified"]) == datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    assert item["image"] == "https://pub.example/lead.png"
    assert item["attachments"] == [{"url": "https://pub.example/lead.png", "mime_type": "image/png"}]
    assert item["_syndic"] == {"original_url": "https://orig.example/story", "copy_count": 3}
    assert all(isinstance(i["id"], str) for i in doc["items"])


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_hostile_html_and_control_characters_are_neutralised(fmt):  # type: ignore[no-untyped-def]
    doc = FeedDocument(
        title="t\x00itle",
        items=(
            FeedItem(
                id="1",
                title="x\x0b</title><script>",
                content_html='<p onclick="evil()">ok</p><script>alert(1)</script><a href="javascript:x">j</a>',
                image=Enclosure("https://i.example/a.jpg"),
                published=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(microseconds=5),
            ),
        ),
    )
    body, _ = write_feed(doc, fmt)
    assert b"onclick" not in body
    assert b"javascript:" not in body
    if fmt == "json":
        item = json.loads(body)["items"][0]
        assert "<script" not in item["content_html"]
        assert item["title"] == "x</title><script>"  # plain text in JSON (control characters dropped)
    else:
        assert b"<script" not in body.replace(b"&lt;script", b"")
        parsed = feedparser.parse(body, sanitize_html=False)
        assert not parsed.bozo
        assert shown(parsed.entries[0].title, parsed.entries[0].title_detail) == "x</title><script>"


def test_campaign_output_has_one_item_per_story(store, data):  # type: ignore[no-untyped-def]
    from syndic.publish.campaigns import save_campaign

    f1, f2, f3 = (data.feed(f"https://f{i}.example/rss") for i in range(3))
    story = data.story(copy_count=3)
    arts = [data.article(f"https://f{i}.example/a", story_id=story, original=(i == 1)) for i in range(3)]
    for feed_id, art in zip((f1, f2, f3), arts, strict=True):
        data.entry(feed_id, f"k{art}", art)
    other = data.article("https://f0.example/other", story_id=data.story())
    data.entry(f1, "other", other)
    campaign_id = save_campaign(store, "c", {"destination": {"type": "none"}}, [f1, f2, f3])
    doc = campaign_document(store, campaign_id)
    assert sorted(item.id for item in doc.items) == sorted(
        [f"urn:syndic:story:{story}", f"urn:syndic:story:{story + 1}"]
    )
    chosen = next(item for item in doc.items if item.id == f"urn:syndic:story:{story}")
    assert chosen.link == "https://f1.example/a"  # the original, not a copy
    assert chosen.copy_count == 3


def test_feed_picture_and_language_fill_in_for_the_page(store, data):  # type: ignore[no-untyped-def]
    """An article whose page had no lead image shows the Media RSS thumbnail the feed gave."""
    feed_id = data.feed("https://pub.example/feed.xml", title="Pub")
    bare = data.article("https://pub.example/bare", title="Bare page", html="<p>x</p>", text="x", image=None)
    data.entry(feed_id, "guid-bare", bare, image="https://cdn.pub.example/thumb.jpg", language="fr")
    item = feed_document(store, feed_id, self_url="http://syndic.local/f").items[0]
    assert item.image is not None and item.image.url == "https://cdn.pub.example/thumb.jpg"
    assert item.image.type == "image/jpeg"
    assert item.language == "fr"
