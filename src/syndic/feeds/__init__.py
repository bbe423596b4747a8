"""bytes → entries: parsing, discovery, OPML, scheduling, WebSub.

Everything here is a pure function over values: no module in this package
opens a socket or a file. `net/` fetches, `run/` wires the two together.
"""

from syndic.feeds.discover import discover_feeds
from syndic.feeds.opml import OpmlOutline, parse_opml, write_opml
from syndic.feeds.parse import parse_feed
from syndic.feeds.schedule import next_check_at
from syndic.feeds.websub import check_intent, verify_signature, websub_subscribe_params

__all__ = [
    "OpmlOutline",
    "check_intent",
    "discover_feeds",
    "next_check_at",
    "parse_feed",
    "parse_opml",
    "verify_signature",
    "websub_subscribe_params",
    "write_opml",
]
