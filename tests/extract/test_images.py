"""Pictures in the article HTML: resolved as a reader of the page sees them,
captions as <figcaption>, the lead picture first; the text leaves them out."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser
from tests.extract.pages import PARAGRAPHS

from syndic.extract import extract_article

URL = "https://example.com/news/2024/night-buses"
PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def _page(body: str, head: str = "", above: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<html><head><title>Night buses</title>{head}</head><body>"
        '<header class="site-header"><img src="/logo.png" width="120" height="40" alt="The Daily Example"></header>'
        f'<article><header class="entry-header"><h1>Night buses</h1>{above}</header>'
        f'<div class="entry-content">{body.replace("PARAGRAPHS", paragraphs)}</div></article>'
        "</body></html>"
    )


def _images(html: str) -> list[dict[str, str | None]]:
    return [node.attributes for node in LexborHTMLParser(html).css("img")]


def test_lazy_images_get_their_real_absolute_address() -> None:
    body = (f'<p><img src="{PLACEHOLDER}" data-src="/img/bus.jpg" '
            'data-srcset="/img/bus-480.jpg 480w, /img/bus-960.jpg 960w" alt="A night bus"></p>'
            '<noscript><img src="/img/bus.jpg" alt="A night bus"></noscript>PARAGRAPHS')
    article = extract_article(_page(body), URL)
    images = _images(article.html)
    assert len(images) == 1  # the <noscript> copy is the same picture
    assert images[0]["src"] == "https://example.com/img/bus.jpg"
    assert images[0]["srcset"] == "https://example.com/img/bus-480.jpg 480w, https://example.com/img/bus-960.jpg 960w"
    assert article.text.split("\n\n") == PARAGRAPHS


def test_picture_sources_and_relative_addresses() -> None:
    body = ('<picture><source data-srcset="photos/wide.webp 2x" type="image/webp">'
            '<img src="photos/narrow.jpg" alt="Depot"></picture>PARAGRAPHS')
    html = extract_article(_page(body), URL).html
    assert 'srcset="https://example.com/news/2024/photos/wide.webp 2x"' in html
    assert _images(html)[0]["src"] == "https://example.com/news/2024/photos/narrow.jpg"


def test_a_caption_becomes_the_figcaption_of_its_picture() -> None:
    body = ('<p>' + PARAGRAPHS[0] + '</p><div class="wp-caption alignnone"><img src="/depot.jpg" alt="">'
            '<p class="wp-caption-text">The depot at night. Photo: A. Lima</p></div>'
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:]))
    article = extract_article(_page(body), URL)
    figure = LexborHTMLParser(article.html).css_first("figure")
    assert figure is not None
    assert figure.css_first("img").attributes["src"] == "https://example.com/depot.jpg"
    assert figure.css_first("figcaption").text() == "The depot at night. Photo: A. Lima"
    assert "The depot at night" not in article.text  # captions are the picture's, not the text's
    assert article.text.split("\n\n") == PARAGRAPHS


def test_the_lead_picture_above_the_body_comes_first() -> None:
    above = ('<figure class="hero"><img src="/hero.jpg" width="1200" height="675" alt="">'
             '<figcaption>Drivers in training</figcaption></figure>'
             '<img src="/avatar.jpg" width="48" height="48" alt="Ana Lima">')
    article = extract_article(_page("PARAGRAPHS", above=above), URL)
    assert re.match(r"\s*<figure><img src=\"https://example.com/hero.jpg\"", article.html)
    assert "avatar" not in article.html and "logo" not in article.html
    assert article.image == "https://example.com/hero.jpg"
    assert article.text.split("\n\n") == PARAGRAPHS


def test_the_pages_own_picture_when_the_body_shows_none() -> None:
    head = '<meta property="og:image" content="/social/bus.jpg">'
    article = extract_article(_page("PARAGRAPHS", head=head), URL)
    assert article.image == "https://example.com/social/bus.jpg"
    assert article.html.startswith('<figure><img src="https://example.com/social/bus.jpg"')


def test_tracking_pixels_and_unresolved_placeholders_are_dropped() -> None:
    body = ('<img src="https://tracker.example.net/p.gif" width="1" height="1">'
            f'<img src="{PLACEHOLDER}" class="lazy">PARAGRAPHS<img src="/in-text.jpg" alt="">')
    article = extract_article(_page(body), URL)
    assert [i["src"] for i in _images(article.html)] == ["https://example.com/in-text.jpg"]
    assert article.image == "https://example.com/in-text.jpg"  # no og:image: the body's first picture


def test_every_demo_article_keeps_its_lead_picture_first() -> None:
    """The demo reader shows the stored article HTML: each demo page's lead
    picture (in the article's header, above the body) is its first picture."""
    from syndic.demo.pages import article_page, article_path, image_path
    from syndic.demo.stories import STORIES

    base = "http://127.0.0.1:8000"
    for story in STORIES:
        article = extract_article(article_page(story, base), base + article_path(story))
        assert article.error is None, story.key
        images = _images(article.html)
        assert images and images[0]["src"] == base + image_path(story), story.key
        assert article.image == base + image_path(story), story.key
