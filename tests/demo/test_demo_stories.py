"""The demo's content as data: enough articles, of news length, each text written once."""

from __future__ import annotations

from tests.demo import expected

from syndic.demo.stories import OUTLETS, STORIES


def test_article_count_and_length() -> None:
    assert 14 <= len(STORIES) <= 20
    for s in STORIES:
        assert 5 <= len(s.paragraphs) <= 12, s.key
        assert s.published.tzinfo is not None and s.modified >= s.published, s.key
        assert s.authors and s.tags, s.key


def test_keys_unique_and_outlets_known() -> None:
    assert len({s.key for s in STORIES}) == len(STORIES)
    slugs = {o.slug for o in OUTLETS}
    assert {s.outlet for s in STORIES} == slugs
    assert any(len(s.authors) == 2 for s in STORIES if s.copy_of is None)


def test_only_copies_share_text() -> None:
    seen: dict[str, str] = {}
    for s in STORIES:
        origin = s.copy_of or s.key
        for para in s.paragraphs:
            assert seen.setdefault(para, origin) == origin, (s.key, para[:40])


def test_wire_story_is_carried_by_three_outlets_and_one_autoblog() -> None:
    outlets = [p.split("/")[1] for p in expected.SAME_STORY_PATHS]
    assert outlets[0] == "northwind-wire"
    assert sorted(outlets[1:]) == ["bestnewsdaily", "harbour-gazette", "metro-ledger"]
    assert len(expected.SYNDICATED_PATHS) == 2
    assert expected.AUTHORS[expected.AUTOBLOG_COPY_PATH] == expected.AUTHORS[expected.ORIGINAL_PATH]
