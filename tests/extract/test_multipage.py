"""Multi-page articles: finding the next page with confidence, and joining."""

from __future__ import annotations

import urllib.request

from selectolax.lexbor import LexborHTMLParser
from tests.conftest import LocalSite
from tests.extract.pages import PARAGRAPHS

from syndic.extract import extract_article, merge_pages
from syndic.extract.multipage import find_next_page, is_next_page_of
from syndic.types import Article


def test_is_next_page_of() -> None:
    url = "https://example.com/news/long-read"
    assert is_next_page_of(url, "https://example.com/news/long-read/2")
    assert is_next_page_of(url, "https://example.com/news/long-read?page=2")
    assert is_next_page_of("https://example.com/a.html", "https://example.com/a-2.html")
    assert is_next_page_of("https://example.com/story?id=7", "https://example.com/story?id=7&page=3")
    assert not is_next_page_of(url, "https://example.com/news/another-story")  # a blog's next post
    assert not is_next_page_of(url, "https://other.com/news/long-read/2")
    assert not is_next_page_of(url, url)


def test_rel_next_only_when_confident() -> None:
    url = "https://example.com/news/long-read"
    paged = LexborHTMLParser('<link rel="next" href="/news/long-read/2">')
    assert find_next_page(paged, url) == "https://example.com/news/long-read/2"
    post = LexborHTMLParser('<link rel="next" href="/news/unrelated-story">')
    assert find_next_page(post, url) is None
    pager = LexborHTMLParser(
        '<div class="pagination"><a href="/news/long-read?page=2">Next ›</a></div>'
        '<a class="next-story" href="/news/other">Next</a>'
    )
    assert find_next_page(pager, url) == "https://example.com/news/long-read?page=2"
    no_pager = LexborHTMLParser('<div class="pagination"><a href="/news/other-read/2">Next</a></div>')
    assert find_next_page(no_pager, url) is None


def test_merge_pages_joins_in_order_and_drops_repeats() -> None:
    first = Article(url="u", title="T", html="<p>one</p>", text="one", extra={"next_page_url": "u/2"})
    second = Article(url="u/2", html="<p>two</p>", text="two")
    repeat = Article(url="u/3", html="<p>one</p>", text="one")
    failed = Article(url="u/4", error="no article found")
    merged = merge_pages(first, [second, repeat, failed])
    assert merged.text == "one\n\ntwo"
    assert merged.html == "<p>one</p>\n<p>two</p>"
    assert merged.title == "T"
    assert "next_page_url" not in merged.extra and merged.extra["pages"] == "2"


def _page(paragraphs: list[str], next_href: str | None) -> bytes:
    link = f'<link rel="next" href="{next_href}">' if next_href else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>Long read</title>{link}</head><body><article>{body}</article></body></html>".encode()


def test_follow_and_join_pages_over_http(local_site: LocalSite) -> None:
    local_site.serve("/read", _page(PARAGRAPHS[:2], "/read/2"))
    local_site.serve("/read/2", _page(PARAGRAPHS[2:], None))
    url = local_site.url("/read")
    articles: list[Article] = []
    while url and len(articles) < 5:
        with urllib.request.urlopen(url, timeout=5) as response:
            articles.append(extract_article(response.read(), url, content_type=response.headers["Content-Type"]))
        url = articles[-1].extra.get("next_page_url", "")
    assert len(articles) == 2
    merged = merge_pages(articles[0], articles[1:])
    assert merged.text.split("\n\n") == PARAGRAPHS
    assert local_site.hits == {"/read": 1, "/read/2": 1}
