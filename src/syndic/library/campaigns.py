"""Campaigns that post stories to a site (WordPress, a webhook): save one, run it, review its posts."""

from __future__ import annotations

from syndic.library.core import Core


class Campaigns:
    """Campaigns that post stories to a site (WordPress, a webhook): save one, run it, review its posts."""

    def __init__(self, core: Core) -> None:
        self._core = core
