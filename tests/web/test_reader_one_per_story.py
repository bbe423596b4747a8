"""The reader lists a story once, however many feeds carried it; the API lists every entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.views import EntryFilter, list_entries
from syndic.types import Article, ParsedEntry

STORY = " ".join(
    f"Sentence {i} of the wire report on the harbour crane collapse, with its own details number {i * 7}."
    for i in range(40)
)
OTHER = " ".join(f"Line {i} about the allotment society's autumn show and its prize marrows, entry {i}." for i in range(40))


def _add(store: Store, feed_url: str, link: str, text: str, when: datetime) -> None:
    feed_id = store_feeds.add_feed(store, feed_url)
    store_entries.upsert_entries(store, feed_id, [ParsedEntry(guid=link, link=link, title=link, published=when)])
    entry = store_entries.pending_entries(store, feed_id=feed_id)[0]
    article = Article(url=link, title=link, text=text, html=f"<p>{text}</p>", published=when)
    store_articles.record_article(store, entry.id, article, url_key=link)


def test_copies_from_other_feeds_are_listed_once(any_store: Store) -> None:
    t = datetime(2026, 11, 1, 9, tzinfo=UTC)
    _add(any_store, "https://wire.example/feed", "https://wire.example/crane", STORY, t)
    _add(any_store, "https://partner.example/feed", "https://partner.example/crane", STORY, t + timedelta(hours=1))
    _add(any_store, "https://autoblog.example/feed", "https://autoblog.example/crane", STORY + " Read More", t + timedelta(hours=2))
    _add(any_store, "https://garden.example/feed", "https://garden.example/show", OTHER, t + timedelta(hours=3))
    with any_store.engine.connect() as conn:
        reader_rows, _ = list_entries(conn, EntryFilter(one_per_story=True), limit=50)
        api_rows, _ = list_entries(conn, EntryFilter(), limit=50)
    assert sorted(r.link for r in reader_rows) == ["https://garden.example/show", "https://wire.example/crane"]
    assert len(api_rows) == 4


def test_the_row_is_the_originals_entry_and_the_unread_count_matches_the_rows(any_store: Store) -> None:
    from syndic.accounts.users import create_user
    from syndic.store import reading, views

    t = datetime(2026, 11, 1, 9, tzinfo=UTC)
    # the partner's copy is polled first; the wire (the original: earliest) comes later
    _add(any_store, "https://partner.example/feed", "https://partner.example/crane", STORY, t + timedelta(hours=1))
    _add(any_store, "https://wire.example/feed", "https://wire.example/crane", STORY, t)
    _add(any_store, "https://garden.example/feed", "https://garden.example/show", OTHER, t + timedelta(hours=3))
    user = create_user(any_store, "ann", "correct horse battery staple")
    with any_store.engine.begin() as conn:
        unread = views.EntryFilter(view="unread", user_id=user, one_per_story=True)
        rows, _ = list_entries(conn, unread, limit=50)
        assert sorted(r.link for r in rows) == ["https://garden.example/show", "https://wire.example/crane"]
        wire_row = next(r for r in rows if r.link == "https://wire.example/crane")
        assert wire_row.copy_count == 2 and wire_row.is_original
        assert views.reader_counts(conn, user)["unread"] == len(rows) == 2
        reading.set_entry_state(conn, user, wire_row.id, read=True)
        rows, _ = list_entries(conn, unread, limit=50)
        assert views.reader_counts(conn, user)["unread"] == len(rows) == 1
