"""Bad input gets a clear result, never a crash; and when unsure, cleaning keeps the line."""

from __future__ import annotations

import time

from syndic.clean import clean_article, clean_html, clean_text, parse_byline
from syndic.types import Article


def test_empty_text() -> None:
    result = clean_text("")
    assert result.text == "" and result.removed == () and result.authors == () and result.byline_problem is None


def test_empty_and_blank_html() -> None:
    for data in ("", "   ", "<div></div>", "<!-- x -->"):
        result = clean_html(data)
        assert result.text == ""
        assert result.html is not None


def test_all_residue_gives_empty_text_and_lists_everything() -> None:
    text = "Read more\n\nPowered by WPeMatico\n\nShare on Facebook\n\nLet's block ads! (Why?)"
    result = clean_text(text)
    assert result.text == ""
    assert len(result.removed) == 4


def test_ten_megabyte_single_line_is_kept_and_fast() -> None:
    line = "word " * 2_000_000
    started = time.perf_counter()
    result = clean_text(line)
    assert time.perf_counter() - started < 10
    assert result.text == line.strip()
    html_result = clean_html("<p>" + line + "</p>")
    assert len(html_result.text) == len(line.strip())


def test_ten_megabyte_line_that_starts_like_residue_is_kept() -> None:
    line = "Read more " + "x" * 10_000_000
    assert clean_text(line).text == line


def test_mixed_scripts() -> None:
    text = (
        "Москва — Министр иностранных дел встретился с коллегами в понедельник, сообщает агентство.\n\n"
        "東京では新しい法律が可決され、来年から施行される予定です。\n\n"
        "القاهرة — قال مسؤولون إن المحادثات ستستمر الأسبوع المقبل.\n\n"
        "Powered by WPeMatico"
    )
    result = clean_text(text)
    assert result.removed == ("Powered by WPeMatico",)
    assert result.text.count("\n\n") == 2


def test_story_sentences_with_residue_words_stay() -> None:
    text = (
        "Officials urged residents to read more about the evacuation routes before the storm.\n\n"
        "He told reporters to follow us on Twitter for updates, then walked out of the briefing.\n\n"
        "Subscribers to the plan will pay less, the company said in a filing on Tuesday.\n\n"
        "The photo by the agency showed the damaged bridge from the air.\n\n"
        "Sign up was slow, officials said.\n\n"
        "Click here, the attacker's email said, and your account will be restored.\n\n"
        "The broker may earn a commission of 2 percent, the filing shows.\n\n"
        "Photographs from the scene showed damage.\n\n"
        "Photo by the agency showed the bridge from the air on Tuesday.\n\n"
        "Read more about the case in court filings, which were unsealed on Friday."
    )
    result = clean_text(text)
    assert result.removed == ()
    assert result.text == text


def test_mid_story_short_lines_stay() -> None:
    text = (
        "The first part of the story is long enough to be a sentence of reporting, with details.\n\n"
        "A turning point\n\n"
        "The second part continues the account with more reporting and named sources in it."
    )
    assert clean_text(text).text == text


def test_dangling_bylines_are_reported_never_passed_on() -> None:
    for line in ("By and David Filipov,", "By , David Filipov", "By David Filipov and", "By"):
        parsed = parse_byline(line)
        assert parsed.problem is not None, line
        assert all(name.strip() and not name.startswith(("and", ",")) for name in parsed.names)
    assert parse_byline("By Ana Ruiz, Kenji Sato, and Tom Briggs").names == ("Ana Ruiz", "Kenji Sato", "Tom Briggs")
    assert parse_byline("By Ana Ruiz, Kenji Sato, and Tom Briggs").problem is None
    assert parse_byline("By David Filipov,").problem is None


def test_clean_article_repairs_authors_copied_from_a_broken_byline() -> None:
    article = Article(
        url="https://example.com/a",
        html="<p>By and David Filipov,</p><p>MOSCOW — A sentence of the story, long enough to count as one.</p>"
        "<p>Powered by WPeMatico</p>",
        text="",
        authors=("and David Filipov",),
    )
    cleaned = clean_article(article)
    assert cleaned.authors == ("David Filipov",)
    assert cleaned.byline_problem is not None
    assert cleaned.text == "MOSCOW — A sentence of the story, long enough to count as one."
    assert "WPeMatico" not in cleaned.html


def test_clean_article_plain_text_and_error_passthrough() -> None:
    article = Article(url="https://e.com/a", text="A full sentence of a story is here, with detail.\n\nRead more")
    assert clean_article(article).text == "A full sentence of a story is here, with detail."
    failed = Article(url="https://e.com/b", error="no article")
    assert clean_article(failed) is failed
