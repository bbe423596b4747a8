"""The things the web app asks other stages to do, injected by the caller.

Adding a feed means discovering, fetching and parsing it; running a campaign
means filtering, rendering and posting. Those live in `run/` and
`publish/`; the web app only calls the async callables it was given, so it
can be tested with small real implementations and no network.
`syndic serve` wires the real ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass


async def _unavailable_int(_: object) -> int:
    raise NotImplementedError("this syndic was started without that action")


async def _unavailable_str(_: int) -> str:
    raise NotImplementedError("this syndic was started without that action")


async def _unavailable_bytes() -> bytes:
    raise NotImplementedError("this syndic was started without that action")


async def _nothing_to_do(_: int) -> None:
    """Without a poller to wake, pushed entries wait for the next `syndic poll`."""


@dataclass(frozen=True)
class WebActions:
    """Async callables for the work other stages do.

    add_feed(page_or_feed_url) -> feed id (raises SyndicError with a message
        the user can read when nothing is found).
    run_campaign(campaign_id) -> a one-line summary of what was done.
    import_opml(document bytes) -> number of feeds added.
    export_opml() -> an OPML document.
    entries_pushed(feed_id) -> None: a hub pushed new entries of this feed
        (the server extracts them now instead of at its next poll).
    """

    add_feed: Callable[[str], Awaitable[int]] = _unavailable_int
    run_campaign: Callable[[int], Awaitable[str]] = _unavailable_str
    import_opml: Callable[[bytes], Awaitable[int]] = _unavailable_int
    export_opml: Callable[[], Awaitable[bytes]] = _unavailable_bytes
    entries_pushed: Callable[[int], Awaitable[None]] = _nothing_to_do
