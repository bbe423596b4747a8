"""robots.txt: obeyed for article pages, fetched once per host, lenient when missing or broken."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from syndic.errors import RobotsDisallowedError
from syndic.net import Fetcher

ROBOTS = b"""User-agent: otherbot
Disallow: /

User-agent: *
Disallow: /private/
"""


async def test_disallowed_page_refused_and_robots_fetched_once(net_server: Any, kit: Any) -> None:
    net_server.routes["/robots.txt"] = kit.respond(200, ROBOTS, {"Content-Type": "text/plain"})
    for path in ("/private/a", "/public/c"):
        net_server.routes[path] = kit.respond(200, b"page")
    async with Fetcher(kit.settings()) as fetcher:
        with pytest.raises(RobotsDisallowedError, match=r"private/a.*robots\.txt"):
            await fetcher.fetch(net_server.url("/private/a"), check_robots=True)
        results = await asyncio.gather(
            *(fetcher.fetch(net_server.url(f"/public/c?{i}"), check_robots=True) for i in range(5))
        )
        unchecked = await fetcher.fetch(net_server.url("/private/a"))  # feeds do not ask
    assert all(r.body == b"page" for r in results) and unchecked.body == b"page"
    paths = net_server.paths()
    assert paths.count("/robots.txt") == 1
    assert paths.count("/private/a") == 1  # only the unchecked fetch reached it


async def test_group_for_syndic_wins_over_the_star_group(net_server: Any, kit: Any) -> None:
    net_server.routes["/robots.txt"] = kit.respond(
        200, b"User-agent: *\nDisallow: /\n\nUser-agent: syndic\nDisallow: /no-syndic/\n"
    )
    net_server.routes["/news/1"] = kit.respond(200, b"page")
    async with Fetcher(kit.settings()) as fetcher:
        assert (await fetcher.fetch(net_server.url("/news/1"), check_robots=True)).body == b"page"
        with pytest.raises(RobotsDisallowedError):
            await fetcher.fetch(net_server.url("/no-syndic/2"), check_robots=True)


@pytest.mark.parametrize("status", [404, 403, 500, 503])
async def test_missing_or_broken_robots_allows(net_server: Any, kit: Any, status: int) -> None:
    net_server.routes["/robots.txt"] = kit.respond(status, b"User-agent: *\nDisallow: /\n")
    net_server.routes["/article"] = kit.respond(200, b"page")
    async with Fetcher(kit.settings()) as fetcher:
        result = await fetcher.fetch(net_server.url("/article"), check_robots=True)
    assert result.body == b"page"
    assert net_server.paths() == ["/robots.txt", "/article"]


async def test_unreachable_robots_allows(net_server: Any, kit: Any) -> None:
    net_server.routes["/robots.txt"] = lambda conn, request: kit.reset(conn)
    net_server.routes["/article"] = kit.respond(200, b"page")
    async with Fetcher(kit.settings()) as fetcher:
        assert (await fetcher.fetch(net_server.url("/article"), check_robots=True)).body == b"page"


async def test_robots_cached_with_a_ttl(net_server: Any, kit: Any) -> None:
    net_server.routes["/robots.txt"] = kit.respond(200, b"User-agent: *\nDisallow: /x\n")
    net_server.routes["/article"] = kit.respond(200, b"page")
    async with Fetcher(kit.settings(robots_ttl=0.2)) as fetcher:
        await fetcher.fetch(net_server.url("/article"), check_robots=True)
        await fetcher.fetch(net_server.url("/article"), check_robots=True)
        await asyncio.sleep(0.3)
        await fetcher.fetch(net_server.url("/article"), check_robots=True)
    assert net_server.paths().count("/robots.txt") == 2
