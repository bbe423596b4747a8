"""Hostile and broken pages: a clear result, no crash, bounded time."""

from __future__ import annotations

import time

import pytest
from tests.extract.pages import PARAGRAPHS, news_page

from syndic.extract import decode_page, extract_article

URL = "https://news.example.com/2024/01/night-buses"


@pytest.mark.parametrize("page", [b"", b"   \n\t ", ""])
def test_empty_page_is_an_error_not_a_crash(page: bytes | str) -> None:
    article = extract_article(page, URL)
    assert article.error == "empty page"
    assert article.html == "" and article.text == ""


def test_binary_data_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    article = extract_article(png, URL)
    assert article.error is not None and "binary" in article.error
    assert article.text == ""


def test_non_html_content_type_is_refused() -> None:
    article = extract_article(news_page().encode(), URL, content_type="application/pdf")
    assert article.error is not None and "application/pdf" in article.error


def test_wrong_declared_charset_still_decodes() -> None:
    page = news_page(paragraphs=[p.replace("council", "conseil élu à l’unanimité") for p in PARAGRAPHS])
    data = page.encode("utf-8")
    text = decode_page(data, "text/html; charset=iso-8859-1")
    assert "élu à l’unanimité" in text
    article = extract_article(data, URL, content_type="text/html; charset=iso-8859-1")
    assert article.error is None
    assert "élu à l’unanimité" in article.text


def test_legacy_charset_declared_in_meta() -> None:
    russian = "Городской совет во вторник проголосовал за продление ночных автобусных маршрутов. " * 4
    page = news_page(paragraphs=[russian] * 4).replace('charset="utf-8"', 'charset="windows-1251"')
    data = page.encode("cp1251")
    article = extract_article(data, URL)
    assert article.error is None
    assert "Городской совет" in article.text


def test_undeclared_legacy_charset_is_detected() -> None:
    text = "Die Stadtverwaltung hat beschlossen, dass die Straßenbahn künftig öfter fährt. " * 6
    assert decode_page(text.encode("cp1252"), None) == text


def test_deeply_nested_divs_are_refused_quickly() -> None:
    depth = 2_000_000  # about 22 MB
    page = "<html><body>" + "<div>" * depth + "text" + "</div>" * depth + "</body></html>"
    start = time.perf_counter()
    article = extract_article(page.encode(), URL)
    assert time.perf_counter() - start < 5
    assert article.error is not None and "too large" in article.error


def test_moderately_large_nesting_is_refused_by_depth() -> None:
    page = "<html><body>" + "<div>" * 30_000 + "text" + "</div>" * 30_000 + "</body></html>"
    start = time.perf_counter()
    article = extract_article(page, URL)
    assert time.perf_counter() - start < 5
    assert article.error is not None and "deeper" in article.error


def test_page_without_article_says_so() -> None:
    page = """<html><head><title>Example — Home</title></head><body>
    <nav><a href="/a">Politics</a> <a href="/b">Sport</a> <a href="/c">Culture</a></nav>
    <ul class="headlines"><li><a href="/1">Headline one</a></li><li><a href="/2">Headline two</a></li></ul>
    <footer>Copyright</footer></body></html>"""
    article = extract_article(page, URL)
    assert article.error is not None and article.error.startswith("no article found")
    assert article.text == "" and article.html == ""
    assert article.title == "Example — Home"


def test_garbage_markup_does_not_crash() -> None:
    pages = ["<<<>>><p<<div", "<html><body><p>" * 3000, "\x00\x01<html>\ufffd", "<" * 100_000]
    for page in pages:
        article = extract_article(page, URL)
        assert isinstance(article.text, str)


def test_odd_class_names_do_not_break_selectors() -> None:
    odd = 'story"] body [x="\n\tcol\\'
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = f"<html><body><div class='{odd}'>{paragraphs}</div><div class='{odd}'>{paragraphs}</div></body></html>"
    article = extract_article(page, URL)
    assert article.error is None and PARAGRAPHS[0] in article.text


def test_section_page_of_teasers_is_not_an_article() -> None:
    teasers = "".join(
        f'<div class="teaser"><h2><a href="/s{i}">Headline {i} about the council budget vote</a></h2>'
        f"<p>The council met again on Tuesday to talk about budget item {i}, and more.</p></div>"
        for i in range(12)
    )
    page = f"<html><head><title>News</title></head><body><main><section>{teasers}</section></main></body></html>"
    article = extract_article(page, "https://example.com/news/")
    assert article.error == "no article found: the page is a list of links to articles"
    assert article.text == ""


def test_legacy_bytes_declared_as_utf8_are_detected() -> None:
    russian = "Городской совет во вторник проголосовал за продление ночных автобусных маршрутов. " * 4
    page = news_page(paragraphs=[russian] * 4)  # its <meta> says utf-8, and so does the header
    article = extract_article(page.encode("cp1251"), URL, content_type="text/html; charset=utf-8")
    assert article.error is None
    assert "Городской совет" in article.text


def test_a_frameset_names_the_pages_that_hold_the_text() -> None:
    page = ('<html><head><title>Archive</title></head><frameset cols="20%,80%">'
            '<frame src="menu.html"><frame src="/stories/1998/flood.html">'
            "<noframes><body><p>Your browser does not support frames.</p></body></noframes></frameset></html>")
    article = extract_article(page.encode("latin-1"), URL)
    assert article.error == (
        "no article found: the page is a frameset, its text is in other pages: "
        "https://news.example.com/2024/01/menu.html, https://news.example.com/stories/1998/flood.html"
    )
    assert article.extra["frame_urls"].split() == [
        "https://news.example.com/2024/01/menu.html", "https://news.example.com/stories/1998/flood.html"]
    assert article.text == "" and article.title == "Archive"


def test_a_ten_megabyte_page_of_inline_data_is_read() -> None:
    """The fetcher keeps bodies up to 10 MB; a page that size because of an
    inline script is one text node to the parser, and its article is read."""
    page = news_page(head="<script>var state = '" + "A" * 9_900_000 + "';</script>")
    start = time.perf_counter()
    article = extract_article(page.encode(), URL)
    assert time.perf_counter() - start < 10
    assert article.error is None and article.text.split("\n\n") == PARAGRAPHS


def test_a_page_of_too_many_elements_is_refused_quickly() -> None:
    links = "".join(f'<li><a href="/x{i}">Link number {i}</a></li>' for i in range(200_000))
    page = news_page(extra_body=f"<ul>{links}</ul>")  # about 10 MB
    start = time.perf_counter()
    article = extract_article(page.encode(), URL)
    assert time.perf_counter() - start < 5
    assert article.error == "page has too many elements (400,038, limit 40,000)"


def test_an_absurdly_long_article_is_refused_with_its_length() -> None:
    page = news_page(paragraphs=["word " * 200_000])
    article = extract_article(page.encode(), URL)
    assert article.error == "article text too long (999,999 characters, limit 400,000)"
    assert article.text == ""
