"""CDF channels and RSS without its `<rss>` wrapper: a bare `<channel>` root."""

from __future__ import annotations

from datetime import UTC, datetime

from syndic.feeds import parse_feed

CDF = b"""<?xml version="1.0"?>
<CHANNEL HREF="http://www.example.org/" LASTMOD="2004-04-06T23:05:43-05:00">
  <TITLE>Example feed</TITLE>
  <ABSTRACT>Example description</ABSTRACT>
  <ITEM HREF="/first" LASTMOD="2004-04-07T10:00:00Z">
    <TITLE>First item</TITLE>
    <ABSTRACT>About the first</ABSTRACT>
  </ITEM>
  <CHANNEL>
    <TITLE>A sub-channel</TITLE>
    <ITEM HREF="http://www.example.org/nested"><TITLE>Nested item</TITLE></ITEM>
  </CHANNEL>
</CHANNEL>
"""


def test_cdf_channel_reads_title_abstract_and_attributes() -> None:
    feed = parse_feed(CDF, url="http://www.example.org/feed.cdf")
    assert feed.version == "cdf"
    assert feed.bozo is None
    assert feed.title == "Example feed"
    assert feed.description == "Example description"
    assert feed.link == "http://www.example.org/"
    assert feed.updated == datetime(2004, 4, 7, 4, 5, 43, tzinfo=UTC)


def test_cdf_items_take_href_lastmod_and_abstract_and_nested_channels_count() -> None:
    entries = parse_feed(CDF, url="http://www.example.org/feed.cdf").entries
    assert [e.title for e in entries] == ["First item", "Nested item"]
    first = entries[0]
    assert first.link == "http://www.example.org/first"  # relative HREF resolved against the document
    assert first.updated == datetime(2004, 4, 7, 10, 0, tzinfo=UTC)
    assert first.summary_html == "About the first"
    assert entries[1].link == "http://www.example.org/nested"


def test_rss_items_under_a_bare_channel_root_are_read() -> None:
    data = (
        b"<channel><title>Headless</title><link>http://e.com/</link>"
        b"<item><title>One</title><link>http://e.com/1</link><description>Hi</description></item>"
        b"</channel>"
    )
    feed = parse_feed(data)
    assert (feed.title, feed.link) == ("Headless", "http://e.com/")
    assert [(e.title, e.link, e.summary_html) for e in feed.entries] == [("One", "http://e.com/1", "Hi")]
