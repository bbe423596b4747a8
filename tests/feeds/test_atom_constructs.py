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


def test_inline_svg_keeps_its_namespace_and_loses_its_prefix() -> None:
    # Written with an svg: prefix, as XML allows; a browser only draws <svg xmlns=...>.
    content = (
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:svg="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<p>A<br/>B</p><svg:svg width="4"><svg:a xlink:href="https://x.example/"><svg:circle r="1"/></svg:a>'
        "</svg:svg></div></content>"
    )
    entry = parse_feed(_atom(content)).entries[0]
    assert entry.content_html == (
        '<p>A<br />B</p><svg width="4" xmlns="http://www.w3.org/2000/svg">'
        '<a xlink:href="https://x.example/" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<circle r="1"></circle></a></svg>'
    )


def test_inline_markup_in_the_feed_namespace_is_read_as_html() -> None:
    # No XHTML namespace declared: the div and its children are in Atom's namespace.
    entry = parse_feed(_atom('<content type="xhtml"><div><b>bold</b> &amp; <i>it</i></div></content>')).entries[0]
    assert entry.content_html == "<b>bold</b> &amp; <i>it</i>"


def test_relative_atom_id_is_resolved_against_xml_base() -> None:
    data = _atom("<id>posts/7</id><title>t</title>", attrs=' xml:base="https://blog.example.com/"')
    assert parse_feed(data).entries[0].guid == "https://blog.example.com/posts/7"
