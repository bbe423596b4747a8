"""Stories (one per event, every outlet's copy in it) and their articles and revisions; full-text search."""

from __future__ import annotations

from syndic.library.core import Core


class Stories:
    """Stories (one per event, every outlet's copy in it) and their articles and revisions; full-text search."""

    def __init__(self, core: Core) -> None:
        self._core = core
