"""robots.txt: obeyed for article pages, fetched once per host, lenient when missing or broken."""

from __future__ import annotations

import asyncio
import itertools
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


def starts(server: Any, prefix: str) -> list[float]:
    return sorted(r.at for r in server.requests if r.path.startswith(prefix))


async def test_crawl_delay_spaces_the_page_fetches_of_its_host(net_server: Any, kit: Any) -> None:
    net_server.routes["/robots.txt"] = kit.respond(200, b"User-agent: *\nCrawl-delay: 0.4\nDisallow: /private/\n")
    net_server.routes["/page"] = kit.respond(200, b"page")
    async with Fetcher(kit.settings(per_host_concurrency=4)) as fetcher:
        await asyncio.gather(*(fetcher.fetch(net_server.url(f"/page?{i}"), check_robots=True) for i in range(4)))
    times = starts(net_server, "/page")
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 4 and min(gaps) >= 0.35, gaps


async def test_crawl_delay_is_capped_and_can_be_ignored(net_server: Any, kit: Any) -> None:
    net_server.routes["/robots.txt"] = kit.respond(200, b"User-agent: syndic\nCrawl-delay: 3600\n")
    net_server.routes["/page"] = kit.respond(200, b"page")
    for cap, least, most in ((0.2, 0.15, 1.0), (0.0, 0.0, 0.15)):
        net_server.requests.clear()
        async with Fetcher(kit.settings(per_host_concurrency=4, max_crawl_delay=cap)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(net_server.url(f"/page?{i}"), check_robots=True) for i in range(3)))
        times = starts(net_server, "/page")
        assert least <= times[-1] - times[0] <= 2 * most, (cap, times)


async def test_a_malformed_crawl_delay_is_no_delay(net_server: Any, kit: Any) -> None:
    net_server.routes["/robots.txt"] = kit.respond(200, b"User-agent: *\nCrawl-delay: soon\n")
    net_server.routes["/page"] = kit.respond(200, b"page")
    async with Fetcher(kit.settings(per_host_concurrency=4)) as fetcher:
        results = await asyncio.gather(
            *(fetcher.fetch(net_server.url(f"/page?{i}"), check_robots=True) for i in range(3))
        )
    times = starts(net_server, "/page")
    assert all(r.body == b"page" for r in results) and times[-1] - times[0] < 0.3


async def test_the_longest_matching_rule_wins_whatever_its_order(net_server: Any, kit: Any) -> None:
    """RFC 9309: `Allow: /news/today` beats the shorter `Disallow: /news/` though it comes later."""
    net_server.routes["/robots.txt"] = kit.respond(
        200, b"User-agent: *\nDisallow: /news/\nAllow: /news/today\nDisallow: /*.pdf$\n"
    )
    for path in ("/news/today", "/news/old", "/report.pdf", "/report.pdf.html"):
        net_server.routes[path] = kit.respond(200, b"page")
    async with Fetcher(kit.settings()) as fetcher:
        assert (await fetcher.fetch(net_server.url("/news/today"), check_robots=True)).body == b"page"
        assert (await fetcher.fetch(net_server.url("/report.pdf.html"), check_robots=True)).body == b"page"
        for refused in ("/news/old", "/report.pdf"):
            with pytest.raises(RobotsDisallowedError):
                await fetcher.fetch(net_server.url(refused), check_robots=True)
