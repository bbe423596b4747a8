"""What a reader sees and does: the reader's views and counts, read and starred state, folders and labels."""

from __future__ import annotations

from syndic.library.core import Core


class Reading:
    """What a reader sees and does: the reader's views and counts, read and starred state, folders and labels."""

    def __init__(self, core: Core) -> None:
        self._core = core
