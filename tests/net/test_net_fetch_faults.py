"""Fetcher against real local servers that fail in every way a stranger's server can."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import brotli
import pytest

from syndic.errors import (
    BlockedAddressError,
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
)
from syndic.net import DEFAULT_USER_AGENT, Fetcher, NetSettings, fetch_sync

FEED = b"<?xml version='1.0'?><rss><channel><title>t</title></channel></rss>"


async def fetch(settings: NetSettings, url: str, resolver: Any = None, **kw: Any) -> Any:
    async with Fetcher(settings, resolver=resolver) as fetcher:
        return await fetcher.fetch(url, **kw)


# --- ordinary results ------------------------------------------------------------------------


async def test_plain_fetch_sends_user_agent_and_returns_headers(net_server: Any, kit: Any) -> None:
    net_server.routes["/feed"] = kit.respond(
        200, FEED, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": '"v1"',
                    "Last-Modified": "Sat, 28 Nov 2026 10:00:00 GMT"}
    )
    result = await fetch(kit.settings(), net_server.url("/feed"), accept="application/rss+xml")
    assert result.body == FEED and result.status == 200 and not result.not_modified
    assert result.url == result.final_url == net_server.url("/feed")
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.headers["content-type"] == result.headers["CONTENT-TYPE"]
    assert result.etag == '"v1"' and result.last_modified == "Sat, 28 Nov 2026 10:00:00 GMT"
    request = net_server.requests[0]
    assert request.headers["user-agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("syndic/") and "(+https://github.com/syndic)" in DEFAULT_USER_AGENT
    assert request.headers["accept"] == "application/rss+xml"
    assert result.elapsed > 0


async def test_empty_200_is_a_result(net_server: Any, kit: Any) -> None:
    net_server.routes["/empty"] = kit.respond(200, b"")
    result = await fetch(kit.settings(), net_server.url("/empty"))
    assert result.status == 200 and result.body == b"" and result.content_type is None


async def test_conditional_get_304(net_server: Any, kit: Any) -> None:
    def conditional(conn: socket.socket, request: Any) -> None:
        if request.headers.get("if-none-match") == '"v1"' or request.headers.get("if-modified-since"):
            conn.sendall(kit.http_response(304, b"", {"ETag": '"v1"'}))
        else:
            conn.sendall(kit.http_response(200, FEED, {"ETag": '"v1"'}))

    net_server.routes["/feed"] = conditional
    async with Fetcher(kit.settings()) as fetcher:
        first = await fetcher.fetch(net_server.url("/feed"))
        again = await fetcher.fetch(net_server.url("/feed"), etag=first.etag)
        by_date = await fetcher.fetch(net_server.url("/feed"), last_modified="Sat, 28 Nov 2026 10:00:00 GMT")
    assert first.body == FEED and not first.not_modified
    assert again.not_modified and again.status == 304 and again.body == b"" and again.etag == '"v1"'
    assert by_date.not_modified
    assert net_server.requests[2].headers["if-modified-since"] == "Sat, 28 Nov 2026 10:00:00 GMT"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
async def test_compressed_bodies_decoded(net_server: Any, kit: Any, encoding: str) -> None:
    packed = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[encoding](FEED)
    net_server.routes["/feed"] = kit.respond(200, packed, {"Content-Encoding": encoding})
    result = await fetch(kit.settings(), net_server.url("/feed"))
    assert result.body == FEED
    assert set(net_server.requests[0].headers["accept-encoding"].replace(" ", "").split(",")) == {
        "gzip", "deflate", "br"
    }


def test_fetch_sync_for_the_cli(net_server: Any, kit: Any) -> None:
    net_server.routes["/feed"] = kit.respond(200, FEED)
    assert fetch_sync(net_server.url("/feed"), kit.settings()).body == FEED


# --- timeouts and broken connections -----------------------------------------------------------


async def test_server_that_never_answers_times_out(net_server: Any, kit: Any) -> None:
    net_server.routes["/silent"] = lambda conn, request: net_server.stop.wait(5)
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError, match="read timeout") as info:
        await fetch(kit.settings(read_timeout=0.5), net_server.url("/silent"))
    assert net_server.url("/silent") in str(info.value)
    assert time.monotonic() - started < 2


async def test_server_that_never_accepts_hits_the_connect_timeout(kit: Any) -> None:
    """A full accept queue: the kernel drops further SYNs, so connect() hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        await asyncio.sleep(0.1)
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError, match="connect timeout"):
            await fetch(kit.settings(connect_timeout=0.5), f"http://127.0.0.1:{port}/feed")
        assert time.monotonic() - started < 1.5
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


async def test_byte_a_second_hits_the_total_timeout(net_server: Any, kit: Any) -> None:
    def drip(conn: socket.socket, request: Any) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(1000):
            if net_server.stop.wait(0.25):
                return
            conn.sendall(b"x")

    net_server.routes["/drip"] = drip
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError, match="total timeout"):
        await fetch(kit.settings(read_timeout=1, total_timeout=1), net_server.url("/drip"))
    assert 0.9 < time.monotonic() - started < 2.5


async def test_reset_in_the_middle_of_the_body(net_server: Any, kit: Any) -> None:
    def half_then_reset(conn: socket.socket, request: Any) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 5000)
        time.sleep(0.05)
        kit.reset(conn)

    net_server.routes["/reset"] = half_then_reset
    with pytest.raises(ConnectionFailedError) as info:
        await fetch(kit.settings(), net_server.url("/reset"))
    assert net_server.url("/reset") in str(info.value) and info.value.retryable


async def test_connection_refused(kit: Any) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with pytest.raises(ConnectionFailedError, match="cannot connect"):
        await fetch(kit.settings(), f"http://127.0.0.1:{port}/feed")


async def test_untrusted_certificate_refused(tls_server: Any, kit: Any) -> None:
    tls_server.routes["/feed"] = kit.respond(200, FEED)
    with pytest.raises(ConnectionFailedError, match="TLS failure") as info:
        await fetch(kit.settings(), tls_server.url("/feed"))
    assert tls_server.url("/feed") in str(info.value) and tls_server.requests == []


# --- statuses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retryable(net_server: Any, kit: Any, status: int) -> None:
    net_server.routes["/feed"] = kit.respond(status, b"oops")
    with pytest.raises(HTTPStatusError) as info:
        await fetch(kit.settings(), net_server.url("/feed"))
    assert info.value.status == status and info.value.retryable and info.value.retry_after is None
    assert f"{net_server.url('/feed')}: HTTP {status}" in str(info.value)


async def test_404_is_not_retryable(net_server: Any, kit: Any) -> None:
    with pytest.raises(HTTPStatusError) as info:
        await fetch(kit.settings(), net_server.url("/missing"))
    assert info.value.status == 404 and not info.value.retryable


async def test_429_retry_after_seconds_and_date(net_server: Any, kit: Any) -> None:
    net_server.routes["/seconds"] = kit.respond(429, b"", {"Retry-After": "120"})
    later = datetime.now(UTC) + timedelta(seconds=600)
    net_server.routes["/date"] = kit.respond(503, b"", {"Retry-After": format_datetime(later, usegmt=True)})
    async with Fetcher(kit.settings()) as fetcher:
        with pytest.raises(HTTPStatusError) as seconds:
            await fetcher.fetch(net_server.url("/seconds"))
        with pytest.raises(HTTPStatusError) as date:
            await fetcher.fetch(net_server.url("/date"))
    assert seconds.value.status == 429 and seconds.value.retryable and seconds.value.retry_after == 120
    assert date.value.retry_after is not None and 590 < date.value.retry_after <= 600


# --- redirects ---------------------------------------------------------------------------------


async def test_redirects_followed_within_the_cap(net_server: Any, kit: Any) -> None:
    net_server.routes["/a"] = kit.redirect("/b", 301)
    net_server.routes["/b"] = kit.redirect(net_server.url("/c"), 307)
    net_server.routes["/c"] = kit.redirect("d#frag", 308)
    net_server.routes["/d"] = kit.respond(200, FEED)
    result = await fetch(kit.settings(), net_server.url("/a"))
    assert result.body == FEED and result.url == net_server.url("/a") and result.final_url == net_server.url("/d")
    assert net_server.paths() == ["/a", "/b", "/c", "/d"]


async def test_redirect_loop(net_server: Any, kit: Any) -> None:
    net_server.routes["/a"] = kit.redirect("/b")
    net_server.routes["/b"] = kit.redirect("/a")
    with pytest.raises(TooManyRedirectsError, match="loop"):
        await fetch(kit.settings(), net_server.url("/a"))
    assert net_server.paths() == ["/a", "/b"]


async def test_chain_of_20_redirects(net_server: Any, kit: Any) -> None:
    for i in range(20):
        net_server.routes[f"/{i}"] = kit.redirect(f"/{i + 1}")
    net_server.routes["/20"] = kit.respond(200, FEED)
    with pytest.raises(TooManyRedirectsError, match="more than 5 redirects"):
        await fetch(kit.settings(), net_server.url("/0"))
    assert len(net_server.requests) == 6  # the first request and 5 redirects, not 21


async def test_credentials_not_forwarded_to_another_origin(net_server: Any, kit: Any) -> None:
    resolver = kit.MapResolver({"other.test": ["127.0.0.1"]})
    net_server.routes["/a"] = kit.redirect(net_server.url("/b", host="other.test"))
    net_server.routes["/b"] = kit.respond(200, FEED)
    await fetch(kit.settings(), net_server.url("/a"), resolver, headers={"Authorization": "Bearer s3cret"})
    assert net_server.requests[0].headers["authorization"] == "Bearer s3cret"
    assert "authorization" not in net_server.requests[1].headers


# --- the address guard -------------------------------------------------------------------------


async def test_loopback_refused_with_the_default_allowlist(net_server: Any) -> None:
    net_server.routes["/feed"] = lambda conn, request: None
    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.1") as info:
        await fetch(NetSettings(), net_server.url("/feed"))
    assert net_server.url("/feed") in str(info.value)
    assert net_server.requests == []


@pytest.mark.parametrize("host", ["localhost", "2130706433", "127.1", "0x7f.0.0.1", "0177.0.0.1"])
async def test_loopback_in_disguise_refused(net_server: Any, host: str) -> None:
    """Real getaddrinfo, no test resolver: names and legacy numeric forms that mean 127.0.0.1."""
    with pytest.raises(FetchError) as info:
        await fetch(NetSettings(), net_server.url("/feed", host=host))
    assert isinstance(info.value, BlockedAddressError) or "not a canonical" in str(info.value), info.value
    assert host in str(info.value)
    assert net_server.requests == []


async def test_peer_address_checked_after_connect(net_server: Any, kit: Any) -> None:
    """The last of the three layers on its own: resolver and socket factory built with a wider
    allowlist than the one the response is checked against."""
    net_server.routes["/feed"] = kit.respond(200, FEED)
    resolver = kit.MapResolver({"feed.test": ["127.0.0.1"]})
    async with Fetcher(kit.settings(), resolver=resolver) as fetcher:
        assert (await fetcher.fetch(net_server.url("/feed", host="feed.test"))).body == FEED
        fetcher._allow = ()
        with pytest.raises(BlockedAddressError, match="connected to a refused address"):
            await fetcher.fetch(net_server.url("/feed", host="feed.test"))
    assert len(net_server.requests) == 1  # refused before the second request was sent


async def test_name_resolving_to_loopback_refused(net_server: Any, kit: Any) -> None:
    resolver = kit.MapResolver({"innocent.test": ["127.0.0.1"]})
    with pytest.raises(BlockedAddressError, match=r"innocent\.test.*127\.0\.0\.1"):
        await fetch(kit.settings(allow=()), net_server.url("/feed", host="innocent.test"), resolver)
    assert net_server.requests == []


async def test_mixed_answer_connects_only_to_the_allowed_address(net_server: Any, kit: Any) -> None:
    resolver = kit.MapResolver({"mixed.test": ["10.0.0.7", "127.0.0.1"]})
    net_server.routes["/feed"] = kit.respond(200, FEED)
    result = await fetch(kit.settings(allow=kit.ONLY_127_0_0_1), net_server.url("/feed", host="mixed.test"),
                         resolver)
    assert result.body == FEED


async def test_redirect_to_loopback_refused(net_server: Any, net_server2: Any, kit: Any) -> None:
    """Only 127.0.0.1 is allowed; 127.0.0.2 is another loopback address, and it has a server."""
    net_server2.routes["/admin"] = kit.respond(200, b"secret")
    net_server.routes["/feed"] = kit.redirect(net_server2.url("/admin"))
    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.2"):
        await fetch(kit.settings(allow=kit.ONLY_127_0_0_1), net_server.url("/feed"))
    assert net_server.paths() == ["/feed"] and net_server2.requests == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://metadata.test/computeMetadata/v1/",
        "http://loopback.test:{port}/admin",
        "file:///etc/passwd",
    ],
)
async def test_redirect_into_refused_networks(net_server: Any, kit: Any, target: str) -> None:
    resolver = kit.MapResolver({"public.test": ["127.0.0.1"], "metadata.test": ["169.254.169.254"],
                                "loopback.test": ["127.0.0.2", "::1"]})
    net_server.routes["/feed"] = kit.redirect(target.format(port=net_server.port))
    with pytest.raises(FetchError) as info:
        await fetch(kit.settings(allow=kit.ONLY_127_0_0_1), net_server.url("/feed", host="public.test"), resolver)
    if target.startswith("file:"):
        assert "only http and https" in str(info.value)
    else:
        assert isinstance(info.value, BlockedAddressError), info.value
    assert net_server.paths() == ["/feed"]


# --- size caps ---------------------------------------------------------------------------------


def _gzip_bomb(inflated: int) -> bytes:
    packer = zlib.compressobj(9, wbits=31)
    zeros = b"\0" * (1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(inflated >> 20)) + packer.flush()


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return _gzip_bomb(1 << 30)  # 1 GiB of zeros in about 1 MB


async def test_gzip_bomb_stops_at_the_cap(net_server: Any, kit: Any, gzip_bomb: bytes) -> None:
    assert len(gzip_bomb) < 2 * 1024 * 1024
    net_server.routes["/bomb"] = kit.respond(200, gzip_bomb, {"Content-Encoding": "gzip"})
    cap = 5 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError, match=f"body exceeds {cap} bytes after decompression") as info:
            await fetch(kit.settings(max_body_bytes=cap), net_server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert net_server.url("/bomb") in str(info.value)
    assert peak < 40 * 1024 * 1024, f"peak {peak} bytes while decoding a bomb capped at {cap}"


def streaming(server: Any, head: bytes, sent: list[int]) -> Any:
    """A route that sends `head`, then up to 2 GiB of body until the client hangs up; bytes sent go to `sent`."""

    def handler(conn: socket.socket, request: Any) -> None:
        conn.sendall(head)
        chunk = b"x" * 65536
        total = 0
        try:
            while total < 2**31 and not server.stop.is_set():
                conn.sendall(chunk)
                total += len(chunk)
        except OSError:
            pass
        sent.append(total)

    return handler


async def test_declared_2gb_body_refused_before_reading(net_server: Any, kit: Any) -> None:
    sent: list[int] = []
    net_server.routes["/huge"] = streaming(net_server, b"HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n", sent)
    started = time.monotonic()
    with pytest.raises(TooLargeError, match="Content-Length 2147483648 exceeds 1048576 bytes"):
        await fetch(kit.settings(max_body_bytes=1 << 20), net_server.url("/huge"))
    assert time.monotonic() - started < 2


async def test_endless_body_cut_at_the_cap(net_server: Any, kit: Any) -> None:
    sent: list[int] = []
    # no length: read until close
    net_server.routes["/endless"] = streaming(net_server, b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", sent)
    started = time.monotonic()
    with pytest.raises(TooLargeError, match="body exceeds 1048576 bytes"):
        await fetch(kit.settings(max_body_bytes=1 << 20), net_server.url("/endless"))
    assert time.monotonic() - started < 3
    for _ in range(100):
        if sent:
            break
        await asyncio.sleep(0.02)
    assert sent and sent[0] < 64 * 1024 * 1024  # the server was stopped long before 2 GB


async def test_per_call_cap_overrides_the_default(net_server: Any, kit: Any) -> None:
    net_server.routes["/feed"] = kit.respond(200, b"z" * 5000)
    async with Fetcher(kit.settings()) as fetcher:
        assert len((await fetcher.fetch(net_server.url("/feed"))).body) == 5000
        with pytest.raises(TooLargeError):
            await fetcher.fetch(net_server.url("/feed"), max_body_bytes=4999)
