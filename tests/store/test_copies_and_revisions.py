"""Copies are not revisions; links are real addresses; bad canonicals and big stories stay sensible.

On both engines, through `record_article` (the store's one write path), with
articles as extraction hands them over: the page's own URL as fetched and
its declared `rel=canonical`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from syndic import dedupe
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.schema import article_revisions, articles, stories
from syndic.types import Article, ParsedEntry

T0 = datetime(2026, 11, 23, 9, 15, tzinfo=UTC)
WIRE = "http://wire.example:8081/northwind-wire/2026/11/23/saltmarsh-bridge/"
PARAGRAPHS = [
    "Engineers closed the Saltmarsh Bridge to all traffic on Monday after a routine inspection found a crack "
    "running through one of the steel bearings that carry its central span.",
    "The regional transport authority said the closure would last at least three weeks while a temporary "
    "support frame is built beneath the span, and buses will be diverted over the Kestrel Road crossing.",
    "The crack was found by a drone survey that the authority began using last year, replacing rope-access "
    "teams for most inspections of the five steel bridges it maintains along the river.",
    "Businesses on the eastern side of the river said the timing could hardly be worse, with December "
    "bringing a third of the year's trade to the furniture showrooms near the bridge.",
]
TEXT = "\n\n".join(PARAGRAPHS)


def page(url: str, title: str, *, canonical: str | None = None, text: str = TEXT,
         published: datetime = T0) -> Article:
    """An article as extraction gives it: its URL as fetched and the canonical the page declares."""
    html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return Article(url=url, title=title, html=html, text=text, published=published, canonical_url=canonical,
                   site_name=dedupe.host_of(url))


def record(store: Store, art: Article, entry_id: int | None = None, **kw: object) -> store_articles.RecordedArticle:
    """What the pipeline does: key the article by its own address (never by the canonical it declares)."""
    key = dedupe.canonical_url(art.url)
    return store_articles.record_article(store, entry_id, art, url_key=key, **kw)  # type: ignore[arg-type]


def story_of(store: Store, story_id: int) -> tuple[int, int, str]:
    with store.engine.connect() as conn:
        row = conn.execute(select(stories).where(stories.c.id == story_id)).one()
    return int(row.original_article_id), int(row.copy_count), str(row.title)


def test_a_copy_declaring_the_wire_canonical_stays_a_copy_with_its_own_headline(any_store: Store) -> None:
    partner_url = "http://harbour.example:8082/harbour-gazette/2026/11/23/bridge-shut/"
    copy = record(any_store, page(partner_url, "Saltmarsh Bridge shut for at least three weeks",
                                  canonical=WIRE, published=T0 + timedelta(hours=1)))
    wire = record(any_store, page(WIRE, "Saltmarsh Bridge closed for weeks", canonical=WIRE))
    assert copy.article_id != wire.article_id and copy.story_id == wire.story_id
    assert not wire.is_new_revision or wire.revision == 1
    kept = store_articles.get_article(any_store, copy.article_id)
    assert kept is not None
    assert kept.title == "Saltmarsh Bridge shut for at least three weeks"
    assert kept.url == partner_url  # the real address: http, port and trailing slash kept
    assert kept.url_key == "https://harbour.example:8082/harbour-gazette/2026/11/23/bridge-shut"
    assert kept.canonical_url == WIRE and kept.revision == 1
    original, count, title = story_of(any_store, wire.story_id)
    assert (original, count, title) == (wire.article_id, 2, "Saltmarsh Bridge closed for weeks")
    links = [r.url for r in store_articles.story_articles(any_store, wire.story_id)]
    assert links == [WIRE, partner_url]


def test_a_copy_on_the_same_host_declaring_the_original_canonical_is_still_a_copy(any_store: Store) -> None:
    """The demo's outlets share one host: the canonical's host is no test of being the same page."""
    base = "http://127.0.0.1:8080"
    wire_url, copy_url = base + "/wire/2026/11/23/bridge/", base + "/gazette/2026/11/23/bridge-shut/"
    wire = record(any_store, page(wire_url, "Wire headline", canonical=wire_url))
    copy = record(any_store, page(copy_url, "Gazette headline", canonical=wire_url, published=T0 + timedelta(hours=1)))
    assert copy.article_id != wire.article_id and copy.story_id == wire.story_id
    assert (wire.revision, copy.revision) == (1, 1)
    assert store_articles.get_article(any_store, copy.article_id).url == copy_url  # type: ignore[union-attr]
    assert story_of(any_store, wire.story_id)[:2] == (wire.article_id, 2)


def test_a_fresh_article_has_no_revision_and_the_feed_text_is_replaced_not_revised(any_store: Store) -> None:
    feed_id = store_feeds.add_feed(any_store, "http://wire.example:8081/feed.json")
    store_entries.upsert_entries(any_store, feed_id, [ParsedEntry(guid="w", link=WIRE, title="Bridge", published=T0)])
    entry_id = store_entries.pending_entries(any_store)[0].id
    summary = "Engineers closed the Saltmarsh Bridge after a crack was found in a steel bearing under its span."
    from_feed = record(any_store, page(WIRE, "Bridge", text=summary), entry_id, from_feed=True)
    full = record(any_store, page(WIRE, "Saltmarsh Bridge closed for weeks", canonical=WIRE), entry_id)
    assert full.article_id == from_feed.article_id
    assert (full.revision, full.is_new_revision) == (1, False)
    row = store_articles.get_article(any_store, full.article_id)
    assert row is not None and row.text == TEXT and not row.from_feed
    revisions = store_articles.article_revisions_of(any_store, full.article_id)
    assert [(r.revision, r.text) for r in revisions] == [(1, TEXT)]
    # the feed's text never replaces the page's
    again = record(any_store, page(WIRE, "Bridge", text=summary), entry_id, from_feed=True)
    assert again.revision == 1
    assert store_articles.get_article(any_store, full.article_id).text == TEXT  # type: ignore[union-attr]
    # a real change at the same address is a revision
    changed = record(any_store, page(WIRE, "Saltmarsh Bridge closed for a month", canonical=WIRE,
                                     text=TEXT.replace("three weeks", "a month")))
    assert (changed.article_id, changed.revision, changed.is_new_revision) == (full.article_id, 2, True)


def test_a_canonical_to_an_unrelated_site_elects_the_earliest_complete_copy(any_store: Store) -> None:
    first = record(any_store, page("http://a.example/one/", "A", published=T0))
    odd = record(any_store, page("http://b.example/two/", "B", canonical="https://unrelated.example/home/x",
                                 published=T0 + timedelta(hours=1)))
    assert odd.story_id == first.story_id
    assert story_of(any_store, first.story_id)[:2] == (first.article_id, 2)
    assert store_articles.get_article(any_store, odd.article_id).url == "http://b.example/two/"  # type: ignore[union-attr]


def test_a_canonical_loop_between_two_copies_is_one_story_with_the_earliest_original(any_store: Store) -> None:
    a_url, b_url = "http://a.example/story/", "http://b.example/story/"
    later = record(any_store, page(b_url, "B", canonical=a_url, published=T0 + timedelta(hours=2)))
    earlier = record(any_store, page(a_url, "A", canonical=b_url, published=T0))
    assert later.story_id == earlier.story_id
    assert later.article_id != earlier.article_id
    assert story_of(any_store, earlier.story_id)[:2] == (earlier.article_id, 2)


def test_an_original_deleted_upstream_leaves_its_copies_one_story(any_store: Store) -> None:
    """The copies point at the wire, whose page is gone: the earliest complete copy stands in."""
    late = record(any_store, page("http://c.example/x/", "C", canonical=WIRE, published=T0 + timedelta(hours=3)))
    early = record(any_store, page("http://d.example/y/", "D", canonical=WIRE, published=T0 + timedelta(hours=1)))
    excerpt = record(any_store, page("http://e.example/z/", "E", text=PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[1],
                                     published=T0), is_excerpt=True)
    assert late.story_id == early.story_id == excerpt.story_id
    assert story_of(any_store, early.story_id)[:2] == (early.article_id, 3)


def test_five_hundred_copies_stay_one_story_with_the_wire_as_original(any_store: Store) -> None:
    wire = record(any_store, page(WIRE, "Wire", canonical=WIRE, published=T0 + timedelta(hours=5)))
    for i in range(499):
        copy = record(any_store, page(f"http://copy{i}.example/story/{i}/", f"Copy {i}", canonical=WIRE,
                                      published=T0 + timedelta(minutes=i)))
        assert copy.story_id == wire.story_id
    assert story_of(any_store, wire.story_id)[:2] == (wire.article_id, 500)
    with any_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(stories)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == 500
        assert conn.execute(select(func.max(articles.c.revision))).scalar() == 1
        assert conn.execute(select(func.count()).select_from(article_revisions)).scalar() == 500


def test_real_address_keeps_the_sites_own_form() -> None:
    assert dedupe.real_address("http://127.0.0.1:8081/a/b/?utm_source=x", "http://127.0.0.1:8081/a/b/") == (
        "http://127.0.0.1:8081/a/b/"
    )
    # a canonical on another site is a pointer to the original, not this page's address
    assert dedupe.real_address("http://partner.example/a/", "https://wire.example/a") == "http://partner.example/a/"
    assert dedupe.real_address("http://x.example/a/", "javascript:alert(1)") == "http://x.example/a/"
    assert dedupe.real_address("http://x.example/a/", "/") == "http://x.example/a/"
    assert dedupe.real_address("http://x.example/a/", "/b/") == "http://x.example/a/"  # another page
    assert dedupe.real_address("http://m.x.example/a/?utm_source=rss", "https://x.example/a") == (
        "https://x.example/a"
    )


TEMPLATE_HEAD = (
    "The Riverside Ledger | Home | News | Local | Business | Sport | Culture | Opinion | Subscribe | Log in. "
    "You are reading The Riverside Ledger, your trusted source for local and regional news, analysis and opinion."
)
TEMPLATE_TAIL = (
    "Most read on The Riverside Ledger: council weighs new parking rules for the old town; five things to do "
    "in the city this weekend; school board delays vote on the new timetable. Copyright The Riverside Ledger "
    "Media Group. All rights reserved. Terms of use, privacy policy, cookie settings, contact the newsroom, "
    "advertise with us, careers, corrections and clarifications, our ethics code, newsletters, e-edition."
)
CHESS = (
    "The chess club in the old library celebrated its hundredth season with a simultaneous exhibition in which "
    "the reigning county champion played forty boards at once and lost only two games to members of the club."
)


def test_two_stories_of_one_site_sharing_its_template_stay_apart(any_store: Store) -> None:
    site = "http://ledger.example/"
    bridge = record(any_store, page(site + "news/bridge/", "Bridge",
                                    text="\n\n".join([TEMPLATE_HEAD, PARAGRAPHS[0], TEMPLATE_TAIL])))
    chess = record(any_store, page(site + "news/chess/", "Chess", text="\n\n".join([TEMPLATE_HEAD, CHESS, TEMPLATE_TAIL])))
    assert bridge.story_id != chess.story_id
    # one story at two addresses of one site (a print view) is still one story
    printed = record(any_store, page(site + "print/bridge/", "Bridge",
                                     text="\n\n".join([TEMPLATE_HEAD, PARAGRAPHS[0], TEMPLATE_TAIL])))
    assert printed.story_id == bridge.story_id


def _long_story(seed: int, paragraphs: int = 10) -> list[str]:
    """Paragraphs of one long article, in words no other test text shares."""
    import random

    rng = random.Random(seed)
    syllables = ["ka", "lo", "mir", "ten", "sa", "vu", "dre", "pol", "in", "ga", "re", "shu", "to", "bel"]
    vocab = sorted({"".join(rng.sample(syllables, 3)) for _ in range(600)})
    return [" ".join(rng.choice(vocab) for _ in range(45)) + "." for _ in range(paragraphs)]


def test_copies_that_arrive_before_their_full_text_end_in_one_story(any_store: Store) -> None:
    """An excerpt (the lede) and a copy without the lede share nothing; the full text that holds both
    arrives last and proves they are one story: their two stories become one, under the older number,
    and a campaign that posted the newer one does not post the merged story again."""
    from syndic.store.schema import campaigns, posts

    paras = _long_story(3)
    excerpt = record(any_store, page("http://blog.example/a/", "Excerpt", text="\n\n".join(paras[:2])))
    no_lede = record(any_store, page("http://partner.example/b/", "Copy", text="\n\n".join(paras[3:]),
                                     published=T0 + timedelta(minutes=5)))
    assert excerpt.story_id != no_lede.story_id  # nothing in common yet
    with any_store.engine.begin() as conn:
        campaign = conn.execute(campaigns.insert().values(name="c", config={}, created_at=T0)).inserted_primary_key[0]
        conn.execute(posts.insert().values(
            campaign_id=campaign, story_id=no_lede.story_id, article_id=no_lede.article_id, state="sent",
            idempotency_key="k", created_at=T0, updated_at=T0))

    full = record(any_store, page("http://wire.example/c/", "Full", text="\n\n".join(paras),
                                  published=T0 - timedelta(hours=1)))
    kept = min(excerpt.story_id, no_lede.story_id)
    assert full.story_id == kept
    with any_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(stories)).scalar() == 1
        members = {int(r.id) for r in conn.execute(select(articles.c.id).where(articles.c.story_id == kept))}
        posted = conn.execute(select(posts.c.story_id)).scalars().all()
    assert members == {excerpt.article_id, no_lede.article_id, full.article_id}
    assert posted == [kept]
    original, count, _ = story_of(any_store, kept)
    assert (original, count) == (full.article_id, 3)


def test_unrelated_long_stories_are_not_merged_by_each_other(any_store: Store) -> None:
    first = record(any_store, page("http://a.example/1/", "One", text="\n\n".join(_long_story(11))))
    second = record(any_store, page("http://b.example/2/", "Two", text="\n\n".join(_long_story(12))))
    assert first.story_id != second.story_id


def test_merging_stories_one_campaign_posted_twice_keeps_both_posts(any_store: Store) -> None:
    """Three copies that share nothing start three stories; two were posted by the same campaign.
    The full text merges all three: one of those posts moves to the kept story, the other stays on
    record under its old number, and nothing fails on the one-post-per-story rule."""
    from syndic.store.schema import campaigns, posts

    paras = _long_story(5)
    parts = [paras[:2], paras[3:6], paras[6:]]
    recorded = [record(any_store, page(f"http://site{i}.example/{i}/", f"Part {i}", text="\n\n".join(p)))
                for i, p in enumerate(parts)]
    assert len({r.story_id for r in recorded}) == 3
    with any_store.engine.begin() as conn:
        campaign = conn.execute(campaigns.insert().values(name="c", config={}, created_at=T0)).inserted_primary_key[0]
        for i, r in enumerate(recorded[1:]):
            conn.execute(posts.insert().values(
                campaign_id=campaign, story_id=r.story_id, article_id=r.article_id, state="sent",
                idempotency_key=f"k{i}", created_at=T0, updated_at=T0))

    full = record(any_store, page("http://wire.example/full/", "Full", text="\n\n".join(paras)))
    assert full.story_id == min(r.story_id for r in recorded)
    with any_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(stories)).scalar() == 1
        posted = sorted(conn.execute(select(posts.c.story_id)).scalars().all())
    assert posted[0] == full.story_id and len(posted) == 2  # one moved, one kept under its old number


def test_a_story_left_by_its_only_article_is_removed(any_store: Store) -> None:
    """An article revised into a copy of another story leaves its old story; an empty story is none."""
    wire = record(any_store, page("http://wire.example/a/", "Wire", text="\n\n".join(_long_story(21))))
    lone = record(any_store, page("http://other.example/b/", "Other", text="\n\n".join(_long_story(22))))
    assert lone.story_id != wire.story_id
    revised = record(any_store, page("http://other.example/b/", "Other", text="\n\n".join(_long_story(21))))
    assert revised.article_id == lone.article_id and revised.story_id == wire.story_id
    with any_store.engine.connect() as conn:
        assert conn.execute(select(stories.c.id).where(stories.c.id == lone.story_id)).first() is None
    assert story_of(any_store, wire.story_id)[1] == 2
