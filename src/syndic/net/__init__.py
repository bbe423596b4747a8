"""The only code in syndic that talks to the network.

One `Fetcher` per program (aiohttp underneath), with limits, an address
guard against SSRF, per-host politeness and robots.txt. Stages receive
bytes from here and never open a connection themselves.
"""

from syndic.net.client import Fetcher, FetchResult, fetch_sync
from syndic.net.guard import is_address_allowed, parse_networks
from syndic.net.limits import DEFAULT_USER_AGENT, Limits, NetSettings

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchResult",
    "Fetcher",
    "Limits",
    "NetSettings",
    "fetch_sync",
    "is_address_allowed",
    "parse_networks",
]
