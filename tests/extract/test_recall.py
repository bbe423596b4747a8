"""What the extractor must not drop: the kinds of content the labelled sets
showed it losing, each on a small page of the shape found there."""

from __future__ import annotations

from tests.extract.pages import PARAGRAPHS

from syndic.extract import extract_article

URL = "https://example.com/news/night-buses"
LEAD = "The council has found the money for night buses at last, and the first ones run in March."


def _page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>Night buses</title>{head}</head><body>"
        '<header class="site-header"><a href="/">The Daily Example</a><nav><a href="/news">News</a></nav></header>'
        f"{body}"
        '<footer class="site-footer"><p>Copyright 2024 The Daily Example. All rights reserved.</p></footer>'
        "</body></html>"
    )


def _paragraphs(items: list[str] = PARAGRAPHS) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


def test_lead_before_the_body_container_comes_first() -> None:
    page = _page(
        '<article><header class="entry-header"><h1>Night buses</h1>'
        '<h2 class="subtitle">A deck under the headline belongs with the title</h2>'
        f'<div class="entry-intro"><p>{LEAD}</p></div></header>'
        f'<div class="entry-content">{_paragraphs()}</div></article>'
    )
    article = extract_article(page, URL, clean=False)
    assert article.text.split("\n\n") == [LEAD, *PARAGRAPHS]


def test_the_whole_marked_body_not_its_longest_part() -> None:
    """A body with an intro and sections in an accordion: the best-scoring
    block is one section, the body is the container the CMS names."""
    sections = "".join(
        f'<li class="accordion-item"><h3>Part {i}</h3><div class="accordion-content"><p>{p}</p>'
        f"<p>{p.replace('the', 'a')}</p></div></li>"
        for i, p in enumerate(PARAGRAPHS[1:], start=1)
    )
    page = _page(
        f'<div class="row"><section class="post-content"><p>{PARAGRAPHS[0]}</p>'
        f'<ul class="accordion">{sections}</ul></section>'
        '<aside class="sidebar"><ul><li><a href="/a">Another story</a></li></ul></aside></div>'
    )
    text = extract_article(page, URL, clean=False).text
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    assert "Another story" not in text


def test_a_post_rendered_for_readers_without_scripts() -> None:
    page = _page(f'<div class="post-body"><noscript>{_paragraphs()}</noscript></div>'
                 "<noscript>Please enable JavaScript to view the comments.</noscript>")
    article = extract_article(page, URL, clean=False)
    assert article.error is None
    assert article.text.split("\n\n") == PARAGRAPHS
    assert "<noscript" not in article.html and "&lt;p&gt;" not in article.html
    assert "enable JavaScript" not in article.text


def test_a_body_inside_a_wrapper_named_like_furniture() -> None:
    """Layout class names ("zen-one-sidebar-second") around the body: the
    first pass drops the wrapper, the second pass, ignoring class names, keeps it."""
    menu = "".join(f'<li><a href="/s{i}">Section number {i}</a></li>' for i in range(90))
    page = _page(
        f'<div class="menu-block"><ul>{menu}</ul></div>'
        f'<div class="panel-display zen-one-sidebar-second"><div class="views-field-body">{_paragraphs()}</div></div>'
    )
    article = extract_article(page, URL, clean=False)
    assert article.error is None
    assert article.text.split("\n\n") == PARAGRAPHS


def test_an_embedded_tweet_is_quoted_text() -> None:
    tweet = ('<div class="social-media-embed"><blockquote class="twitter-tweet"><p>Meth. We are on it. '
             'The state spent half a million on this campaign.</p>&mdash; A reader (@reader) '
             '<a href="https://twitter.com/reader/status/1">November 18, 2019</a></blockquote></div>')
    page = _page(f'<div class="article-body">{_paragraphs(PARAGRAPHS[:2])}{tweet}{_paragraphs(PARAGRAPHS[2:])}</div>')
    text = extract_article(page, URL, clean=False).text
    assert "The state spent half a million on this campaign." in text
    assert text.endswith(PARAGRAPHS[-1])


def test_ruby_readings_do_not_split_the_text() -> None:
    page = _page('<div class="article-body"><p>子どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>をなくすための'
                 '<ruby>法律<rt>ほうりつ</rt></ruby>ができました。親が子どもをたたくことは禁止になります。'
                 'この法律は来年から始まります。</p><p>専門家は、親が子どもの育て方を学ぶことが大切だと話しています。'
                 '国は相談の窓口を増やすことにしています。</p></div>')
    text = extract_article(page, URL, clean=False).text
    assert "子どもへの虐待をなくすための法律ができました。" in text
    assert "ぎゃくたい" not in text


def test_a_paragraph_with_a_hidden_popover_of_links_is_kept() -> None:
    popover = ('<span class="rollover-people-block">' + "".join(
        f'<a href="/a{i}">A long headline of another story number {i}</a>' for i in range(4)) + "</span>")
    first = f'<p>A New York man pleaded guilty to threatening <a href="/p">Rep. Omar</a>{popover} this week.</p>'
    page = _page(f'<div class="article-body">{first}{_paragraphs()}</div>')
    text = extract_article(page, URL, clean=False).text
    assert text.startswith("A New York man pleaded guilty to threatening Rep. Omar this week.")


def test_a_header_wrapping_the_whole_page_is_its_layout() -> None:
    """A template that opens <header> and closes it after the footer: the
    page's text is inside it, so it is not the page's header."""
    page = ('<html><head><title>Emden</title></head><body><div id="page"><header id="branding">'
            '<nav><a href="/">Home</a> <a href="/europa">Europa</a></nav>'
            f'<div id="content"><article class="page2">{_paragraphs()}</article></div>'
            "</header></div></body></html>")
    article = extract_article(page, URL, clean=False)
    assert article.error is None
    assert article.text.split("\n\n") == PARAGRAPHS


def test_picture_credits_and_captions_in_other_languages_stay_with_the_picture() -> None:
    figure = ('<figure><img src="/bus.jpg" alt=""><span class="bildunterschrift">Der neue Nachtbus.</span>'
              '<span class="copyright">Foto: AFP / Marco Bertorello</span></figure>')
    page = _page(f'<div class="article-body">{_paragraphs(PARAGRAPHS[:2])}{figure}{_paragraphs(PARAGRAPHS[2:])}</div>')
    article = extract_article(page, URL, clean=False)
    assert article.text.split("\n\n") == PARAGRAPHS
    assert "<figcaption>Der neue Nachtbus.</figcaption>" in article.html
    assert "AFP / Marco Bertorello" in article.html  # shown with the picture, not in the text


def test_an_inline_read_also_label_does_not_end_the_article() -> None:
    box = '<p><strong>Leggi anche</strong></p><p><a href="/altro">Un altro articolo sul tema</a></p>'
    page = _page(f'<div class="article-body">{_paragraphs(PARAGRAPHS[:3])}{box}<p>{PARAGRAPHS[3]}</p></div>')
    text = extract_article(page, URL, clean=False).text
    assert text.split("\n\n") == PARAGRAPHS


def test_hidden_and_date_stamps_named_in_other_ways_are_not_text() -> None:
    body = (f'<div class="article-body"><span class="hideCompletely">Weitere Informationen</span>{_paragraphs()}'
            '<div class="date published">Ultima modifica 18 febbraio 2022</div></div>')
    text = extract_article(_page(body), URL, clean=False).text
    assert text.split("\n\n") == PARAGRAPHS
