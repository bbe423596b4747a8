"""A page that is an article gives its text however short; only listings and
pages without text are refused, each with the reason."""

from __future__ import annotations

from syndic.extract import extract_article

URL = "https://example.com/2024/05/short-note"
COOKIE = (
    "We use cookies and similar technologies to run this site, to measure how it is used and to show you "
    "advertising that may interest you. You can accept all of them, refuse the ones that are not needed, or "
    "choose which ones you allow in the settings; you can change your mind at any time on the privacy page. "
    "Some partners process your data on the basis of their legitimate interest, which you may object to."
)
MENU = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(12))


def _page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>Short note - Example Blog</title>{head}</head><body>"
        f'<nav class="main-menu"><ul>{MENU}</ul></nav>{body}'
        f'<div class="cookie-banner"><p>{COOKIE}</p></div>'
        '<footer><p>Example Blog, since 2009.</p></footer></body></html>'
    )


def test_a_two_paragraph_blog_post() -> None:
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BlogPosting",'
          ' "headline": "Short note"}</script>')
    page = _page('<div class="post"><h1>Short note</h1><p>The library is closed on Monday.</p>'
                 "<p>It opens again on Tuesday at nine.</p></div>", head=ld)
    article = extract_article(page, URL)
    assert article.error is None
    assert article.text == "The library is closed on Monday.\n\nIt opens again on Tuesday at nine."


def test_one_paragraph_under_og_type_article() -> None:
    head = '<meta property="og:type" content="article">'
    page = _page('<div id="main"><h1>Short note</h1><p>Road works on Elm Street end a week early.</p></div>', head)
    article = extract_article(page, URL)
    assert article.error is None
    assert article.text == "Road works on Elm Street end a week early."


def test_a_short_article_element_is_not_traded_for_a_longer_banner() -> None:
    page = _page("<main><article><h1>Short note</h1><p>The ferry runs again from Saturday, the port said.</p>"
                 "<p>Tickets bought for the cancelled crossings are refunded.</p></article></main>")
    article = extract_article(page, URL)
    assert article.error is None
    assert article.text.split("\n\n") == [
        "The ferry runs again from Saturday, the port said.",
        "Tickets bought for the cancelled crossings are refunded.",
    ]
    assert "cookies" not in article.text


def test_a_home_page_is_refused_as_a_listing() -> None:
    teasers = "".join(
        f'<li><h2><a href="/2024/05/story-{i}">Story number {i} about the town and its people</a></h2>'
        f"<p>A short summary of story {i}, one sentence.</p></li>"
        for i in range(10)
    )
    article = extract_article(_page(f'<main><ul class="stories">{teasers}</ul></main>'), "https://example.com/")
    assert article.error == "no article found: the page is a list of links to articles"
    assert article.text == "" and article.html == ""


def test_a_page_without_text_is_refused() -> None:
    page = ('<html><head><title>Gallery</title></head><body><nav><a href="/">Home</a></nav>'
            '<div class="gallery"><img src="/a.jpg"><img src="/b.jpg"></div></body></html>')
    article = extract_article(page, URL)
    assert article.error is not None and article.error.startswith("no article found:")
    assert article.text == ""
