"""Canonical URLs: tracking parameters, AMP and mobile variants, rel=canonical and og:url."""

from __future__ import annotations

import pytest

from syndic.dedupe import canonical_url, host_of

ARTICLE = "https://example.com/world/2017/04/11/tillerson-moscow"


@pytest.mark.parametrize(
    "url",
    [
        ARTICLE,
        "http://example.com/world/2017/04/11/tillerson-moscow",
        "https://www.example.com/world/2017/04/11/tillerson-moscow/",
        "https://EXAMPLE.com/world/2017/04/11/tillerson-moscow#comments",
        "https://example.com/world/2017/04/11/tillerson-moscow?utm_source=rss&utm_medium=feed&utm_campaign=x",
        "https://example.com/world/2017/04/11/tillerson-moscow?fbclid=IwAR0abc&gclid=xyz&mc_cid=1&mc_eid=2",
        "https://m.example.com/world/2017/04/11/tillerson-moscow",
        "https://mobile.example.com/world/2017/04/11/tillerson-moscow",
        "https://amp.example.com/world/2017/04/11/tillerson-moscow",
        "https://example.com/world/2017/04/11/tillerson-moscow/amp/",
        "https://example.com/amp/world/2017/04/11/tillerson-moscow",
        "https://example.com/world/2017/04/11/tillerson-moscow?outputType=amp",
        "https://example.com/world/2017/04/11/tillerson-moscow?amp=1",
        "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/world/2017/04/11/tillerson-moscow/amp/",
        "https://www.google.com/amp/s/www.example.com/world/2017/04/11/tillerson-moscow",
        "https://example.com:443/world/2017/04/11/tillerson-moscow",
    ],
)
def test_variants_fold_to_one_url(url: str) -> None:
    assert canonical_url(url) == ARTICLE


def test_amp_html_suffix() -> None:
    assert canonical_url("https://example.com/news/story-123.amp.html") == "https://example.com/news/story-123.html"


def test_meaningful_query_is_kept_and_sorted() -> None:
    assert canonical_url("https://example.com/article.php?utm_source=x&story=42&page=2") == (
        "https://example.com/article.php?page=2&story=42"
    )


def test_different_articles_stay_different() -> None:
    assert canonical_url("https://example.com/a") != canonical_url("https://example.com/b")
    assert canonical_url("https://example.com/a?story=1") != canonical_url("https://example.com/a?story=2")
    assert canonical_url("https://example.com:8080/a") != canonical_url("https://example.com/a")


def test_rel_canonical_wins_then_og_url() -> None:
    partner = "https://partner.example.net/news/12345?utm_source=feed"
    assert canonical_url(partner, rel_canonical="https://www.publisher.com/story/1/") == "https://publisher.com/story/1"
    assert canonical_url(partner, og_url="https://publisher.com/story/1?fbclid=x") == "https://publisher.com/story/1"
    assert (
        canonical_url(partner, rel_canonical="https://publisher.com/a", og_url="https://publisher.com/b")
        == "https://publisher.com/a"
    )


def test_relative_rel_canonical_is_resolved() -> None:
    assert canonical_url("https://example.com/x/y?ref=home", rel_canonical="/x/y") == "https://example.com/x/y"


def test_implausible_canonicals_are_ignored() -> None:
    article = "https://example.com/news/2024/05/story"
    assert canonical_url(article, rel_canonical="https://example.com/") == article  # template bug: home page
    assert canonical_url(article, rel_canonical="javascript:alert(1)") == article
    assert canonical_url(article, og_url="ftp://example.com/news") == article
    assert canonical_url(article, rel_canonical="   ") == article


def test_garbage_urls_do_not_crash() -> None:
    for url in ("", "not a url", "http://[::1", "mailto:a@b.c", "https://"):
        assert isinstance(canonical_url(url), str)


def test_host_of() -> None:
    assert host_of("https://m.example.com/a") == "example.com"
    assert host_of("https://www.example.co.uk/a") == "example.co.uk"
    assert host_of("nonsense") == ""
