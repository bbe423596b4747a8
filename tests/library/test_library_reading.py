"""The reader's side of the library (`Syndic.reading`, `Syndic.stories`), used as a Python user would.

The data is written the way the pipeline writes it (a feed, its entries, the
extracted articles joining stories), on SQLite and PostgreSQL (`any_store`).
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from syndic.library import Syndic
from syndic.library.reading import EntryFilter, Reading
from syndic.library.stories import Stories
from syndic.store import Store, schema
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.types import Article, ParsedEntry

T = datetime(2026, 11, 1, 9, tzinfo=UTC)
STORY = " ".join(
    f"Sentence {i} of the wire report on the harbour crane collapse, with its own details number {i * 7}."
    for i in range(40)
)
OTHER = " ".join(f"Line {i} about the allotment society's autumn show and its prize marrows, entry {i}." for i in range(40))
WIRE, PARTNER, GARDEN = "https://wire.example/crane", "https://partner.example/crane", "https://garden.example/show"


def _user(store: Store, name: str) -> int:
    with store.engine.begin() as conn:
        row = conn.execute(insert(schema.users).values(username=name, password_hash="-", created_at=T))
        return int(row.inserted_primary_key[0])  # type: ignore[index]


def _add(store: Store, feed_url: str, link: str, text: str, when: datetime, category: str | None = None) -> int:
    """A feed with one entry whose extracted article is `text`; the entry's id."""
    feed_id = store_feeds.add_feed(store, feed_url, title=feed_url.split("/")[2], category=category)
    store_entries.upsert_entries(store, feed_id, [ParsedEntry(guid=link, link=link, title=link, published=when)])
    entry = store_entries.pending_entries(store, feed_id=feed_id)[0]
    store_articles.record_article(
        store, entry.id, Article(url=link, title=link, text=text, html=f"<p>{text}</p>", published=when), url_key=link
    )
    return int(entry.id)


@pytest.fixture
def news(any_store: Store) -> dict[str, int]:
    """The wire's story, a partner's copy of it (polled first), and an unrelated garden show."""
    return {
        "partner": _add(any_store, "https://partner.example/feed", PARTNER, STORY, T + timedelta(hours=1), "News"),
        "wire": _add(any_store, "https://wire.example/feed", WIRE, STORY, T, "News"),
        "garden": _add(any_store, "https://garden.example/feed", GARDEN, OTHER, T + timedelta(hours=3)),
    }


def test_lists_one_row_per_story_or_every_entry_and_pages_by_cursor(any_store: Store, news: dict[str, int]) -> None:
    s = Syndic.over(any_store)
    reader = s.reading.entries(EntryFilter(one_per_story=True))
    # the wire's entry stands for the story although the partner's copy came first
    assert [e.link for e in reader.entries] == [GARDEN, WIRE] and reader.next_cursor is None
    wire = reader.entries[1]
    assert wire.copy_count == 2 and wire.is_original and wire.feed_title == "wire.example"
    assert [e.id for e in s.reading.entries(EntryFilter()).entries] == [news["garden"], news["partner"], news["wire"]]
    seen, after = [], None
    while True:
        page = s.reading.entries(EntryFilter(), limit=1, after=after)
        seen += [e.id for e in page.entries]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == [news["garden"], news["partner"], news["wire"]]
    assert s.reading.entries(EntryFilter(), limit=1, after="not a cursor").entries[0].id == news["garden"]
    assert s.reading.entries(EntryFilter(feed_id=99_999)).entries == []
    with pytest.raises(ValueError):
        s.reading.entries(EntryFilter(view="unread"))  # whose unread?


def test_read_and_starred_are_each_users_own(any_store: Store, news: dict[str, int]) -> None:
    s = Syndic.over(any_store)
    ann, bob = _user(any_store, "ann"), _user(any_store, "bob")
    assert s.reading.counts(ann) == {"unread": 3, "starred": 0}
    assert s.reading.counts(ann, one_per_story=True) == {"unread": 2, "starred": 0}
    state = s.reading.mark_read(ann, news["wire"])
    assert state is not None and state.read and not state.starred
    assert s.reading.counts(ann, one_per_story=True)["unread"] == 1
    unread = s.reading.entries(EntryFilter(view="unread", user_id=ann, one_per_story=True))
    assert [e.link for e in unread.entries] == [GARDEN]
    assert s.reading.star(ann, news["garden"]) is not None
    starred = s.reading.entries(EntryFilter(view="starred", user_id=ann)).entries
    assert [(e.id, e.starred, e.read) for e in starred] == [(news["garden"], True, False)]
    toggled = s.reading.toggle(ann, news["garden"], "starred")
    assert toggled is not None and not toggled.starred
    again = s.reading.mark_unread(ann, news["wire"])
    assert again is not None and not again.read
    assert s.reading.set_state(ann, 99_999, read=True) is None  # no such entry
    assert s.reading.toggle(ann, 99_999, "read") is None
    # mark all read: only what the list shows, only up to the entry the page was drawn with
    partner_feed = s.reading.entry(news["partner"])
    assert partner_feed is not None
    assert s.reading.mark_all_read(EntryFilter(feed_id=partner_feed.feed_id, user_id=ann)) == 1
    assert s.reading.mark_all_read(EntryFilter(user_id=ann), up_to_id=news["wire"]) == 1
    assert s.reading.counts(ann) == {"unread": 1, "starred": 0}
    assert s.reading.newest_entry_id() == news["garden"]
    assert s.reading.counts(bob) == {"unread": 3, "starred": 0}
    with pytest.raises(ValueError):
        s.reading.mark_all_read(EntryFilter())


def test_opening_an_entry_marks_it_read_and_shows_its_article_story_and_neighbours(
    any_store: Store, news: dict[str, int]
) -> None:
    s = Syndic.over(any_store)
    ann = _user(any_store, "ann")
    flt = EntryFilter(view="unread", user_id=ann, one_per_story=True)
    opened = s.reading.open_entry(news["wire"], ann)
    assert opened is not None and not opened.read  # as it was when opened
    assert opened.title == WIRE and opened.feed_title == "wire.example" and opened.article_id is not None
    assert s.reading.entry(news["wire"], ann).read  # type: ignore[union-attr]
    # it left the unread list; its place in it is still known
    assert s.reading.neighbours(flt, opened) == (news["garden"], None)
    assert s.reading.open_entry(99_999, ann) is None
    detail = s.reading.article(opened.article_id)
    assert detail is not None and detail.article.url == WIRE and detail.history == []
    assert detail.story is not None and detail.story.copy_count == 2
    assert detail.copies is not None and [c.url for c in detail.copies] == [WIRE, PARTNER]  # the original first
    assert s.reading.entry_for_article(opened.article_id) == news["wire"]
    assert s.reading.article(99_999) is None


def test_an_articles_history_says_what_each_revision_changed(any_store: Store) -> None:
    s = Syndic.over(any_store)
    first = store_articles.record_article(
        any_store, None, Article(url=WIRE, title="Crane", text=STORY + "\n\nThree hurt.", html="<p>x</p>"),
        url_key=WIRE,
    )
    store_articles.record_article(
        any_store, None, Article(url=WIRE, title="Crane", text=STORY + "\n\nFour hurt.", html="<p>x</p>"),
        url_key=WIRE,
    )
    detail = s.reading.article(first.article_id)
    assert detail is not None and detail.article.revision == 2
    assert [(h.revision, h.changes) for h in detail.history] == [(1, [("-", "Three hurt."), ("+", "Four hurt.")])]
    assert [r.revision for r in s.stories.revisions(first.article_id)] == [1, 2]


def test_feeds_carry_unread_counts_and_group_into_folders(any_store: Store, news: dict[str, int]) -> None:
    s = Syndic.over(any_store)
    ann = _user(any_store, "ann")
    s.reading.mark_read(ann, news["wire"])
    feeds = {f.title: f.unread for f in s.reading.feeds(ann)}
    assert feeds == {"garden.example": 1, "partner.example": 1, "wire.example": 0}
    assert {f.unread for f in s.reading.feeds()} == {0}  # nobody's counts
    folders = s.reading.folders(ann)
    assert [(f.name, [x.title for x in f.feeds], f.unread) for f in folders] == [
        ("News", ["partner.example", "wire.example"], 1),
        (None, ["garden.example"], 1),
    ]
    one = s.reading.feed(folders[1].feeds[0].id, ann)
    assert one is not None and one.url == "https://garden.example/feed" and one.unread == 1
    assert s.reading.feed(99_999) is None
    assert s.reading.byline_problems() == []


def test_stories_with_their_original_and_copies_and_search(any_store: Store, news: dict[str, int]) -> None:
    s = Syndic.over(any_store)
    latest = s.stories.latest()
    assert len(latest) == 2 and latest[0].id > latest[1].id
    crane = next(st for st in latest if st.copy_count == 2)
    detail = s.stories.get(crane.id)
    assert detail is not None and detail.original is not None
    assert detail.original.url == WIRE and [c.url for c in detail.copies] == [PARTNER]
    assert [c.url for c in s.stories.copies(crane.id)] == [WIRE, PARTNER]
    assert s.stories.get(99_999) is None and s.stories.copies(99_999) == []
    article = s.stories.article(detail.original.id)
    assert article is not None and article.story_id == crane.id and "harbour crane" in article.text
    assert [a.url for a in s.stories.articles()] == [GARDEN, WIRE, PARTNER]
    assert [a.url for a in s.stories.articles(since=T + timedelta(hours=2))] == [GARDEN]
    hits = s.stories.search("harbour crane")
    assert {h.url for h in hits} == {WIRE, PARTNER} and all("<mark>" in h.snippet_html for h in hits)
    assert s.stories.search('"NEAR(') == [] and s.stories.search("") == []


@pytest.mark.parametrize("area", [Reading, Stories])
def test_every_public_method_is_documented_and_typed(area: type) -> None:
    for name, method in inspect.getmembers(area, inspect.isfunction):
        if name.startswith("_"):
            continue
        assert inspect.getdoc(method), f"{area.__name__}.{name} has no docstring"
        hints = inspect.signature(method)
        assert hints.return_annotation is not inspect.Signature.empty, f"{area.__name__}.{name} has no return type"
        for parameter in list(hints.parameters.values())[1:]:
            assert parameter.annotation is not inspect.Parameter.empty, f"{area.__name__}.{name}({parameter.name})"


def test_feed_management_and_the_pipeline_numbers(any_store: Store, news: dict[str, int]) -> None:
    s = Syndic.over(any_store)
    garden = s.reading.entry(news["garden"])
    assert garden is not None
    assert s.feeds.set_public(garden.feed_id) and s.reading.feed(garden.feed_id).public  # type: ignore[union-attr]
    assert s.feeds.set_public(garden.feed_id, False) and not s.reading.feed(garden.feed_id).public  # type: ignore[union-attr]
    assert not s.feeds.set_public(99_999)
    counts = s.feeds.pipeline_counts()
    assert counts["articles"] == 3 and counts["extract_queue"] == 0 and counts["post_queue"] == 0
    assert sum(v for k, v in counts.items() if k.startswith("feeds_")) == 3
    assert s.feeds.fetch_stats(T) == []  # nothing fetched over the network here
    assert s.feeds.delete(garden.feed_id) and not s.feeds.delete(garden.feed_id)
    assert s.reading.entry(news["garden"]) is None and s.feeds.pipeline_counts()["articles"] == 3
