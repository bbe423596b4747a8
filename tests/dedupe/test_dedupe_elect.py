"""Electing a story's original: the canonical host first, else the earliest complete copy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from syndic.dedupe import Copy, elect_original, original_url

T0 = datetime(2017, 4, 11, 8, 0, tzinfo=UTC)


def _copy(
    article_id: int,
    url: str,
    canonical: str | None = None,
    published: datetime | None = None,
    fetched_minutes: int = 0,
    words: int = 900,
    excerpt: bool = False,
) -> Copy:
    return Copy(article_id, url, canonical, published, T0 + timedelta(minutes=fetched_minutes), words, excerpt)


def test_canonical_host_wins_even_when_later() -> None:
    publisher = _copy(1, "https://www.publisher.com/world/story", published=T0 + timedelta(hours=2))
    partner = _copy(2, "https://partner.net/x/1", canonical="https://publisher.com/world/story", published=T0)
    autoblog = _copy(3, "https://autoblog.example/2017/04/story", published=T0 - timedelta(hours=1))
    assert elect_original([partner, autoblog, publisher]).article_id == 1


def test_without_canonicals_the_earliest_complete_copy_wins() -> None:
    excerpt = _copy(1, "https://a.example/1", published=T0 - timedelta(hours=3), words=80, excerpt=True)
    early = _copy(2, "https://b.example/2", published=T0)
    late = _copy(3, "https://c.example/3", published=T0 + timedelta(hours=1))
    assert elect_original([late, excerpt, early]).article_id == 2


def test_fetch_time_when_no_published_date_and_naive_dates() -> None:
    a = _copy(1, "https://a.example/1", fetched_minutes=30)
    b = _copy(2, "https://b.example/2", published=datetime(2017, 4, 11, 8, 10))  # naive: taken as UTC
    assert elect_original([a, b]).article_id == 2


def test_all_excerpts_still_elects_one() -> None:
    a = _copy(1, "https://a.example/1", published=T0, excerpt=True)
    b = _copy(2, "https://b.example/2", published=T0 - timedelta(minutes=5), excerpt=True)
    assert elect_original([a, b]).article_id == 2


def test_self_canonical_is_not_a_vote() -> None:
    a = _copy(1, "https://a.example/1", canonical="https://a.example/1", published=T0 + timedelta(hours=1))
    b = _copy(2, "https://b.example/2", canonical="https://b.example/2", published=T0)
    assert elect_original([a, b]).article_id == 2


def test_original_url_points_to_publisher_even_when_not_fetched() -> None:
    partner = _copy(1, "https://partner.net/x", canonical="https://www.publisher.com/story?utm_source=x")
    autoblog = _copy(2, "https://blog.example/y", published=T0 - timedelta(days=1))
    assert original_url([autoblog, partner]) == "https://publisher.com/story"


def test_empty_is_refused() -> None:
    with pytest.raises(ValueError):
        elect_original([])


def test_subdomain_of_the_canonical_host_is_the_publisher() -> None:
    publisher = _copy(1, "https://news.publisher.com/story", published=T0 + timedelta(hours=1))
    partner = _copy(2, "https://partner.net/x", canonical="https://publisher.com/story", published=T0)
    assert elect_original([partner, publisher]).article_id == 1
