"""The address policy on its own: which addresses are refused, how allowlists parse."""

from __future__ import annotations

import socket
from ipaddress import ip_network
from typing import Any

import pytest
from yarl import URL

from syndic.errors import BlockedAddressError, ConfigError, FetchError
from syndic.net import is_address_allowed, parse_networks
from syndic.net.guard import GuardedResolver, check_address, check_url, guarded_socket_factory

REFUSED = [
    "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1",
    "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.2.5", "198.18.0.1", "192.0.0.8",
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::1", "2001:db8::1", "::127.0.0.1", "not-an-ip", "",
]
ALLOWED = ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "100.128.0.1"]


@pytest.mark.parametrize("ip", REFUSED)
def test_refused_by_default(ip: str) -> None:
    assert not is_address_allowed(ip, ())


@pytest.mark.parametrize("ip", ALLOWED)
def test_public_addresses_allowed(ip: str) -> None:
    assert is_address_allowed(ip, ())


def test_allowlist_opens_exactly_its_networks() -> None:
    allow = parse_networks("127.0.0.0/8, 10.0.0.0/24")
    assert is_address_allowed("127.0.0.2", allow)
    assert is_address_allowed("::ffff:127.0.0.1", allow)  # the mapped form is the same host
    assert is_address_allowed("10.0.0.200", allow)
    assert not is_address_allowed("10.0.1.1", allow)
    assert not is_address_allowed("169.254.169.254", allow)
    assert not is_address_allowed("::1", allow)


@pytest.mark.parametrize(
    ("ip", "kind"),
    [("127.0.0.1", "loopback"), ("169.254.169.254", "link-local"), ("100.64.0.1", "carrier-grade NAT"),
     ("10.0.0.1", "private"), ("0.0.0.0", "unspecified"), ("ff02::1", "multicast"),
     ("::ffff:169.254.169.254", "IPv6 form of 169.254.169.254, which is link-local")],
)
def test_refusal_names_host_address_and_kind(ip: str, kind: str) -> None:
    with pytest.raises(BlockedAddressError) as info:
        check_address("feeds.example", ip, ())
    assert f"feeds.example is at {ip}, which is" in str(info.value) and kind in str(info.value)


def test_parse_networks() -> None:
    assert parse_networks("") == ()
    assert parse_networks(" 127.0.0.1 , ::1/128,") == (ip_network("127.0.0.1/32"), ip_network("::1/128"))
    with pytest.raises(ConfigError, match=r"'10\.0\.0\.1/8'"):
        parse_networks("10.0.0.1/8")
    with pytest.raises(ConfigError, match="'localhost'"):
        parse_networks("127.0.0.0/8,localhost")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https") as info:
        check_url(URL(url), ())
    assert not info.value.retryable


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://[::1]:8080/", "https://169.254.169.254/latest"])
def test_ip_literal_urls_checked(url: str) -> None:
    with pytest.raises(BlockedAddressError) as info:
        check_url(URL(url), ())
    assert url.split("/")[2].split(":")[0].strip("[]") in str(info.value) or "::1" in str(info.value)


async def test_resolver_drops_refused_answers(kit: Any) -> None:
    inner = kit.MapResolver({"mixed.test": ["10.0.0.7", "93.184.215.14"], "inside.test": ["10.0.0.7", "127.0.0.1"]})
    resolver = GuardedResolver((), inner)
    kept = await resolver.resolve("mixed.test", 80)
    assert [a["host"] for a in kept] == ["93.184.215.14"]
    with pytest.raises(BlockedAddressError, match=r"inside\.test.*10\.0\.0\.7, 127\.0\.0\.1"):
        await resolver.resolve("inside.test", 80)


def test_socket_factory_checks_the_exact_sockaddr() -> None:
    factory = guarded_socket_factory(parse_networks("127.0.0.1/32"))
    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.2"):
        factory((socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", 80)))
    sock = factory((socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80)))
    sock.close()
