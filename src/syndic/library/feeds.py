"""Subscriptions: subscribe (discovering a page's feed), list, health, OPML in and out, and polling."""

from __future__ import annotations

from syndic.library.core import Core


class Feeds:
    """Subscriptions: subscribe (discovering a page's feed), list, health, OPML in and out, and polling."""

    def __init__(self, core: Core) -> None:
        self._core = core
