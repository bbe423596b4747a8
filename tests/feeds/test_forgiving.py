"""Feeds broken the ways real feeds break: every item still comes out, marked bozo.

`bench/feeds.py` measures the same faults at scale (the ill-formed set,
syndic against feedparser); these are one small document per fault.
"""

from __future__ import annotations

import pytest

from syndic.feeds import parse_feed


def _rss(items: str, namespaces: str = 'xmlns:dc="http://purl.org/dc/elements/1.1/"') -> bytes:
    return f'<rss version="2.0" {namespaces}><channel><title>t</title>{items}</channel></rss>'.encode()


TWO_ITEMS = "<item><title>{a}</title><link>https://x.example/1</link>{extra}</item><item><title>Second</title><link>https://x.example/2</link></item>"


@pytest.mark.parametrize(
    ("title", "extra", "expected"),
    [
        ("Caf&eacute; &mdash; news", "", "Café — news"),  # HTML entities no DTD declares
        ("Q&A session", "", "Q&A session"),  # a bare ampersand
        ("Form\x0cfeed\x1b", "", "Formfeed"),  # characters XML forbids
        ("Raw HTML", "<description><p>One<br>two<p>unclosed</description>", "Raw HTML"),
    ],
)
def test_rss_fault_loses_no_item(title: str, extra: str, expected: str) -> None:
    feed = parse_feed(_rss(TWO_ITEMS.format(a=title, extra=extra)))
    assert [e.title for e in feed.entries] == [expected, "Second"]
    assert [e.link for e in feed.entries] == ["https://x.example/1", "https://x.example/2"]
    assert feed.bozo


def test_unescaped_html_in_an_atom_summary_stays_in_its_entry() -> None:
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>One</title>'
        b'<summary type="html"><p>First<br>para<p>open</summary></entry>'
        b"<entry><title>Two</title></entry></feed>"
    )
    feed = parse_feed(data)
    assert [e.title for e in feed.entries] == ["One", "Two"]
    assert feed.entries[0].summary_html is not None and "First" in feed.entries[0].summary_html


def test_undeclared_usual_prefix_is_read_as_its_vocabulary() -> None:
    feed = parse_feed(_rss("<item><title>a</title><dc:creator>Ana Silva</dc:creator></item>", namespaces=""))
    assert feed.entries[0].authors == ("Ana Silva",)
    assert feed.bozo


def test_truncated_feed_keeps_the_items_before_the_cut() -> None:
    data = _rss("<item><title>Whole</title></item><item><title>Half</title><link>https://x.ex")[:-25]
    feed = parse_feed(data)
    assert feed.entries[0].title == "Whole"
    assert feed.bozo
