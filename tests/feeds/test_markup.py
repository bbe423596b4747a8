"""Publisher HTML inside feeds: links made absolute, a few repairs, nothing else touched."""

from __future__ import annotations

import pytest

from syndic.feeds.markup import absolutize_html, normalize_html

BASE = "https://x.example/dir/page"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<a href="/p">x</a>', '<a href="https://x.example/p">x</a>'),
        ("<img src = 'i.png'>", "<img src = 'https://x.example/dir/i.png'>"),
        ('<a\nhref="../y">', '<a\nhref="https://x.example/y">'),
        ('<q cite="z">', '<q cite="https://x.example/dir/z">'),
        ('<a title="x" href="y&amp;z">', '<a title="x" href="https://x.example/dir/y&amp;z">'),
        ('<a href="http://o/">', '<a href="http://o/">'),  # already absolute
        ('<a href="#top">', '<a href="#top">'),  # a fragment stays in the page
        ('<a href="mailto:a@b">', '<a href="mailto:a@b">'),
        ('<a data-href="/x">', '<a data-href="/x">'),  # not a URL attribute
        ('<p>a = "b" c</p>', '<p>a = "b" c</p>'),  # an equals sign in text
    ],
)
def test_relative_urls_become_absolute(markup: str, expected: str) -> None:
    assert absolutize_html(markup, BASE) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("don&#146;t", "don&#x2019;t"),  # a Windows-1252 code point written as Unicode
        ("&#X61;", "&#x61;"),
        ("a<br/>b<br />c", "a<br />b<br />c"),
        ("""&lt;!' <a href="foo">""", """&lt;!' <a href="foo">"""),
        ("""<!' <a href="foo">""", """&lt;!' <a href="foo">"""),  # "<!'" opens nothing
        ("1 < 2 <3", "1 &lt; 2 &lt;3"),
        ("<!-- c --><![CDATA[x]]><?pi?></p>", "<!-- c --><![CDATA[x]]><?pi?></p>"),
    ],
)
def test_normalize_html(markup: str, expected: str) -> None:
    assert normalize_html(markup) == expected
