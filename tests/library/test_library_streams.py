"""`Syndic.streams`, used as a Python program would: item streams, state, labels, subscriptions.

The rows are written as the pipeline writes them (feeds, entries, articles,
stories); everything read or changed afterwards goes through the library.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import FrozenInstanceError, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

import syndic
from syndic.library import Syndic
from syndic.library.streams import Enclosure, Item, Stream, StreamQuery, folder_id
from syndic.store import schema

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class World:
    s: Syndic
    ann: int
    bob: int
    news: int
    blog: int
    entries: dict[str, int]


def _insert(s: Syndic, table: Any, **values: Any) -> int:
    with s.store.engine.begin() as conn:
        return int(conn.execute(insert(table).values(**values)).inserted_primary_key[0])


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with syndic.open(database_url=f"sqlite:///{tmp_path / 'streams.db'}") as s:
        ann = _insert(s, schema.users, username="ann", password_hash="x", is_admin=True, created_at=T0)
        bob = _insert(s, schema.users, username="bob", password_hash="x", created_at=T0)
        news = _insert(s, schema.feeds, url="https://news.example/feed", title="Daily News", category="Local",
                       site_url="https://news.example/", created_at=T0, last_success_at=T0 + timedelta(hours=2))
        blog = _insert(s, schema.feeds, url="https://blog.example/feed", title=None, site_url="javascript:alert(1)",
                       created_at=T0, last_success_at=T0)
        original = _insert(s, schema.articles, url="https://news.example/harbour", title="Harbour",
                           html="<p>Full text</p><script>x()</script>", created_at=T0, updated_at=T0)
        copy = _insert(s, schema.articles, url="https://blog.example/harbour-copy", title="Harbour (copy)",
                       html="<p>Copy</p>", created_at=T0, updated_at=T0)
        story = _insert(s, schema.stories, original_article_id=original, title="Harbour", copy_count=2,
                        created_at=T0, updated_at=T0)
        with s.store.engine.begin() as conn:
            conn.execute(schema.articles.update().values(story_id=story))
        entries = {
            "harbour": _insert(s, schema.entries, feed_id=news, key="h", link="https://news.example/h",
                               title="Harbour", article_id=original, first_seen_at=T0, published=T0,
                               authors=[{"name": "Ann Writer"}],
                               enclosures=[{"url": "https://news.example/a.mp3", "type": "audio/mpeg", "length": 12},
                                           {"url": "javascript:alert(1)"}]),
            "copy": _insert(s, schema.entries, feed_id=blog, key="c", link="https://blog.example/c",
                            title="Harbour (copy)", article_id=copy, first_seen_at=T0 + timedelta(minutes=1)),
        }
        for n in range(5):
            entries[f"news{n}"] = _insert(s, schema.entries, feed_id=news, key=f"n{n}", link=f"https://news.example/{n}",
                                          title=f"News {n}", summary=f"<p>news {n}</p>",
                                          first_seen_at=T0 + timedelta(hours=1 + n))
        entries["blog"] = _insert(s, schema.entries, feed_id=blog, key="b", link="javascript:alert(2)",
                                  title="Blog post", content="<p onclick='x()'>post</p>",
                                  first_seen_at=T0 + timedelta(hours=10))
        yield World(s, ann, bob, news, blog, entries)


def test_subscriptions_folders_and_groups(world: World) -> None:
    streams = world.s.streams
    subs = streams.subscriptions()
    assert [sub.title for sub in subs] == ["Daily News", "https://blog.example/feed"]  # no title: its address
    news = streams.subscription(world.news)
    assert news is not None and news.folder == "Local" and news.site_url == "https://news.example/"
    assert streams.subscription(world.blog).site_url is None  # type: ignore[union-attr]  # not http(s)
    assert streams.subscription(999_999) is None
    assert streams.feed_by_url("https://news.example/feed") == world.news and streams.feed_by_url("nope") is None
    assert streams.folders() == {world.news: "Local", world.blog: None}
    [group] = streams.groups()
    assert (group.id, group.title, group.feed_ids) == (folder_id("Local"), "Local", (world.news,))
    assert streams.last_refreshed() == T0 + timedelta(hours=2)
    with pytest.raises(FrozenInstanceError):
        group.title = "Other"  # type: ignore[misc]


def test_editing_and_removing_subscriptions(world: World) -> None:
    streams = world.s.streams
    streams.edit_subscription(world.blog, title="The Blog", folder="Tech")
    assert streams.folders()[world.blog] == "Tech" and streams.subscription(world.blog).title == "The Blog"  # type: ignore[union-attr]
    streams.edit_subscription(world.blog, leave=["Local"])  # not in that folder: stays
    assert streams.folders()[world.blog] == "Tech"
    streams.edit_subscription(world.blog, leave=["Tech"])
    assert streams.folders()[world.blog] is None
    assert streams.unsubscribe(world.blog) is True and streams.unsubscribe(world.blog) is False
    assert streams.subscription(world.news) is not None and streams.subscription(world.blog) is None
    assert world.entries["blog"] not in streams.item_ids(world.ann, limit=100)


def test_a_story_is_one_item_with_sanitized_content_and_its_original_address(world: World) -> None:
    streams = world.s.streams
    ids = streams.item_ids(world.ann, limit=100)
    assert world.entries["copy"] not in ids and world.entries["harbour"] in ids
    assert streams.count() == len(ids) == 7
    harbour, blog = streams.items(world.ann, [world.entries["harbour"], world.entries["blog"]])
    assert isinstance(harbour, Item) and harbour.url == "https://news.example/harbour"
    assert "Full text" in harbour.html and "<script" not in harbour.html
    assert harbour.author == "Ann Writer" and harbour.feed_title == "Daily News"
    assert harbour.enclosures == (Enclosure("https://news.example/a.mp3", "audio/mpeg", 12),)
    assert harbour.published == T0 and harbour.crawled == T0 and not harbour.read and harbour.labels == ()
    assert blog.url is None and "onclick" not in blog.html and blog.feed_title == "https://blog.example/feed"
    assert streams.items(world.ann, [999_999]) == []
    assert streams.existing([world.entries["blog"], 999_999, world.entries["harbour"]]) == sorted(
        [world.entries["harbour"], world.entries["blog"]])


def test_pages_follow_continuations_both_ways(world: World) -> None:
    streams = world.s.streams
    feed = StreamQuery(Stream("feed", feed_id=world.news))
    newest_first = [world.entries[f"news{n}"] for n in reversed(range(5))] + [world.entries["harbour"]]
    seen: list[int] = []
    after = None
    while True:
        page = streams.contents(world.ann, feed, count=4, after=after)
        seen += [item.id for item in page.items]
        if page.continuation is None:
            break
        after = page.continuation
    assert seen == newest_first
    oldest = streams.page(world.ann, feed, count=2, oldest_first=True)
    assert list(oldest.ids) == newest_first[::-1][:2] and oldest.continuation == newest_first[::-1][1]
    nothing = streams.page(world.ann, StreamQuery(Stream("none")), count=5)
    assert nothing.ids == () and nothing.continuation is None


def test_queries_narrow_by_stream_and_crawl_time(world: World) -> None:
    streams = world.s.streams
    window = StreamQuery(crawled_after=T0 + timedelta(hours=2), crawled_before=T0 + timedelta(hours=5))
    assert streams.item_ids(world.ann, window, limit=10) == [world.entries["news3"], world.entries["news2"]]
    not_news = StreamQuery(exclude=(Stream("folder", label="Local"),))
    assert streams.item_ids(world.ann, not_news, limit=10) == [world.entries["blog"]]
    only_blog = StreamQuery(include=(Stream("feed", feed_id=world.blog),))
    assert streams.item_ids(world.ann, only_blog, limit=10) == [world.entries["blog"]]


def test_state_and_labels_are_each_users_own(world: World) -> None:
    streams = world.s.streams
    harbour, blog = world.entries["harbour"], world.entries["blog"]
    changed = streams.edit_items(world.ann, [harbour, blog, 999_999], read=True, starred=True, add_labels=["later"])
    assert changed == [harbour, blog]
    assert streams.edit_items(world.ann, [999_999], read=True) == []
    assert streams.item_ids(world.ann, StreamQuery(Stream("starred")), limit=10) == [blog, harbour]
    assert streams.item_ids(world.bob, StreamQuery(Stream("starred")), limit=10) == []
    [mine] = streams.items(world.ann, [harbour])
    [theirs] = streams.items(world.bob, [harbour])
    assert (mine.read, mine.starred, mine.labels) == (True, True, ("later",))
    assert (theirs.read, theirs.starred, theirs.labels) == (False, False, ())
    assert streams.labels(world.ann) == ["later"] and streams.labels(world.bob) == []
    # a label stream holds the folder of that name's feeds and the items the user labelled
    assert streams.item_ids(world.ann, StreamQuery(Stream("label", label="later")), limit=10) == [blog, harbour]
    streams.edit_items(world.ann, [blog], read=False)
    assert [(x.label, x.count) for x in streams.label_unread_counts(world.ann)] == [("later", 1)]
    streams.edit_items(world.ann, [blog], remove_labels=["later"])
    assert streams.item_ids(world.ann, StreamQuery(Stream("label", label="later")), limit=10) == [harbour]


def test_unread_counts_and_marking_read(world: World) -> None:
    streams = world.s.streams
    counts = {c.feed_id: (c.count, c.newest) for c in streams.unread_counts(world.ann)}
    assert counts == {world.news: (6, T0 + timedelta(hours=5)), world.blog: (1, T0 + timedelta(hours=10))}
    older = StreamQuery(Stream("folder", label="Local"), crawled_before=T0 + timedelta(hours=3))
    assert streams.mark_read(world.ann, older) == 3  # harbour, news0, news1
    assert streams.mark_read(world.ann, older) == 0
    assert {c.feed_id: c.count for c in streams.unread_counts(world.ann)} == {world.news: 3, world.blog: 1}
    assert {c.feed_id: c.count for c in streams.unread_counts(world.bob)} == {world.news: 6, world.blog: 1}
    assert streams.mark_read(world.bob) == 7
    assert streams.unread_counts(world.bob) == []
    assert streams.item_ids(world.ann, StreamQuery(Stream("read")), limit=10) == [
        world.entries["news1"], world.entries["news0"], world.entries["harbour"]]


def test_renaming_and_removing_labels_touch_folders_only_when_asked(world: World) -> None:
    streams = world.s.streams
    streams.edit_items(world.bob, [world.entries["blog"]], add_labels=["Local"])
    streams.rename_label(world.bob, "Local", "Mine")
    assert streams.labels(world.bob) == ["Mine"] and streams.folders()[world.news] == "Local"
    streams.rename_label(world.ann, "Local", "Town", folders=True)
    assert streams.folders()[world.news] == "Town" and streams.labels(world.bob) == ["Mine"]
    streams.remove_label(world.bob, "Mine")
    assert streams.labels(world.bob) == []
    streams.remove_label(world.ann, "Town", folders=True)
    assert streams.folders()[world.news] is None and streams.groups() == []
