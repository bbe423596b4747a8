"""Encodings that lie, and bodies that are not feeds at all."""

from __future__ import annotations

import codecs

import pytest

from syndic.errors import FeedError
from syndic.feeds import parse_feed

TITLE = "Crème brûlée – “naïve” café"


def _rss(encoding_decl: str | None, title: str = TITLE) -> str:
    decl = f'<?xml version="1.0" encoding="{encoding_decl}"?>' if encoding_decl else '<?xml version="1.0"?>'
    return f'{decl}<rss version="2.0"><channel><title>{title}</title></channel></rss>'


@pytest.mark.parametrize(
    ("declared", "actual", "content_type"),
    [
        ("utf-8", "utf-8", None),
        ("iso-8859-1", "utf-8", None),  # UTF-8 bytes declared Latin-1
        ("utf-8", "windows-1252", None),  # Windows-1252 bytes declared UTF-8
        (None, "windows-1252", "application/rss+xml; charset=windows-1252"),
        ("iso-8859-1", "utf-8", "text/xml; charset=utf-8"),  # HTTP charset wins
        ("utf-8", "utf-8", "text/xml"),  # RFC 3023 says us-ascii; the bytes say otherwise
        ("utf-16", "utf-16", None),
    ],
)
def test_title_survives_wrong_declarations(
    declared: str | None, actual: str, content_type: str | None
) -> None:
    data = _rss(declared).encode(actual)
    feed = parse_feed(data, content_type=content_type)
    assert feed.title == TITLE


def test_utf8_bom_with_other_declaration() -> None:
    data = codecs.BOM_UTF8 + _rss("windows-1252").encode("utf-8")
    feed = parse_feed(data)
    assert feed.title == TITLE
    assert feed.encoding == "utf-8"


def test_http_charset_is_reported() -> None:
    feed = parse_feed(_rss("utf-8", "plain").encode(), content_type="application/rss+xml; charset=ISO-8859-1")
    assert feed.encoding == "iso-8859-1"
    assert feed.bozo is None


def test_windows_1252_punctuation_as_c1_controls_is_repaired() -> None:
    data = '<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><title>don\x92t</title></channel></rss>'
    assert parse_feed(data.encode("latin-1")).title == "don\u2019t"


@pytest.mark.parametrize("body", [b"", b"   \n\t  "])
def test_empty_body_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError, match="empty"):
        parse_feed(body)


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>",
        b"<html><body>Not here</body></html>",
        b"\n<!-- generated -->\n<HTML><HEAD></HEAD></HTML>",
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    ],
)
def test_html_page_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(body, content_type="text/html")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "root element"),
        (b'{"name": "not a feed"}', "JSON Feed"),
        (b"[1, 2, 3]", "unreadable|JSON"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "invalid JSON"),
        (b"\x00\x01\x02 binary junk", "unreadable"),
    ],
)
def test_not_a_feed(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(body)


def test_illformed_xml_is_recovered_with_a_reason() -> None:
    data = b"<rss version='2.0'><channel><title>A & B</title><item><title>One</title><link>http://e.com/1</link></item><item><title>Two</channel></rss>"
    feed = parse_feed(data)
    assert feed.bozo
    assert feed.title == "A & B"
    assert feed.entries[0].title == "One"


def test_wellformed_feed_has_no_bozo() -> None:
    feed = parse_feed(b"<rss version='2.0'><channel><title>ok</title></channel></rss>")
    assert feed.bozo is None


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_json_feed_with_byte_order_mark(encoding: str) -> None:
    data = '{"version": "https://jsonfeed.org/version/1.1", "title": "Café", "items": []}'.encode(encoding)
    feed = parse_feed(data, content_type="application/feed+json")
    assert feed.title == "Café"
    assert feed.version == "json11"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Itâ€™s done â€¦", "It’s done …"),  # UTF-8 read as Windows-1252, then re-encoded
        ("&#226;&#128;&#166;", "…"),  # the same, as character references
        ("Größe naïve café", "Größe naïve café"),  # real Latin text is left alone
    ],
)
def test_double_encoded_utf8_is_repaired(written: str, expected: str) -> None:
    data = f"<rss version='2.0'><channel><item><title>{written}</title><link>http://e.com/1</link></item></channel></rss>"
    assert parse_feed(data.encode("utf-8")).entries[0].title == expected


@pytest.mark.parametrize(
    ("text", "codec", "names"),
    [
        # Windows' superset of Shift_JIS decodes these bytes the same way.
        ("東京の天気は晴れ、明日は雨が降るでしょう。週末は気温が上がります。", "shift_jis", ("SHIFT_JIS", "CP932")),
        ("Наверное, единственное, во что сегодня можно верить, это погода и новости.", "koi8_r", ("KOI8-R",)),
    ],
)
def test_undeclared_encoding_is_guessed_and_named(text: str, codec: str, names: tuple[str, ...]) -> None:
    # No declaration, no charset, not UTF-8: the bytes are guessed, the document is bozo.
    data = f"<rss version='2.0'><channel><title>{text}</title></channel></rss>".encode(codec)
    feed = parse_feed(data)
    assert feed.title == text
    assert feed.encoding in names
    assert feed.bozo
