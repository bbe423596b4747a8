"""OPML import and export."""

from __future__ import annotations

import pytest

from syndic.errors import FeedError
from syndic.feeds import OpmlOutline, parse_opml, write_opml

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="News">
      <outline text="World">
        <outline type="rss" text="Gazette" title="Riverside Gazette" xmlUrl="https://gazette.example.com/feed/" htmlUrl="https://gazette.example.com/"/>
      </outline>
      <outline type="rss" text="Wire" xmlUrl="https://wire.example.com/rss"/>
    </outline>
    <outline type="rss" text="Loose" xmlUrl="https://loose.example.com/atom.xml" category="/Tech/Linux,/Other"/>
    <outline type="link" text="Just a link" url="https://example.com/"/>
    <outline text="Empty folder"/>
  </body>
</opml>"""


def test_parse_nested_categories() -> None:
    assert parse_opml(OPML) == [
        OpmlOutline(
            "https://gazette.example.com/feed/",
            "Riverside Gazette",
            "https://gazette.example.com/",
            "News/World",
        ),
        OpmlOutline("https://wire.example.com/rss", "Wire", None, "News"),
        OpmlOutline("https://loose.example.com/atom.xml", "Loose", None, "Tech/Linux"),
    ]


def test_round_trip() -> None:
    outlines = parse_opml(OPML)
    written = write_opml(outlines, "Export & more")
    assert written.startswith(b"<?xml")
    assert b"Export &amp; more" in written
    assert parse_opml(written) == outlines


def test_round_trip_of_awkward_values() -> None:
    outlines = [OpmlOutline('https://e.com/f?a=1&b="2"', "Ünïcode <b> & co", None, None)]
    assert parse_opml(write_opml(outlines, "t")) == outlines


@pytest.mark.parametrize("body", [b"", b"<rss/>", b"not xml at all <<<"])
def test_not_opml(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_opml(body)
