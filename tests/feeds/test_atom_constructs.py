"""Atom constructs publishers write in ways the spec did not foresee."""

from __future__ import annotations

from syndic.feeds import parse_feed

ATOM = '<feed xmlns="http://www.w3.org/2005/Atom"{attrs}>{feed}<entry>{entry}</entry></feed>'


def _atom(entry: str = "", feed: str = "", attrs: str = "") -> bytes:
    return ATOM.format(entry=entry, feed=feed, attrs=attrs).encode("utf-8")


def test_escaped_html_wrapped_in_an_xhtml_div_is_read_as_html() -> None:
    # TypePad: type="html", but the escaped HTML sits inside an XHTML <div>.
    content = (
        '<content type="html"><div xmlns="http://www.w3.org/1999/xhtml">'
        "Example &lt;b&gt;Atom&lt;/b&gt;</div></content>"
    )
    entry = parse_feed(_atom(content)).entries[0]
    assert entry.content_html == "Example <b>Atom</b>"


def test_html_content_with_real_child_elements_keeps_its_markup() -> None:
    content = '<content type="html"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p></div></content>'
    entry = parse_feed(_atom(content)).entries[0]
    assert entry.content_html == "<div><p>One</p></div>"


def test_empty_self_href_is_the_xml_base() -> None:
    data = _atom(feed='<link rel="self" href=""/>', attrs=' xml:base="http://www.example.com/feed"')
    assert parse_feed(data, url="http://mirror.example.net/x.xml").self_url == "http://www.example.com/feed"


def test_empty_self_href_without_xml_base_is_the_document() -> None:
    data = _atom(feed='<link rel="self" href=""/>')
    assert (
        parse_feed(data, url="http://www.example.com/atom.xml").self_url == "http://www.example.com/atom.xml"
    )


def test_empty_enclosure_href_is_no_enclosure() -> None:
    data = _atom('<link rel="enclosure" href="" type="audio/mpeg"/>')
    assert parse_feed(data, url="http://www.example.com/atom.xml").entries[0].enclosures == ()
