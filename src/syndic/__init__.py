"""syndic: news feeds in; clean, full-text, deduplicated articles out.

The public surface is the types and the stage entry points below; everything
else is reached through its stage package (`syndic.feeds`, `syndic.extract`,
`syndic.clean`, `syndic.dedupe`, `syndic.store`, `syndic.publish`, `syndic.web`).
"""

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
    "SyndicError",
    "__version__",
    "load_settings",
]
