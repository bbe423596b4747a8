"""Feed discovery from a page: declared feeds first, in order, then guesses."""

from __future__ import annotations

from syndic.feeds import discover_feeds

PAGE = """<!doctype html>
<html><head>
<title>News</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
<link rel="alternate" type="application/rss+xml" title="RSS" href="https://news.example.com/rss">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="Alternate Feed" type="application/json" href="//cdn.example.com/j.json">
<link rel="alternate" type="application/json" href="https://news.example.com/wp-json/wp/v2/posts/12">
</head><body>
<a href="/about">About</a>
<a href="/category/world/feed/">World feed</a>
<a href="https://news.example.com/rss">dup</a>
<a href="/podcast/rss.xml">Podcast</a>
<a href="/blog/atom.xml#x">Blog</a>
<a href="/feedback">Feedback</a>
</body></html>"""


def test_declared_feeds_in_order_then_guesses() -> None:
    found = discover_feeds(PAGE, "https://news.example.com/section/page.html")
    assert found == [
        "https://news.example.com/atom.xml",
        "https://news.example.com/rss",
        "https://news.example.com/section/feed.json",
        "https://cdn.example.com/j.json",
        "https://news.example.com/category/world/feed/",
        "https://news.example.com/podcast/rss.xml",
        "https://news.example.com/blog/atom.xml",
    ]


def test_base_href_is_respected_and_bytes_accepted() -> None:
    html = b'<html><head><base href="https://static.example.org/b/"><link rel="alternate" type="application/rss+xml" href="f.xml"></head></html>'
    assert discover_feeds(html, "https://www.example.org/") == ["https://static.example.org/b/f.xml"]


def test_page_without_feeds() -> None:
    assert discover_feeds("<html><body><a href='/x'>x</a></body></html>", "https://e.com/") == []
    assert discover_feeds("", "https://e.com/") == []
    assert discover_feeds(b"\x00\x01garbage", "https://e.com/") == []
