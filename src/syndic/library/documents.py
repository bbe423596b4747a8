"""What syndic publishes: full-text feeds (RSS, Atom, JSON Feed) and Full-Text RSS answers."""

from __future__ import annotations

from syndic.library.core import Core


class Documents:
    """What syndic publishes: full-text feeds (RSS, Atom, JSON Feed) and Full-Text RSS answers."""

    def __init__(self, core: Core) -> None:
        self._core = core
