"""Every knob of the network layer, as frozen values passed in, never globals.

`Limits` bounds one fetch (time, redirects, bytes); `NetSettings` bounds the
whole program (which networks may be reached, how hard one host is hit).
The defaults are the safe ones: no private network is reachable until a
network is named in `allow_networks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from ipaddress import IPv4Network, IPv6Network

try:
    __version__ = version("syndic")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

DEFAULT_USER_AGENT = f"syndic/{__version__} (+https://github.com/syndic)"


@dataclass(frozen=True)
class Limits:
    """Bounds on one fetch. Times in seconds; the total covers every redirect hop."""

    connect_timeout: float = 10
    read_timeout: float = 20
    total_timeout: float = 60
    max_redirects: int = 5
    max_body_bytes: int = 10 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive")
        if self.max_redirects < 0:
            raise ValueError("Limits.max_redirects must be >= 0")
        if self.max_body_bytes <= 0:
            raise ValueError("Limits.max_body_bytes must be positive")


@dataclass(frozen=True)
class NetSettings:
    """Program-wide network policy, built once by the config module."""

    limits: Limits = field(default_factory=Limits)
    allow_networks: tuple[IPv4Network | IPv6Network, ...] = ()
    user_agent: str = DEFAULT_USER_AGENT
    per_host_concurrency: int = 2
    min_host_interval: float = 0.5
    max_connections: int = 100
    robots_ttl: float = 24 * 3600
    max_crawl_delay: float = 30.0
    """A robots.txt Crawl-delay spaces a host's requests up to this many seconds (0: ignore it)."""

    def __post_init__(self) -> None:
        if self.per_host_concurrency < 1:
            raise ValueError("NetSettings.per_host_concurrency must be >= 1")
        if self.max_connections < 1:
            raise ValueError("NetSettings.max_connections must be >= 1")
        if self.min_host_interval < 0:
            raise ValueError("NetSettings.min_host_interval must be >= 0")
        if self.max_crawl_delay < 0:
            raise ValueError("NetSettings.max_crawl_delay must be >= 0")
