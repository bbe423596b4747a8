"""`Fetcher.post_form`: the one POST syndic makes to strangers (WebSub hubs), held to the GET's rules."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import pytest

from syndic.errors import BlockedAddressError, HTTPStatusError
from syndic.net import Fetcher, NetSettings

FORM = {"hub.mode": "subscribe", "hub.topic": "https://example.org/feed?a=1&b=2", "hub.secret": "s e c r e t"}


async def post(settings: NetSettings, url: str, form: dict[str, str] = FORM) -> Any:
    async with Fetcher(settings) as fetcher:
        return await fetcher.post_form(url, form)


async def test_the_form_is_sent_url_encoded(net_server: Any, kit: Any) -> None:
    net_server.routes["/hub"] = kit.respond(202, b"")
    result = await post(kit.settings(), net_server.url("/hub"))
    assert result.status == 202
    (request,) = net_server.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(request.body.decode("ascii"))) == FORM


async def test_a_307_is_followed_with_the_form_a_303_is_not(net_server: Any, kit: Any) -> None:
    net_server.routes["/old"] = kit.redirect(net_server.url("/hub"), status=307)
    net_server.routes["/hub"] = kit.respond(202, b"")
    net_server.routes["/see-other"] = kit.redirect(net_server.url("/hub"), status=303)

    assert (await post(kit.settings(), net_server.url("/old"))).final_url == net_server.url("/hub")
    assert [(r.method, r.path) for r in net_server.requests] == [("POST", "/old"), ("POST", "/hub")]
    assert dict(parse_qsl(net_server.requests[1].body.decode())) == FORM

    with pytest.raises(HTTPStatusError) as info:
        await post(kit.settings(), net_server.url("/see-other"))
    assert info.value.status == 303
    assert net_server.paths()[-1] == "/see-other", "the POST was not turned into a GET"


async def test_an_error_status_names_the_hub(net_server: Any, kit: Any) -> None:
    net_server.routes["/hub"] = kit.respond(500, b"hub on fire")
    with pytest.raises(HTTPStatusError, match=r"/hub: HTTP 500"):
        await post(kit.settings(), net_server.url("/hub"))


async def test_a_private_hub_is_refused_before_any_byte(net_server: Any, kit: Any) -> None:
    net_server.routes["/hub"] = kit.respond(202, b"")
    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.1"):
        await post(NetSettings(), net_server.url("/hub"))  # the default allowlist: public internet only
    assert net_server.requests == []


async def test_a_307_into_a_refused_network_is_not_followed(net_server: Any, net_server2: Any, kit: Any) -> None:
    net_server2.routes["/internal"] = kit.respond(202, b"")
    net_server.routes["/hub"] = kit.redirect(net_server2.url("/internal"), status=307)
    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.2"):
        await post(kit.settings(allow=kit.ONLY_127_0_0_1), net_server.url("/hub"))
    assert net_server2.requests == []
