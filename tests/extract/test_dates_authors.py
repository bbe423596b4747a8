"""Published dates and authors: one date parser, one byline reader, htmldate where markup is silent."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bench.evaluate import authors_hit, load_date_author_labels, published_date_hit
from tests.extract.bench_outputs import SHARED, data_or_skip
from tests.extract.pages import PARAGRAPHS, news_page

from syndic.clean.byline import read_names
from syndic.extract import extract_article
from syndic.extract.metadata import parse_date
from syndic.feeds.dates import parse_date as feed_date

LABELS = Path(__file__).resolve().parents[2] / "bench" / "data" / "date_author_labels.json"
# Floors on the 125 pages labelled by reading them (bench/metadata.py prints the full table).
DATE_FLOOR = 0.92
AUTHORS_FLOOR = 0.86


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Analysis by Chris Cillizza, CNN Editor-at-large", ["Chris Cillizza"]),
        ("Bruce Y. Lee", ["Bruce Y. Lee"]),
        ("By Mike Wuerthele and Malcolm Owen Monday, November 18, 2019, 04:05 pm PT", ["Mike Wuerthele",
                                                                                     "Malcolm Owen"]),
        ("Von Moritz Wichmann 29.04.2020, 12:01 Uhr", ["Moritz Wichmann"]),
        ("by Tom Rogan | November 18, 2019 12:26 PM", ["Tom Rogan"]),
        ("Lüder Hoppe info@buero-hoppe.de", ["Lüder Hoppe"]),
        ("Laura Jordán / Javier Urbina", ["Laura Jordán", "Javier Urbina"]),
        ("DANICA KIRKA and JILL LAWLESS, Associated Press", ["Danica Kirka", "Jill Lawless"]),
        ("Associated Press", ["Associated Press"]),  # an agency alone is the author metadata names
        ("Autor: Sara Zinnecker Stand: 05. Februar 2020", ["Sara Zinnecker"]),
        ("gnaddrig", ["gnaddrig"]),  # a user name in metadata
        ("LAOLA1.at", []),
        ("finanztreff.de", []),
        ("Unknown", []),
        ("Staff Writer", []),
        ("https://www.facebook.com/someone", []),
    ],
)
def test_read_names(value: str, names: list[str]) -> None:
    assert read_names(value) == names


def test_read_names_strict_takes_no_sentence_and_no_site() -> None:
    assert read_names("By the time the crews arrived", strict=True) == []
    assert read_names("gnaddrig", strict=True) == []
    assert read_names("Jane Doe | The Daily Example", site_name="The Daily Example") == ["Jane Doe"]


def test_one_date_parser_for_feeds_and_pages() -> None:
    for value in ("2024-03-05T08:30:00+01:00", "Tue, 05 Mar 2024 07:30:00 GMT", "March 5, 2024 2:30 AM EST"):
        assert parse_date(value) == feed_date(value) == datetime(2024, 3, 5, 7, 30, tzinfo=UTC)
    assert parse_date("So, 12 Feb 2017 19:49:11 CET+0100") == datetime(2017, 2, 12, 18, 49, 11, tzinfo=UTC)
    assert parse_date("2019") is None  # a year is not a date
    assert parse_date("1850-01-01") is None
    assert parse_date("not a date") is None


def test_yoast_webpage_date_when_no_article_object() -> None:
    head = '<script type="application/ld+json">' + json.dumps({"@graph": [
        {"@type": "WebSite", "name": "Example"},
        {"@type": "WebPage", "datePublished": "2019-12-02T17:15:20+00:00", "dateModified": "2019-12-03T09:00:00Z"},
    ]}) + "</script>"
    article = extract_article(news_page(head=head), "https://example.org/games/bee")
    assert article.published == datetime(2019, 12, 2, 17, 15, 20, tzinfo=UTC)


def _page(header: str, *, title: str = "Night buses for the north", before: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<html><head><title>{title} | The Daily Example</title></head><body>{before}<article>"
        f"<h1>{title}</h1>{header}{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("header", "day"),
    [
        ('<div class="date">13.01.2022</div>', "2022-01-13"),
        ("<p>Datum: 19.11.2021</p>", "2021-11-19"),
        ("<p>Jueves, 21 de <span class='lc'>Abril</span> de 2022</p>", "2022-04-21"),  # split by an inline tag
        ("<p class='subtitle'>Handball Schweiz &bull; 02.02.2022</p>", "2022-02-02"),
        ("<span>By Kashmira Gander On 11/13/19 at 4:00 PM EST</span>", "2019-11-13"),
        ("<em>Dienstag, 2. November 2021</em>", "2021-11-02"),
        ("<div>Posted on April 29, 2022</div>", "2022-04-29"),
    ],
)
def test_visible_date_beside_the_headline(header: str, day: str) -> None:
    article = extract_article(_page(header), "https://example.org/news/night-buses")
    assert article.published is not None and article.published.date().isoformat() == day


def test_visible_date_prefers_the_headline_region_and_skips_prose() -> None:
    # Today's date in the site header comes before the headline; a date the story mentions is prose.
    mention = "<p>" + PARAGRAPHS[0] + " The council first discussed the plan on 03.02.2021 in a closed session.</p>"
    page = _page(mention + "<p>05.03.2024</p>", before="<div class='today'>Friday, 22 April 2022</div>")
    article = extract_article(page, "https://example.org/news/night-buses")
    assert article.published is not None and article.published.date().isoformat() == "2024-03-05"


def test_the_headline_is_the_h1_that_is_the_title() -> None:
    site_h1 = "<h1>The Daily Example</h1><nav><a href='/'>Home</a></nav><div>01.01.2020</div>"
    page = _page("<p>24.03.2022</p>", before=site_h1)
    article = extract_article(page, "https://example.org/news/night-buses")
    assert article.published is not None and article.published.date().isoformat() == "2022-03-24"


def test_no_date_is_invented_for_a_page_that_shows_none() -> None:
    article = extract_article(news_page(), "https://example.org/about/night-buses")
    assert article.published is None


def test_hcard_byline_names_the_author() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (
        '<html><body><article><h1>Night buses</h1><span class="byline">Posted on 11. April 2018 by '
        '<span class="author vcard"><a class="url fn n" href="/u/w">Walter von Aachen</a></span></span>'
        f"{body}</article></body></html>"
    )
    assert extract_article(page, "https://example.org/x").authors == ("Walter von Aachen",)


def test_dates_and_authors_on_pages_labelled_by_reading_them() -> None:
    data_or_skip(SHARED)
    dates: list[bool] = []
    authors: list[bool] = []
    for page in load_date_author_labels(LABELS, SHARED):
        url = page.url if page.url.startswith("http") else "https://unknown.invalid/"
        article = extract_article(page.html, url)
        got = article.published.astimezone(UTC).date().isoformat() if article.published else None
        if (hit := published_date_hit(page.dates, got)) is not None:
            dates.append(hit)
        if (hit := authors_hit(page.authors, article.authors)) is not None:
            authors.append(hit)
    assert sum(dates) / len(dates) >= DATE_FLOOR, f"published date {sum(dates)}/{len(dates)}"
    assert sum(authors) / len(authors) >= AUTHORS_FLOOR, f"authors {sum(authors)}/{len(authors)}"
