"""Attack (issue #13, findings 2 and 4): markup and script URLs through the published outputs.

On main before the fix a page's meta description `&lt;img src=x
onerror=alert(1)&gt;` came out as a raw `<img … onerror=…>` in the RSS
item description (readers render descriptions as HTML), the feed's channel
description was copied raw, titles, bylines and categories carried markup,
and `javascript:` / `data:` links passed into RSS `<link>`, enclosures,
`media:content`, Atom hrefs, JSON Feed `url`/`image`, the API and OPML
import. Now every writer emits text fields as escaped plain text, HTML
through the one sanitizer, and http(s) URLs only.
"""

from __future__ import annotations

import html
import json

import feedparser
import pytest
from fastapi.testclient import TestClient

from syndic.accounts import create_token, create_user
from syndic.feeds.opml import parse_opml
from syndic.web import create_app

PAYLOAD = "<img src=x onerror=alert(1)>"
BAD_URLS = ("javascript:alert(4)", "data:image/svg+xml;base64,PHN2Zz4=")


@pytest.fixture
def hostile(store, data):  # type: ignore[no-untyped-def]
    feed = data.feed("https://pub.example/feed.xml", title="Pub <script>alert('t')</script>",
                     description="<script>alert('channel')</script> the channel", public=True)
    story = data.story()
    article = data.article(
        "https://pub.example/story", story_id=story, original=True,
        title='<b onmouseover="alert(2)">Title</b>', description=PAYLOAD,
        authors=['<script>alert("by")</script>Ann'], image=BAD_URLS[1],
        html='<p>Body <a href="javascript:alert(5)">link</a></p><script>alert(6)</script>',
    )
    data.entry(feed, "https://pub.example/story", article, link=BAD_URLS[0], categories=["<i>cat</i>"])
    return feed


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_full_text_feeds_carry_no_markup_in_text_and_no_script_urls(store, hostile, fmt):  # type: ignore[no-untyped-def]
    with TestClient(create_app(store)) as client:
        body = client.get(f"/full/feeds/{hostile}.{fmt}").content
    assert b"javascript:" not in body and b"data:image" not in body
    if fmt == "json":
        item = json.loads(body)["items"][0]
        assert item["summary"] == PAYLOAD  # plain text, shown as text by any reader
        assert item.get("url", "https://").startswith("https://") and "image" not in item
        assert "<script" not in item["content_html"] and "javascript:" not in item["content_html"]
        return
    parsed = feedparser.parse(body, sanitize_html=False)
    entry = parsed.entries[0]
    fields = [(entry.summary, entry.summary_detail), (entry.title, entry.title_detail),
              (parsed.feed.title, parsed.feed.title_detail)]
    fields += [(parsed.feed.subtitle, parsed.feed.subtitle_detail)] if "subtitle" in parsed.feed else []
    for value, detail in fields:
        if detail.type == "text/html":  # what a reader renders as HTML holds no element
            assert "<" not in value, value
    assert b"<script" not in body
    if fmt == "rss":  # title, description, dc:creator, category are read as HTML: markup in them double-escaped
        assert b"&lt;script" not in body and b"&lt;img" not in body and b"&lt;i&gt;" not in body
    assert PAYLOAD in html.unescape(entry.summary)
    assert not entry.get("link", "").startswith(("javascript", "data"))
    assert not any(link.get("href", "").startswith(("javascript", "data")) for link in entry.get("links", []))


def test_the_api_gives_no_script_urls(store, hostile):  # type: ignore[no-untyped-def]
    owner = create_user(store, "admin", "a long enough password", is_admin=True)
    token = create_token(store, "t", owner)
    with TestClient(create_app(store)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        entries = client.get("/api/v1/entries", headers=headers).json()["items"]
        article = client.get(f"/api/v1/articles/{entries[0]['article_id']}", headers=headers).json()
    assert entries[0]["link"] is None
    assert article["image"] is None and "javascript:" not in article["html"]


def test_opml_import_drops_script_and_data_urls() -> None:
    document = (
        b'<?xml version="1.0"?><opml version="2.0"><head/><body>'
        b'<outline text="evil" xmlUrl="javascript:alert(1)" htmlUrl="https://ok.example/"/>'
        b'<outline text="data" xmlUrl="data:text/xml,&lt;rss/&gt;"/>'
        b'<outline text="good" xmlUrl="https://good.example/feed" htmlUrl="javascript:alert(2)"/>'
        b"</body></opml>"
    )
    outlines = parse_opml(document)
    assert [(o.xml_url, o.html_url) for o in outlines] == [("https://good.example/feed", None)]


def test_ftr_rss_escapes_markup_in_titles_and_sanitizes_the_channel_description() -> None:
    from syndic.publish.ftr import FtrFeed, write_rss
    from syndic.publish.ftr.document import Element

    item = (Element("title", PAYLOAD), Element("dc:creator", "<script>x()</script>Ann"), Element("guid", "g"))
    xml = write_rss(FtrFeed(title="F", link="http://x.example/", description="<script>alert(1)</script>D",
                            items=(item,)))
    parsed = feedparser.parse(xml, sanitize_html=False)
    assert "<" not in parsed.entries[0].title and PAYLOAD == html.unescape(parsed.entries[0].title)
    assert b"&lt;script" not in xml and b"<script" not in xml and b"&lt;img" not in xml
