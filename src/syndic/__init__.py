"""syndic: news feeds in; clean, full-text, deduplicated articles out.

The public surface is `syndic.open()` (a `Syndic`, see `syndic.library`: what
the CLI, the web app and the workers call) and the types below.
"""

from typing import TYPE_CHECKING, Any

from syndic.__about__ import __version__
from syndic.config import Settings, load_settings
from syndic.errors import (
    ExtractionError,
    FeedError,
    FetchError,
    PublishError,
    StoreError,
    SyndicError,
)
from syndic.types import Article, Enclosure, ParsedEntry, ParsedFeed

if TYPE_CHECKING:
    from syndic.library import Syndic, open


def __getattr__(name: str) -> Any:
    """`syndic.open` and `syndic.Syndic`, imported on first use.

    The library imports every stage; a pool process that only needs
    `syndic.extract` (or `syndic.types`) should not pay for that, nor should
    importing a stage import the library that imports it back.
    """
    if name in ("open", "Syndic"):
        from syndic import library

        return getattr(library, name)
    raise AttributeError(f"module 'syndic' has no attribute {name!r}")


__all__ = [
    "Article",
    "Enclosure",
    "ExtractionError",
    "FeedError",
    "FetchError",
    "ParsedEntry",
    "ParsedFeed",
    "PublishError",
    "Settings",
    "StoreError",
    "Syndic",
    "SyndicError",
    "__version__",
    "load_settings",
    "open",
]
