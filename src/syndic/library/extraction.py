"""One page or one text at a time: extract an article from a URL or HTML, clean a text, read a WARC."""

from __future__ import annotations

from syndic.library.core import Core


class Extraction:
    """One page or one text at a time: extract an article from a URL or HTML, clean a text, read a WARC."""

    def __init__(self, core: Core) -> None:
        self._core = core
