"""The one HTTP client of syndic: every byte from the network comes through `Fetcher.fetch`.

Built on aiohttp, chosen by measurement (`bench/http_client.py`: 3,000 GETs
of a 2 KiB file from a local keep-alive server in another process, median of
3 runs, 2 cores shared with other work, load average 4.6):

    | client         | concurrency | requests/s | client CPU µs/request |
    |----------------|-------------|------------|-----------------------|
    | httpx          |          50 |        207 |                  2253 |
    | aiohttp        |          50 |       4102 |                    96 |
    | syndic Fetcher |          50 |       6216 |                   134 |
    | httpx          |         100 |        248 |                  3094 |
    | aiohttp        |         100 |       7557 |                    83 |
    | syndic Fetcher |         100 |       5203 |                   134 |

Requests/s swing by ±40 % between runs on a busy machine; CPU per request
is steady. In every run httpx 0.28 needed 25-35x the CPU of aiohttp 3.14
per request; syndic's own layers (guard, politeness, capped decoding) add
about 50 µs on top of aiohttp.

What a fetch refuses, and how it says so (all FetchError subclasses, each
message names the URL):
- a scheme other than http/https, and any address outside the public
  internet unless allowlisted (BlockedAddressError, see guard.py) — checked
  on every redirect hop, on the address actually connected;
- more than `max_redirects` hops, or a loop (TooManyRedirectsError);
  redirects are followed here, not by aiohttp, so each hop is checked;
- a body past `max_body_bytes` counted after decompression (TooLargeError):
  a declared Content-Length over the cap fails before reading, an endless
  body fails at the cap, a gzip bomb never inflates past it (decompress.py);
- connect, read and total timeouts (FetchTimeoutError); the total covers all
  hops but not the wait for a politeness slot;
- any status other than 2xx and 304 (HTTPStatusError with `retry_after`).
A 304 is a normal result with `not_modified=True`. No cookies are kept
between fetches, no proxy is taken from the environment, and caller
credentials (Authorization, Cookie) are not forwarded to another origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.connector import Connection
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from syndic import bounds
from syndic.errors import (
    BlockedAddressError,
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    RobotsDisallowedError,
    TooLargeError,
    TooManyRedirectsError,
)
from syndic.net.decompress import ACCEPT_ENCODING, BodyDecoder, BodyLimitExceeded, UndecodableBody
from syndic.net.guard import GuardedResolver, check_address, check_url, guarded_socket_factory
from syndic.net.limits import NetSettings
from syndic.net.politeness import HostGate, SharedHostGate
from syndic.net.robots import ROBOTS_MAX_BYTES, RobotsCache, SharedRobots

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_BODY_KEEPING_REDIRECTS = frozenset({307, 308})
# Raw (still compressed) bytes may exceed the decoded cap a little for
# incompressible data; beyond this slack the body is refused anyway.
_RAW_SLACK = 64 * 1024
_CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")


@dataclass(frozen=True)
class FetchResult:
    url: str
    """The URL asked for."""
    final_url: str
    """The URL that answered, after redirects."""
    status: int
    headers: CIMultiDictProxy[str]
    """Response headers of the final hop; lookups are case-insensitive, `getall` gives repeated ones."""
    body: bytes
    """Decoded body (Content-Encoding undone); b"" for a 304."""
    content_type: str | None
    """The Content-Type header as sent (with any charset parameter), None if absent."""
    etag: str | None
    last_modified: str | None
    not_modified: bool
    elapsed: float
    """Seconds from the call to the result, politeness waits included."""


@dataclass(frozen=True)
class _Redirect:
    location: URL


def _same_origin(a: URL, b: URL) -> bool:
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


class Fetcher:
    """One per program; use as `async with Fetcher(settings) as fetcher:`.

    `resolver` replaces DNS underneath the address guard (tests map made-up
    names to 127.0.0.x with it); the guard still filters whatever it returns.
    `shared_gate` and `shared_robots` make politeness and robots.txt
    cluster-wide (Celery workers; see run/cluster_gate.py).
    """

    def __init__(
        self,
        settings: NetSettings = NetSettings(),  # noqa: B008
        *,
        resolver: AbstractResolver | None = None,
        shared_gate: SharedHostGate | None = None,
        shared_robots: SharedRobots | None = None,
    ) -> None:
        self._settings = settings
        self._limits = settings.limits
        self._allow = settings.allow_networks
        self._inner_resolver = resolver
        self._session: aiohttp.ClientSession | None = None
        self._resolver: GuardedResolver | None = None
        self._gate = HostGate(
            settings.per_host_concurrency, settings.min_host_interval, settings.max_connections, shared_gate
        )
        self._robots = RobotsCache(self._fetch_robots, "syndic", settings.robots_ttl, shared_robots)

    async def __aenter__(self) -> Self:
        self._get_session()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._resolver is not None:
            await self._resolver.close()
            self._resolver = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            limits = self._limits
            self._resolver = GuardedResolver(self._allow, self._inner_resolver)
            connector = aiohttp.TCPConnector(
                limit=self._settings.max_connections,
                limit_per_host=0,  # HostGate limits per host name, across ports
                resolver=self._resolver,
                socket_factory=guarded_socket_factory(self._allow),
                ttl_dns_cache=60,
            )
            fetcher = self

            class PeerCheckedRequest(aiohttp.ClientRequest):
                """Checks the connected peer before a single request byte is sent."""

                async def send(self, conn: Connection) -> aiohttp.ClientResponse:
                    fetcher._check_peer(self.url, conn)
                    return await super().send(conn)

            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                request_class=PeerCheckedRequest,
                auto_decompress=False,
                trust_env=False,
                headers={"User-Agent": self._settings.user_agent},
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=limits.connect_timeout,
                    sock_connect=limits.connect_timeout,
                    sock_read=limits.read_timeout,
                ),
            )
        return self._session

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        check_robots: bool = False,
        headers: Mapping[str, str] | None = None,
        max_body_bytes: int | None = None,
    ) -> FetchResult:
        """GET `url`, following redirects; raise a FetchError subclass on any failure."""
        request_headers: CIMultiDict[str] = CIMultiDict(headers or {})
        if etag is not None:
            request_headers["If-None-Match"] = etag
        if last_modified is not None:
            request_headers["If-Modified-Since"] = last_modified
        return await self._request(
            "GET", url, request_headers, None, accept=accept, check_robots=check_robots,
            max_body_bytes=max_body_bytes,
        )

    async def post_form(
        self,
        url: str,
        form: Mapping[str, str],
        *,
        accept: str | None = None,
        max_body_bytes: int = 64 * 1024,
    ) -> FetchResult:
        """POST `form` (application/x-www-form-urlencoded) to `url`, through the same guard.

        Only 307 and 308 are followed, re-sending the form to the new
        address (checked like any hop); a 301/302/303 would turn the POST
        into a GET, which is never what the caller (a WebSub hub request)
        meant, so it fails with the status. The answer's body is capped
        small: it is only read for an error message.
        """
        body = urlencode(dict(form)).encode("ascii")
        request_headers: CIMultiDict[str] = CIMultiDict(
            {"Content-Type": "application/x-www-form-urlencoded"}
        )
        return await self._request(
            "POST", url, request_headers, body, accept=accept, check_robots=False, max_body_bytes=max_body_bytes
        )

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        max_body_bytes: int = 1024 * 1024,
    ) -> FetchResult:
        """One request to a destination syndic delivers to (WordPress, a webhook), through the guard.

        Unlike `fetch`, any HTTP status is a result (the caller decides what
        a 4xx means to it) and redirects are not followed: a destination
        that moved is a configuration to fix, not a hop to take with the
        credentials. No per-host politeness (syndic is the site's client by
        the owner's choice); the address guard, the limits and the body cap
        are the same as for every fetch.
        """
        request_headers: CIMultiDict[str] = CIMultiDict(headers or {})
        return await self._request(
            method.upper(), url, request_headers, body, accept=None, check_robots=False,
            max_body_bytes=max_body_bytes, raise_for_status=False, follow_redirects=False, polite=False,
        )

    async def _request(
        self,
        method: str,
        url: str,
        request_headers: CIMultiDict[str],
        data: bytes | None,
        *,
        accept: str | None,
        check_robots: bool,
        max_body_bytes: int | None,
        raise_for_status: bool = True,
        follow_redirects: bool = True,
        polite: bool = True,
    ) -> FetchResult:
        started = time.monotonic()
        try:
            current = URL(url)
        except (ValueError, TypeError) as exc:
            raise _not_retryable(FetchError(f"{url}: not a valid URL ({exc})")) from None
        cap = max_body_bytes if max_body_bytes is not None else self._limits.max_body_bytes
        request_headers["Accept-Encoding"] = ACCEPT_ENCODING
        if accept is not None:
            request_headers["Accept"] = accept

        budget = self._limits.total_timeout
        seen = {str(current)}
        for hop in range(self._limits.max_redirects + 1):
            check_url(current, self._allow)
            delay = 0.0
            if check_robots:
                if not await self._robots.allowed(current):
                    raise RobotsDisallowedError(f"{current}: disallowed by robots.txt for syndic")
                delay = min(self._robots.crawl_delay(current), self._settings.max_crawl_delay)
            host = current.raw_host or ""
            async with self._gate.slot(host, delay) if polite else contextlib.nullcontext():
                hop_started = time.monotonic()
                try:
                    outcome = await self._one_hop(
                        method, data, url, current, request_headers, cap, budget,
                        raise_for_status=raise_for_status, follow_redirects=follow_redirects,
                    )
                finally:
                    budget -= time.monotonic() - hop_started
            if isinstance(outcome, FetchResult):
                return replace(outcome, elapsed=time.monotonic() - started)
            nxt = outcome.location
            if hop == self._limits.max_redirects:
                raise TooManyRedirectsError(
                    f"{url}: more than {self._limits.max_redirects} redirects (last to {nxt})"
                )
            if str(nxt) in seen:
                raise TooManyRedirectsError(f"{url}: redirect loop ({current} -> {nxt} was already visited)")
            seen.add(str(nxt))
            if not _same_origin(current, nxt):
                for name in _CREDENTIAL_HEADERS:
                    request_headers.popall(name, None)
            current = nxt
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def _one_hop(
        self, method: str, data: bytes | None, requested: str, url: URL, headers: CIMultiDict[str], cap: int,
        budget: float, *, raise_for_status: bool = True, follow_redirects: bool = True,
    ) -> FetchResult | _Redirect:
        session = self._get_session()
        timeout = asyncio.timeout(max(budget, 0.0))
        followed: frozenset[int] = frozenset()
        if follow_redirects:
            followed = REDIRECT_STATUSES if method == "GET" else _BODY_KEEPING_REDIRECTS
        try:
            async with timeout, session.request(
                method, url, headers=headers, data=data, allow_redirects=False
            ) as resp:
                status = resp.status
                location = resp.headers.get("Location")
                if status in followed and location:
                    try:
                        target = url.join(URL(location)).with_fragment(None)
                    except ValueError as exc:
                        raise _not_retryable(
                            FetchError(f"{url}: redirect to an invalid URL {location!r} ({exc})")
                        ) from None
                    return _Redirect(target)
                if status == 304:
                    body = b""
                elif 200 <= status < 300 or not raise_for_status:
                    body = await self._read_body(resp, url, cap)
                else:
                    raise HTTPStatusError(
                        f"{url}: HTTP {status} {resp.reason or ''}".rstrip()
                        + (f" (requested {requested})" if str(url) != requested else ""),
                        status,
                        bounds.retry_after(resp.headers.get("Retry-After")),
                    )
                return FetchResult(
                    url=requested,
                    final_url=str(url),
                    status=status,
                    headers=resp.headers,
                    body=body,
                    content_type=resp.headers.get("Content-Type"),
                    etag=resp.headers.get("ETag"),
                    last_modified=resp.headers.get("Last-Modified"),
                    not_modified=status == 304,
                    elapsed=0.0,
                )
        except BlockedAddressError as exc:
            # from the resolver or the socket factory, which know the host but not the URL
            if str(url) in str(exc):
                raise
            raise BlockedAddressError(f"{url}: {exc}") from None
        except FetchError:
            raise
        except aiohttp.ConnectionTimeoutError:
            raise FetchTimeoutError(
                f"{url}: no connection within {self._limits.connect_timeout:g} s (connect timeout)"
            ) from None
        except aiohttp.SocketTimeoutError:
            raise FetchTimeoutError(
                f"{url}: no data for {self._limits.read_timeout:g} s (read timeout)"
            ) from None
        except TimeoutError:
            if timeout.expired():
                raise FetchTimeoutError(
                    f"{url}: not complete within {self._limits.total_timeout:g} s (total timeout)"
                ) from None
            raise FetchTimeoutError(f"{url}: timed out") from None
        except aiohttp.ClientConnectorDNSError as exc:
            raise ConnectionFailedError(f"{url}: cannot resolve {url.host} ({exc.os_error})") from None
        except aiohttp.ClientSSLError as exc:
            raise ConnectionFailedError(f"{url}: TLS failure with {exc.host}:{exc.port} ({exc.os_error})") from None
        except aiohttp.ClientConnectorError as exc:
            raise ConnectionFailedError(
                f"{url}: cannot connect to {exc.host}:{exc.port} ({exc.os_error.strerror or exc.os_error})"
            ) from None
        except aiohttp.ClientPayloadError as exc:
            raise ConnectionFailedError(f"{url}: connection broke in the middle of the body ({exc})") from None
        except aiohttp.ServerDisconnectedError:
            raise ConnectionFailedError(f"{url}: server closed the connection without a response") from None
        except aiohttp.ClientResponseError as exc:
            raise ConnectionFailedError(f"{url}: malformed HTTP response ({exc.message})") from None
        except aiohttp.InvalidURL as exc:
            raise _not_retryable(FetchError(f"{url}: not a valid URL ({exc})")) from None
        except (aiohttp.ClientError, OSError) as exc:
            raise ConnectionFailedError(f"{url}: {type(exc).__name__}: {exc}") from None

    def _check_peer(self, url: URL, conn: Connection) -> None:
        transport = conn.transport
        peer = transport.get_extra_info("peername") if transport is not None else None
        if peer:
            try:
                check_address(url.host or "", str(peer[0]), self._allow)
            except BlockedAddressError as exc:
                raise BlockedAddressError(f"{url}: connected to a refused address: {exc}") from None

    async def _read_body(self, resp: aiohttp.ClientResponse, url: URL, cap: int) -> bytes:
        encoding = resp.headers.get("Content-Encoding")
        declared = resp.content_length
        if declared is not None and declared > cap + (_RAW_SLACK if encoding else 0):
            raise TooLargeError(f"{url}: Content-Length {declared} exceeds {cap} bytes")
        try:
            decoder = BodyDecoder(encoding, cap)
            raw = 0
            async for chunk in resp.content.iter_any():
                raw += len(chunk)
                if raw > cap + _RAW_SLACK:
                    raise TooLargeError(f"{url}: body exceeds {cap} bytes")
                decoder.feed(chunk)
            return decoder.finish()
        except BodyLimitExceeded:
            raise TooLargeError(f"{url}: body exceeds {cap} bytes after decompression") from None
        except UndecodableBody as exc:
            raise _not_retryable(FetchError(f"{url}: {exc}")) from None

    async def _fetch_robots(self, robots_url: str) -> bytes:
        result = await self.fetch(robots_url, accept="text/plain", max_body_bytes=ROBOTS_MAX_BYTES)
        return result.body


def _not_retryable(error: FetchError) -> FetchError:
    error.retryable = False
    return error


def fetch_sync(url: str, settings: NetSettings = NetSettings(), **kw: Any) -> FetchResult:  # noqa: B008
    """Fetch one URL in a fresh event loop (for the CLI); same arguments as `Fetcher.fetch`."""

    async def run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kw)

    return asyncio.run(run())
