"""The address guard: syndic fetches URLs written by strangers, so it must
never be turned into a probe of the machine it runs on or its network (SSRF).

Refused by default: loopback, private (RFC 1918, fc00::/7), link-local
(169.254/16 with its cloud metadata endpoints, fe80::/10), CGNAT 100.64/10,
reserved, multicast, unspecified, documentation and benchmark ranges, and
every IPv6 form that embeds one of those IPv4 addresses (IPv4-mapped
::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo). Only networks
named in an allowlist (empty by default) get through.

The check runs on the address actually connected, three times over:
`GuardedResolver` drops refused addresses from every DNS answer (so a name
that resolves to both a public and a private address can only reach the
public one), `guarded_socket_factory` checks the exact sockaddr right before
`connect()` (this also covers IP-literal URLs, which aiohttp never sends to
the resolver), and the client checks the socket's peer name once connected,
before the request is sent, on new and reused connections alike.
Only http and https URLs are accepted.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from aiohappyeyeballs import AddrInfoType, SocketFactoryType
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from syndic.errors import BlockedAddressError, ConfigError, FetchError

Network = IPv4Network | IPv6Network
IPAddress = IPv4Address | IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Spelled out rather than left to `ipaddress.is_global` alone, so the policy is
# readable here and does not change with the Python version; `is_global` is
# still consulted as a second opinion for anything this list forgets.
REFUSED_NETWORKS: tuple[Network, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata (169.254.169.254)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::/96",  # IPv4-compatible (deprecated)
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (Teredo is judged by its embedded address)
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local (private)
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)


def parse_networks(value: str) -> tuple[Network, ...]:
    """Parse comma-separated CIDRs (`SYNDIC_ALLOW_NETWORKS`); a bare address is a /32 or /128.

    Raises ConfigError naming the entry that is not a network, or that has host
    bits set (`10.0.0.1/8` is refused rather than silently widened).
    """
    networks: list[Network] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=True))
        except ValueError as exc:
            raise ConfigError(f"allow_networks: {item!r} is not a network in CIDR form ({exc})") from exc
    return tuple(networks)


def _parse_ip(ip: str) -> IPAddress | None:
    # A scope id ("fe80::1%eth0") does not change which network an address is in.
    try:
        return ipaddress.ip_address(ip.split("%", 1)[0].strip("[]"))
    except ValueError:
        return None


def _embedded_ipv4(addr: IPv6Address) -> IPv4Address | None:
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr in _NAT64:
        return IPv4Address(int(addr) & 0xFFFFFFFF)
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]  # the client's address
    return None


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_refused(addr: IPAddress) -> bool:
    if any(addr in net for net in REFUSED_NETWORKS if net.version == addr.version):
        return True
    return not addr.is_global or addr.is_multicast


def is_address_allowed(ip: str, allow_networks: Iterable[Network] = ()) -> bool:
    """True when syndic may connect to `ip` under the given allowlist.

    An allowlisted network wins over the refused list; an IPv6 address that
    embeds an IPv4 address is judged by both, and refused if either is.
    Anything that does not parse as an address is refused.
    """
    return _is_allowed(ip, tuple(allow_networks))


@functools.lru_cache(maxsize=16384)
def _is_allowed(ip: str, allow: tuple[Network, ...]) -> bool:
    # Cached: the same few addresses are checked on every request, and
    # ipaddress parsing is most of the guard's cost.
    addr = _parse_ip(ip)
    if addr is None:
        return False
    candidates: list[IPAddress] = [addr]
    if isinstance(addr, IPv6Address):
        inner = _embedded_ipv4(addr)
        if inner is not None:
            if addr.ipv4_mapped is not None:
                candidates = [inner]  # ::ffff:a.b.c.d is a.b.c.d on the wire
            else:
                candidates.append(inner)
    for candidate in candidates:
        if any(candidate in net for net in allow if net.version == candidate.version):
            continue
        if _is_refused(candidate):
            return False
    return True


def describe_address(ip: str) -> str:
    """What kind of address `ip` is, in the words an error message needs."""
    addr = _parse_ip(ip)
    if addr is None:
        return "not an IP address"
    if isinstance(addr, IPv6Address):
        inner = _embedded_ipv4(addr)
        if inner is not None and (addr.ipv4_mapped is not None or _is_refused(inner)):
            return f"an IPv6 form of {inner}, which is {describe_address(str(inner))}"
    for label, test in (
        ("loopback", addr.is_loopback),
        ("unspecified", addr.is_unspecified),
        ("link-local", addr.is_link_local),
        ("multicast", addr.is_multicast),
        ("carrier-grade NAT", addr in _CGNAT),
        ("reserved", addr.is_reserved),
        ("private", addr.is_private),
    ):
        if test:
            return label
    return "not public" if _is_refused(addr) else "public"


_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def check_address(host: str, ip: str, allow_networks: Iterable[Network]) -> None:
    """Raise BlockedAddressError naming the host and the address if `ip` is refused."""
    if not is_address_allowed(ip, allow_networks):
        what = f"address {ip}" if host == ip else f"{host} is at {ip}, which"
        raise BlockedAddressError(
            f"{what} is {describe_address(ip)} and refused; allow it with SYNDIC_ALLOW_NETWORKS"
        )


def check_url(url: URL, allow_networks: Iterable[Network]) -> None:
    """Refuse a URL before any connection: scheme, missing host, refused IP literal."""
    if url.scheme not in ALLOWED_SCHEMES:
        raise _refused(f"{url}: scheme {url.scheme!r} is not fetched (only http and https)")
    host = url.raw_host
    if not host:
        raise _refused(f"{url}: URL has no host")
    if _parse_ip(host) is not None:
        try:
            check_address(host, host, allow_networks)
        except BlockedAddressError as exc:
            raise BlockedAddressError(f"{url}: {exc}") from None


def _refused(message: str) -> FetchError:
    error = FetchError(message)
    error.retryable = False  # asking again will not change the URL
    return error


class GuardedResolver(AbstractResolver):
    """A resolver that drops refused addresses from every answer.

    Wraps another resolver (aiohttp's getaddrinfo-based one by default; tests
    pass one that maps made-up names to 127.0.0.x). When every address of a
    name is refused the lookup fails with BlockedAddressError instead of
    falling back to anything.
    """

    def __init__(self, allow_networks: Iterable[Network], inner: AbstractResolver | None = None) -> None:
        self._allow = tuple(allow_networks)
        self._inner = inner if inner is not None else ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        kept = [a for a in answers if is_address_allowed(a["host"], self._allow)]
        if not kept:
            refused = ", ".join(sorted({a["host"] for a in answers})) or "no address"
            raise BlockedAddressError(
                f"{host}: resolves only to refused addresses ({refused}); "
                "allow them with SYNDIC_ALLOW_NETWORKS"
            )
        return kept

    async def close(self) -> None:
        await self._inner.close()


def guarded_socket_factory(allow_networks: Iterable[Network]) -> SocketFactoryType:
    """A socket factory for aiohttp's connector that checks the exact sockaddr before connect."""
    allow = tuple(allow_networks)

    def factory(addr_info: AddrInfoType) -> socket.socket:
        family, type_, proto, _, sockaddr = addr_info
        ip = str(sockaddr[0])
        check_address(ip, ip, allow)
        return socket.socket(family=family, type=type_, proto=proto)

    return factory
