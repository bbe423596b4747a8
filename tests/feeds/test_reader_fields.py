"""What a reader shows beside an entry, read the way publishers write it.

Titles with markup, namespaces under unexpected names, iTunes values in any
case, duplicated summaries, and the URL schemes no reader should follow.
The full documents with every field are in data/ (rss20_media_rss,
rss20_itunes_podcast, atom10_titles_links_source).
"""

from __future__ import annotations

import pytest

from syndic.feeds import parse_feed
from syndic.feeds.urls import allowed_url
from syndic.types import Podcast


def _item(inner: str, namespaces: str = "", channel: str = "") -> bytes:
    return (
        f'<rss version="2.0" {namespaces}><channel><title>c</title>{channel}<item>{inner}</item></channel></rss>'
    ).encode()


@pytest.mark.parametrize(
    ("written", "title", "title_html"),
    [
        ("AT&amp;T reports", "AT&T reports", None),  # an ampersand is text, not HTML
        ("Tom &amp;amp; Jerry", "Tom & Jerry", "Tom &amp; Jerry"),  # escaped twice: HTML
        ("A &lt;b&gt;bold&lt;/b&gt; move", "A bold move", "A <b>bold</b> move"),
        ("Use the &lt;br&gt; tag", "Use the <br> tag", None),  # no closing tag: plain text
        ("&lt;b&gt;x&lt;/b&gt;&lt;img src=x onerror=steal()&gt;", "x", "<b>x</b>"),  # inline markup only
        ("x &lt;script&gt;steal()&lt;/script&gt;", "x <script>steal()</script>", None),  # not HTML: text
    ],
)
def test_rss_title_is_plain_text_unless_written_as_html(written: str, title: str, title_html: str | None) -> None:
    entry = parse_feed(_item(f"<title>{written}</title>")).entries[0]
    assert entry.title == title
    assert entry.title_html == title_html


def test_a_second_summary_becomes_the_content() -> None:
    entry = parse_feed(_item("<description>Short</description><summary>Longer text</summary>")).entries[0]
    assert (entry.summary_html, entry.content_html) == ("Short", "Longer text")


def test_itunes_bound_to_an_unknown_namespace_is_read_by_its_prefix() -> None:
    data = _item(
        "<itunes:duration>12:30</itunes:duration>",
        namespaces='xmlns:itunes="http://example.com/DTDs/Podcast-1.0.dtd"',
        channel="<itunes:block>yes</itunes:block>",
    )
    feed = parse_feed(data)
    assert feed.podcast is not None and feed.podcast.block
    assert feed.entries[0].podcast is not None and feed.entries[0].podcast.duration_s == 750


@pytest.mark.parametrize(
    ("written", "explicit"),
    [("yes", True), ("Yes", True), (" true ", True), ("explicit", True), ("clean", False), ("no", False),
     ("FALSE", False), ("maybe", None)],
)  # fmt: skip
def test_itunes_explicit_in_any_case(written: str, explicit: bool | None) -> None:
    data = _item(
        f"<itunes:explicit>{written}</itunes:explicit>",
        namespaces='xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
    )
    podcast = parse_feed(data).entries[0].podcast
    assert podcast is not None and podcast.explicit is explicit


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("95", 95), ("3:00", 180), ("1:02:03", 3723), ("01:02:03.500", 3723), ("1h", None), ("1:2:3:4", None)],
)
def test_podcast_duration_in_seconds(written: str, seconds: int | None) -> None:
    assert Podcast(duration=written).duration_s == seconds


def test_entry_image_prefers_the_media_thumbnail() -> None:
    data = _item(
        '<enclosure url="https://e.example.com/a.jpg" type="image/jpeg" length="1"/>'
        '<media:content url="https://e.example.com/b.jpg" medium="image"/>'
        '<media:thumbnail url="https://e.example.com/t.jpg"/>',
        namespaces='xmlns:media="http://search.yahoo.com/mrss/"',
    )
    assert parse_feed(data).entries[0].image == "https://e.example.com/t.jpg"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", " javascript:x", "data:text/html,x",
     "vbscript:x", "file:///etc/passwd", "\x01javascript:x"],
)  # fmt: skip
def test_urls_other_than_http_are_refused(url: str) -> None:
    assert allowed_url(url) is None


@pytest.mark.parametrize("url", ["http://a.example/", "HTTPS://a.example/x", "/relative/path", "page.html"])
def test_http_and_relative_urls_are_kept(url: str) -> None:
    assert allowed_url(url) == url


def test_dangerous_urls_never_reach_an_entry() -> None:
    data = _item(
        "<link>javascript:alert(1)</link>"
        '<enclosure url="data:audio/mpeg;base64,AAAA" type="audio/mpeg" length="4"/>'
        "<comments>vbscript:msgbox(1)</comments>"
        '<media:thumbnail url="javascript:alert(2)"/>'
        '<itunes:image href="file:///etc/passwd"/>',
        namespaces='xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
    )
    entry = parse_feed(data, url="https://safe.example.com/feed").entries[0]
    assert entry.link is None and entry.links == ()
    assert entry.enclosures == () and entry.comments_url is None
    assert entry.image is None


def test_xml_lang_blank_ends_inheritance() -> None:
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><entry xml:lang=""><title>a</title></entry>'
        b"<entry><title>b</title></entry></feed>"
    )
    entries = parse_feed(data).entries
    assert (entries[0].language, entries[1].language) == (None, "fr")


def test_content_language_header_is_the_language_of_a_document_naming_none() -> None:
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</title></entry>'
        b'<entry xml:lang="fr"><title>b</title></entry></feed>'
    )
    feed = parse_feed(data, content_language="en-GB, fr")
    assert feed.language == "en-GB"
    assert [e.language for e in feed.entries] == ["en-GB", "fr"]
    assert parse_feed(data, content_language="<script>").language is None  # not a language tag


def test_json_feed_item_picture_language_and_url_gate() -> None:
    data = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "j", "items": [{"id": "1",'
        b' "url": "javascript:alert(1)", "image": "/img/1.jpg", "language": "pt-BR", "content_text": "x",'
        b' "attachments": [{"url": "data:audio/mpeg;base64,AA", "mime_type": "audio/mpeg"}]}]}'
    )
    entry = parse_feed(data, url="https://j.example/feed.json").entries[0]
    assert entry.link is None and entry.enclosures == ()
    assert entry.image == "https://j.example/img/1.jpg"
    assert entry.language == "pt-BR"


@pytest.mark.parametrize(
    ("inner", "kind", "coordinates"),
    [
        ("<georss:point> 36.9382 31.1732 </georss:point>", "Point", (31.1732, 36.9382)),  # GeoJSON: lon first
        ("<georss:line>1 2 3 4</georss:line>", "LineString", ((2.0, 1.0), (4.0, 3.0))),
        ('<gml:Point srsName="EPSG:26913"><gml:pos>500000 4649776</gml:pos></gml:Point>', "Point", (500000.0, 4649776.0)),
        ("<georss:where><gml:Point><gml:pos>10 20 5</gml:pos></gml:Point></georss:where>", None, None),  # 3 numbers, 2D
        ("<georss:polygon>1 2 3 4 5 6</georss:polygon>", None, None),  # a ring needs four positions
        ("<georss:point>north pole</georss:point>", None, None),
    ],
)
def test_georss(inner: str, kind: str | None, coordinates: object) -> None:
    data = _item(
        inner,
        namespaces='xmlns:georss="http://www.georss.org/georss" xmlns:gml="http://www.opengis.net/gml"',
    )
    where = parse_feed(data).entries[0].where
    if kind is None:
        assert where is None
    else:
        assert where is not None and (where.kind, where.coordinates) == (kind, coordinates)


def test_podcast_chapters_only_the_first_list_counts() -> None:
    chapters = (
        '<psc:chapters version="1.2"><psc:chapter start="00:00:00" title="Welcome"/>'
        '<psc:chapter start="03:07.250" title="Interview" href="/guests/ana" image="https://i.example/a.jpg"/>'
        '<psc:chapter start="soon" title="Broken start"/><psc:chapter start="1:02:03" title="Goodbye"/></psc:chapters>'
        '<psc:chapters><psc:chapter start="0" title="Second list"/></psc:chapters>'
    )
    data = _item(chapters, namespaces='xmlns:psc="http://podlove.org/simple-chapters"')
    podcast = parse_feed(data, url="https://pod.example/feed").entries[0].podcast
    assert podcast is not None
    assert [(c.start_s, c.title) for c in podcast.chapters] == [(0.0, "Welcome"), (187.25, "Interview"), (3723.0, "Goodbye")]
    assert podcast.chapters[1].href == "https://pod.example/guests/ana"
