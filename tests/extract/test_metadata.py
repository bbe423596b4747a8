"""Metadata from JSON-LD, OpenGraph, meta tags and the page itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from tests.extract.pages import news_page

from syndic.extract import extract_article
from syndic.extract.metadata import clean_authors, parse_date

URL = "https://www.dailyexample.com/news/2024/03/05/night-buses?utm_source=feed"


def _jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_jsonld_article_fields() -> None:
    head = _jsonld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": "Daily Example Site"},
                {
                    "@type": ["NewsArticle"],
                    "headline": "Night buses approved for the north",
                    "author": [
                        {"@type": "Person", "name": "Ana Lima"},
                        {"@type": "Person", "name": "David Okafor"},
                    ],
                    "datePublished": "2024-03-05T08:30:00+01:00",
                    "dateModified": "2024-03-05T11:00:00Z",
                    "image": {"@type": "ImageObject", "url": "/img/bus.jpg"},
                    "inLanguage": "en-GB",
                    "publisher": {"@type": "Organization", "name": "The Daily Example"},
                },
            ],
        }
    )
    article = extract_article(news_page(head=head, lang=""), URL)
    assert article.error is None
    assert article.title == "Night buses approved for the north"
    assert article.authors == ("Ana Lima", "David Okafor")
    assert article.published == datetime(2024, 3, 5, 7, 30, tzinfo=UTC)
    assert article.published is not None and article.published.tzinfo is not None
    assert article.modified == datetime(2024, 3, 5, 11, 0, tzinfo=UTC)
    assert article.image == "https://www.dailyexample.com/img/bus.jpg"
    assert article.language == "en"
    assert article.site_name == "The Daily Example"


def test_opengraph_and_meta_tags() -> None:
    head = """
    <meta property="og:title" content="Night buses for the north | The Daily Example">
    <meta property="og:site_name" content="The Daily Example">
    <meta property="og:image" content="https://cdn.dailyexample.com/bus.jpg">
    <meta property="og:url" content="https://www.dailyexample.com/news/night-buses">
    <meta property="article:published_time" content="2024-03-05T08:30:00-05:00">
    <meta name="author" content="By Ana Lima and David Okafor">
    <meta name="description" content="The council voted to extend night buses.">
    <link rel="canonical" href="/news/2024/03/05/night-buses">
    """
    article = extract_article(news_page(head=head, lang="en-US"), URL)
    assert article.title == "Night buses for the north"
    assert article.site_name == "The Daily Example"
    assert article.image == "https://cdn.dailyexample.com/bus.jpg"
    assert article.canonical_url == "https://www.dailyexample.com/news/2024/03/05/night-buses"
    assert article.published == datetime(2024, 3, 5, 8, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert article.authors == ("Ana Lima", "David Okafor")
    assert article.description == "The council voted to extend night buses."
    assert article.language == "en"


def test_page_fallbacks_when_no_metadata() -> None:
    article = extract_article(news_page(lang=""), "https://www.dailyexample.com/news/night-buses")
    assert article.title == "Night buses for the north"  # the single <h1>
    assert article.site_name == "The Daily Example"  # from "<title>Headline - Site"
    assert article.language == "en"  # from the words of the text
    assert article.authors == ("Ana Lima",)  # the visible byline
    assert article.published is None
    assert article.canonical_url is None


def test_date_from_url_when_no_metadata() -> None:
    article = extract_article(news_page(), "https://example.com/news/2024/mar/05/night-buses")
    assert article.published == datetime(2024, 3, 5, tzinfo=UTC)


def test_text_language_beats_a_wrong_template_declaration() -> None:
    german = [
        "Der Stadtrat hat am Dienstag beschlossen, dass die Nachtbusse künftig auch in die "
        "nördlichen Bezirke fahren, nachdem die Bewohner ein Jahr lang dafür gekämpft haben.",
        "Nach dem Plan werden drei neue Linien alle zwanzig Minuten fahren, und die Kosten "
        "sind mit vier Millionen im Jahr nicht zu hoch, sagt die Verwaltung der Stadt.",
    ]
    article = extract_article(news_page(paragraphs=german, lang="en"), URL)
    assert article.language == "de"
    short = extract_article(news_page(paragraphs=["Kurz und gut, aber nicht lang genug für eine Vermutung " * 2], lang="fr"), URL)
    assert short.language == "fr"


def test_byline_with_a_hole_gives_only_names() -> None:
    assert clean_authors(["By  and David Filipov,"]) == ["David Filipov"]
    assert clean_authors(["https://www.facebook.com/someone", "Staff Writer"]) == []
    assert clean_authors(["Tom Krisher, AP Auto Writer"]) == ["Tom Krisher"]
    assert clean_authors(["Ana Lima, Ana Lima & Bo Chen"]) == ["Ana Lima", "Bo Chen"]


def test_dates_are_timezone_aware() -> None:
    naive = parse_date("2024-03-05 08:30")
    assert naive == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    est = parse_date("Tuesday, March 5, 2024 8:30 AM EST")
    assert est == datetime(2024, 3, 5, 13, 30, tzinfo=UTC)
    assert parse_date("not a date") is None
    assert parse_date("1850-01-01") is None
