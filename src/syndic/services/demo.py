"""`syndic demo` / `make demo`: the whole pipeline on the bundled news site.

It starts the bundled site on loopback, allows loopback for this run only
(the address guard refuses it by default), subscribes to every outlet's feed,
polls, extracts, groups copies into stories, creates a login, and serves the
reader — printing what to open and how fast it went.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import click

from syndic.config import Settings
from syndic.run.local import open_runtime
from syndic.run.pipeline import extract_pending, poll_feeds
from syndic.services.serve import serve_async
from syndic.store import articles as store_articles
from syndic.store import feeds as store_feeds
from syndic.store import open_store


def demo_settings(settings: Settings, data_dir: Path) -> Settings:
    return replace(
        settings,
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'syndic.db'}",
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        min_host_interval=0.0,
        per_host_concurrency=8,
    )


async def _demo(settings: Settings, port: int, serve: bool) -> None:
    from syndic.demo import serve_demo_site

    started = time.perf_counter()
    store = open_store(settings.resolved_database_url())
    with serve_demo_site() as site:
        click.echo(f"bundled news site: {site.base_url}")
        for url in site.feed_urls:
            store_feeds.add_feed(store, url)
        async with open_runtime(settings, store=store) as rt:
            feeds = store_feeds.list_feeds(store)
            t0 = time.perf_counter()
            outcomes = await poll_feeds(rt, feeds)
            t1 = time.perf_counter()
            results = await extract_pending(rt)
            t2 = time.perf_counter()
        pages = sum(1 for r in results if r.article_id)
        click.echo(
            f"polled {len(outcomes)} feeds in {t1 - t0:.2f}s "
            f"({sum(o.new_entries for o in outcomes)} entries, {sum(1 for o in outcomes if o.error)} failed); "
            f"extracted {pages} pages in {t2 - t1:.2f}s ({pages / max(t2 - t1, 1e-9):.1f} pages/s), "
            f"{sum(1 for r in results if r.error)} failed"
        )
        for r in results:
            if r.error:
                click.echo(f"  {r.url}: {r.error}", err=True)
        click.echo(
            f"{store_articles.article_count(store)} articles in {store_articles.story_count(store)} stories "
            f"(copies of one story are grouped)"
        )
        password = secrets.token_urlsafe(9)
        from syndic.library import Syndic

        accounts = Syndic.over(store, settings).accounts
        user_id = accounts.add_user("demo", password, admin=True)
        token = accounts.create_token("demo", user_id)
        _key_index, ftr_secret = accounts.add_ftr_key("demo")
        wire_feed = next(u for u in site.feed_urls if "northwind-wire" in u)
        wire_feed_id = store_feeds.add_feed(store, wire_feed)  # idempotent: the id of the subscription
        click.echo(f"ready in {time.perf_counter() - started:.1f}s")
        if not serve:
            return
        ready = asyncio.Event()
        server = asyncio.create_task(
            serve_async(settings, host="127.0.0.1", port=port, store=store, ready=ready, background_poll=False)
        )
        await ready.wait()
        base = f"http://127.0.0.1:{port}"
        database = settings.resolved_database_url()
        ftr_url = f"{base}/makefulltextfeed.php?" + urlencode(
            {"url": wire_feed, "key": ftr_secret, "key_redirect": "0"}
        )
        click.echo("")
        click.secho(f"  reader:          {base}/   (log in as demo / {password})", bold=True)
        click.echo(f"  search:          {base}/search?q=harbour")
        click.echo(f"  full-text feed:  {base}/full/feeds/{wire_feed_id}.rss?token={token}")
        click.echo(f"  Full-Text RSS:   {ftr_url}")
        click.echo(f"  API token:       {token}")
        click.echo(f"  API:             curl -H 'Authorization: Bearer {token}' {base}/api/v1/stories")
        click.echo(f"  OpenAPI:         curl -H 'Authorization: Bearer {token}' {base}/api/v1/openapi.json")
        click.echo(f"  data:            {settings.data_dir}  (this run's store; the CLI on it: "
                   f"syndic --database {database} list)")
        click.echo("  The feed URLs carry their key: paste them into a feed reader or curl. Ctrl-C to stop.")
        await server
        base = f"http://127.0.0.1:{port}"
        click.echo("")
        click.secho(f"  reader:        {base}/   (log in as demo / {password})", bold=True)
        click.echo(f"  search:        {base}/search?q=harbour")
        click.echo(f"  full-text RSS: {base}/makefulltextfeed.php?url={site.feed_urls[0]}")
        click.echo(f"  API (OpenAPI): {base}/api/v1/openapi.json")
        click.echo("  Ctrl-C to stop.")
        await server


def run_demo(settings: Settings, *, port: int, data_dir: Path | None, serve: bool) -> None:
    if serve:
        from syndic.services.serve import check_port_free

        check_port_free("127.0.0.1", port)  # before the work, not after it
    folder = data_dir or settings.data_dir / "demo"
    # The bundled site gets a new port each run; start from an empty store so
    # the demo shows one clean run rather than copies keyed by old ports.
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    try:
        asyncio.run(_demo(demo_settings(settings, folder), port, serve))
    except KeyboardInterrupt:
        sys.exit(0)
