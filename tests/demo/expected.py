"""What a correct pipeline should conclude about the demo site, for tests and the demo.

Paths are relative to the server's base URL (`DemoServer.base_url`); helper
functions join them. The answers come from the story data, not from running
any syndic stage, so a test comparing the two can fail.
"""

from __future__ import annotations

from datetime import datetime

from syndic.demo.pages import article_path
from syndic.demo.stories import STORIES, Story, story

WIRE_ORIGINAL = "northwind-wire/saltmarsh-bridge-closed-after-crack-found"


def _copies_of(key: str) -> tuple[Story, ...]:
    return tuple(s for s in STORIES if s.copy_of == key)


# The one story carried by three outlets, plus the autoblog's copy of it.
SAME_STORY_PATHS: tuple[str, ...] = (
    article_path(story(WIRE_ORIGINAL)),
    *(article_path(s) for s in _copies_of(WIRE_ORIGINAL)),
)
ORIGINAL_PATH: str = article_path(story(WIRE_ORIGINAL))
ORIGINAL_PUBLISHER = "Northwind Wire"
SYNDICATED_PATHS: tuple[str, ...] = tuple(
    article_path(s) for s in _copies_of(WIRE_ORIGINAL) if s.outlet != "bestnewsdaily"
)
AUTOBLOG_COPY_PATH: str = next(
    article_path(s) for s in _copies_of(WIRE_ORIGINAL) if s.outlet == "bestnewsdaily"
)
# The partner page whose rel=canonical points at the wire's URL.
CANONICAL_TO_ORIGINAL_PATHS: tuple[str, ...] = tuple(
    article_path(s) for s in _copies_of(WIRE_ORIGINAL) if s.canonical_to_original
)

SPLIT_ARTICLE_PATHS: tuple[str, str] = next(
    (article_path(s), article_path(s, 2)) for s in STORIES if s.split_at is not None
)
HOSTILE_ARTICLE_PATH: str = next(article_path(s) for s in STORIES if s.hostile)

# Residue lines an autoblog copy carries that a cleaner must remove.
AUTOBLOG_RESIDUE: tuple[str, ...] = (
    "By and Tomasz Wielgus,",
    *(t for s in STORIES if s.outlet == "bestnewsdaily" for t in s.teasers.values()),
    "Read more",
    "Today’s coverage from Northwind correspondents across the region",
    "Like Northwind Wire on Facebook and stay updated on local news",
    "Let’s block ads! (Why?)",
    "Read More",
    "Powered by WPeMatico",
)


def _true_authors(s: Story) -> tuple[str, ...]:
    return story(s.copy_of).authors if s.copy_of else s.authors


# The real authors of every article page (the autoblog's byline lost one; this is who wrote it).
AUTHORS: dict[str, tuple[str, ...]] = {article_path(s): _true_authors(s) for s in STORIES}
HEADLINES: dict[str, str] = {article_path(s): s.headline for s in STORIES}
PUBLISHED: dict[str, datetime] = {article_path(s): s.published for s in STORIES}
PARAGRAPHS: dict[str, tuple[str, ...]] = {article_path(s): s.paragraphs for s in STORIES}


def urls(base_url: str, paths: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(base_url + p for p in paths)


def same_story_urls(base_url: str) -> tuple[str, ...]:
    """Every URL of the wire story: the original first, then partners and the autoblog."""
    return urls(base_url, SAME_STORY_PATHS)


def original_url(base_url: str) -> str:
    return base_url + ORIGINAL_PATH
