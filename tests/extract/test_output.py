"""Sanitized HTML, plain text with paragraph breaks, and Markdown."""

from __future__ import annotations

from tests.extract.pages import PARAGRAPHS, news_page

from syndic.extract import extract_article, to_markdown

URL = "https://www.dailyexample.com/news/night-buses"


def test_body_text_has_paragraphs_and_no_furniture() -> None:
    extra = ('<h2>What happens next</h2><ul><li>Hiring drivers over the winter months</li>'
             '<li>Training them in February</li></ul><img src="/img/map.png" alt="map">'
             '<p onclick="alert(1)">Click <a href="javascript:alert(1)">here</a> for the timetable of all lines.</p>')
    article = extract_article(news_page(extra_body=extra).encode(), URL)
    assert article.error is None
    assert article.text.split("\n\n")[:4] == PARAGRAPHS
    for furniture in ("Share on Twitter", "Related", "Copyright", "Home", "should never appear", "By Ana Lima"):
        assert furniture not in article.text
    assert "What happens next" in article.text
    assert "Hiring drivers over the winter months" in article.text
    assert "<script" not in article.html and "onclick" not in article.html
    assert "javascript:" not in article.html
    assert 'src="https://www.dailyexample.com/img/map.png"' in article.html


def test_markdown_output() -> None:
    html = ('<h2>Plan</h2><p>The <strong>council</strong> voted. See <a href="https://example.com/x">the plan</a>.</p>'
            '<ul><li>one</li><li>two</li></ul><script>bad()</script>')
    markdown = to_markdown(html)
    assert "## Plan" in markdown
    assert "**council**" in markdown
    assert "[the plan](https://example.com/x)" in markdown
    assert "- one" in markdown and "- two" in markdown
    assert "bad()" not in markdown
    assert to_markdown("") == ""


def test_markdown_of_an_extracted_article() -> None:
    article = extract_article(news_page(), URL)
    markdown = to_markdown(article.html)
    for paragraph in PARAGRAPHS:
        assert paragraph in markdown


def test_trailer_is_cut_from_text_and_html() -> None:
    trailer = ('<h3>You may also like</h3><div><p>Another story about something else entirely, with words.</p>'
               '<p>And yet another teaser paragraph that is not part of the article.</p></div>')
    article = extract_article(news_page(extra_body=trailer), URL)
    assert article.error is None
    assert article.text.split("\n\n") == PARAGRAPHS
    assert "You may also like" not in article.html
    assert "teaser paragraph" not in article.html
    assert PARAGRAPHS[-1] in article.html
