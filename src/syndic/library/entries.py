"""Entries as polled: list and filter them, their extraction state, retry the failed ones, extract what is owed."""

from __future__ import annotations

from syndic.library.core import Core


class Entries:
    """Entries as polled: list and filter them, their extraction state, retry the failed ones, extract what is owed."""

    def __init__(self, core: Core) -> None:
        self._core = core
