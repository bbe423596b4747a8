"""The store on both engines: subscriptions, idempotent entries, revisions, stories, search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from syndic.feeds import parse_feed
from syndic.store import Store, search
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.schema import article_revisions, entries, stories
from syndic.types import Article, ParsedEntry

STORY = (
    "The river authority opened the northern floodgates on Tuesday after three days of heavy rain "
    "raised the water level to its highest mark since the spring of 2009.\n\n"
    "Engineers said the gates would stay open until the level drops below the warning line, which "
    "could take until the weekend, and asked residents of the low streets to move cars to higher ground.\n\n"
    "The mayor praised the crews who worked through the night to clear the culverts under the old "
    "railway bridge, where debris had backed up the water into two allotment gardens."
)
OTHER = (
    "The chess club in the old library celebrated its hundredth season with a simultaneous exhibition "
    "in which the reigning county champion played forty boards at once and lost only two games.\n\n"
    "Members raised money for new clocks and a set of tournament boards, and the librarian promised "
    "to keep the reading room open late on Thursdays for the club's weekly blitz evening."
)


def article(url: str, text: str, title: str = "Floodgates opened", **kw: object) -> Article:
    html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return Article(url=url, title=title, html=html, text=text, **kw)  # type: ignore[arg-type]


def test_add_feed_is_idempotent(any_store: Store) -> None:
    first = store_feeds.add_feed(any_store, "https://example.com/feed.xml", title="Example")
    again = store_feeds.add_feed(any_store, "https://example.com/feed.xml")
    assert first == again
    assert [f.url for f in store_feeds.list_feeds(any_store)] == ["https://example.com/feed.xml"]


def test_entries_are_stored_once_per_key(any_store: Store) -> None:
    feed_id = store_feeds.add_feed(any_store, "https://example.com/feed.xml")
    batch = [
        ParsedEntry(guid="a", link="https://example.com/a", title="A", published=datetime(2026, 1, 2, tzinfo=UTC)),
        ParsedEntry(link="https://example.com/b", title="B"),
        ParsedEntry(guid="a", link="https://example.com/a", title="A again in the same batch"),
    ]
    assert len(store_entries.upsert_entries(any_store, feed_id, batch)) == 2
    # a second poll (or a restart after a crash) stores nothing twice
    assert store_entries.upsert_entries(any_store, feed_id, batch) == []
    with any_store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(entries)).scalar() == 2
    rows = store_entries.list_entries(any_store)
    assert {r.title for r in rows} == {"A", "B"}


def test_updated_entry_goes_back_to_extraction(any_store: Store) -> None:
    feed_id = store_feeds.add_feed(any_store, "https://example.com/feed.xml")
    t0 = datetime(2026, 1, 2, tzinfo=UTC)
    store_entries.upsert_entries(any_store, feed_id, [ParsedEntry(guid="a", link="https://e.com/a", title="v1", updated=t0)])
    entry_id = store_entries.pending_entries(any_store)[0].id
    store_articles.record_article(any_store, entry_id, article("https://e.com/a", STORY), url_key="https://e.com/a")
    assert store_entries.pending_entries(any_store) == []
    store_entries.upsert_entries(
        any_store, feed_id, [ParsedEntry(guid="a", link="https://e.com/a", title="v2", updated=t0 + timedelta(hours=1))]
    )
    pending = store_entries.pending_entries(any_store)
    assert [p.title for p in pending] == ["v2"]


def test_entry_html_is_sanitized_on_the_way_in(any_store: Store) -> None:
    feed_id = store_feeds.add_feed(any_store, "https://example.com/feed.xml")
    store_entries.upsert_entries(any_store, feed_id, [
        ParsedEntry(guid="x", link="https://e.com/x", summary_html='<p onclick="evil()">hi<script>alert(1)</script></p>')
    ])
    with any_store.engine.connect() as connection:
        summary = connection.execute(select(entries.c.summary)).scalar()
    assert summary == "<p>hi</p>"


def test_changed_text_becomes_a_new_revision_and_old_is_kept(any_store: Store) -> None:
    first = store_articles.record_article(any_store, None, article("https://e.com/a", STORY), url_key="https://e.com/a")
    same = store_articles.record_article(any_store, None, article("https://e.com/a", STORY), url_key="https://e.com/a")
    assert (first.revision, same.revision, same.is_new_revision) == (1, 1, False)
    corrected = STORY.replace("three days", "four days")
    second = store_articles.record_article(any_store, None, article("https://e.com/a", corrected), url_key="https://e.com/a")
    assert second.revision == 2 and second.article_id == first.article_id
    revisions = store_articles.article_revisions_of(any_store, first.article_id)
    assert [r.revision for r in revisions] == [1, 2]
    assert "three days" in revisions[0].text and "four days" in revisions[1].text
    assert store_articles.get_article(any_store, first.article_id).text == corrected  # type: ignore[union-attr]


def test_copies_join_one_story_and_distinct_articles_do_not(any_store: Store) -> None:
    t = datetime(2026, 3, 1, 8, tzinfo=UTC)
    original = store_articles.record_article(
        any_store, None, article("https://wire.example/flood", STORY, published=t), url_key="https://wire.example/flood"
    )
    copy_text = "By and Jane Roe,\n\n" + STORY + "\n\nRead More\n\nPowered by SomePlugin"
    copy = store_articles.record_article(
        any_store, None, article("https://autoblog.example/flood", copy_text, title="FLOODGATES OPENED!!",
                                 published=t + timedelta(hours=3)),
        url_key="https://autoblog.example/flood",
    )
    distinct = store_articles.record_article(
        any_store, None, article("https://club.example/chess", OTHER, title="Chess"), url_key="https://club.example/chess"
    )
    assert copy.story_id == original.story_id
    assert distinct.story_id != original.story_id
    with any_store.engine.connect() as connection:
        story = connection.execute(select(stories).where(stories.c.id == original.story_id)).one()
    assert story.copy_count == 2
    assert story.original_article_id == original.article_id
    members = store_articles.story_articles(any_store, original.story_id)
    assert members[0].id == original.article_id


def test_search_highlights_and_survives_query_syntax(any_store: Store) -> None:
    store_articles.record_article(any_store, None, article("https://e.com/a", STORY), url_key="https://e.com/a")
    store_articles.record_article(any_store, None, article("https://e.com/b", OTHER, title="Chess <club>"),
                                  url_key="https://e.com/b")
    hits = search(any_store, "floodgates")
    assert [h.url for h in hits] == ["https://e.com/a"]
    assert "<mark>" in hits[0].snippet_html
    hits = search(any_store, "chess")
    assert hits[0].title == "Chess <club>"
    for hostile in ['"unbalanced', "NEAR(a b", "a OR", "*", "'; DROP TABLE articles; --", ""]:
        search(any_store, hostile)  # must not raise
    assert search(any_store, "") == []


def test_naive_datetimes_are_refused(any_store: Store) -> None:
    with pytest.raises(Exception, match="naive"):
        store_articles.record_article(
            any_store, None, article("https://e.com/n", STORY, published=datetime(2026, 1, 1)), url_key="https://e.com/n"
        )
    # and nothing half-written was left behind
    assert store_articles.article_count(any_store) == 0
    with any_store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(article_revisions)).scalar() == 0


def test_times_come_back_timezone_aware(any_store: Store) -> None:
    t = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
    rec = store_articles.record_article(any_store, None, article("https://e.com/t", STORY, published=t), url_key="https://e.com/t")
    row = store_articles.get_article(any_store, rec.article_id)
    assert row is not None and row.published == t and row.published.tzinfo is not None


def test_reader_fields_of_a_feed_reach_the_store(any_store: Store) -> None:
    """Media RSS, iTunes, source and language, parsed from real feed files, stored with the entry."""
    data = Path(__file__).parents[1] / "feeds" / "data"
    feed_id = store_feeds.add_feed(any_store, "https://harbour.example.com/feed")
    for name in ("rss20_media_rss.xml", "rss20_itunes_podcast.xml", "atom10_titles_links_source.xml"):
        parsed = parse_feed((data / name).read_bytes(), url="https://harbour.example.com/feed")
        store_entries.upsert_entries(any_store, feed_id, parsed.entries)
    with any_store.engine.connect() as connection:
        rows = {
            r.title: r
            for r in connection.execute(
                select(entries.c.title, entries.c.language, entries.c.image, entries.c.comments_url, entries.c.details)
            )
        }
    storm = rows["Storm closes the ferry terminal"]
    assert storm.image == "https://img.harbour.example.com/storm-thumb.jpg"
    assert storm.comments_url == "https://harbour.example.com/2026/11/storm-ferry#comments"
    assert storm.details["media"]["credits"] == [{"name": "Ana Silva", "role": "photographer", "scheme": "urn:ebu"}]
    assert storm.details["media"]["rating"] == "nonadult"
    assert storm.details["source"] == {"title": "Coast Wire", "url": "https://wire.example.org/rss"}
    baker = rows["Episode 12: The baker"]
    assert baker.image == "https://cdn.longshift.example.net/12.jpg"
    assert baker.details["podcast"] == {
        "image": "https://cdn.longshift.example.net/12.jpg", "duration": "1:02:03", "duration_s": 3723,
        "explicit": False, "episode_type": "full",
    }
    ecoli = rows["Growth of E. coli at 37 °C"]
    assert ecoli.language == "de"
    assert ecoli.details == {"title_html": "Growth of <i>E. coli</i> at 37 °C"}
    qa = rows["Q&A with the team"]
    assert qa.details["source"]["id"] == "tag:partner.example.com,2020:feed"
    assert rows["Trailer"].details["podcast"]["duration_s"] == 95
