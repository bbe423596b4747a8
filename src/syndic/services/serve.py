"""`syndic serve`: the web app, its real actions, and a background poller, on one loop.

The app only knows the `WebActions` it is given; here they are wired to the
pipeline (discovery + subscribe, OPML) and to the publish stage (campaigns).
A background task polls due feeds every minute so a reader left running
stays current without cron, and another runs due campaigns on their
schedules (never twice for one slot, even beside `syndic beat`).

One HTTP client serves the whole process: the poller, a feed added from the
web, and the Full-Text RSS endpoints fetch through it, so one host's
concurrency, spacing and robots.txt Crawl-delay hold across all of them
(separate clients would each be polite on their own and together twice as
fast). In a cluster (a broker configured, a shared store) that client's
limits and robots.txt are the cluster's, kept in the store, and serve does
not poll: `syndic beat` enqueues due feeds for the workers, once each.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket

import uvicorn

from syndic.config import Settings
from syndic.errors import ConfigError
from syndic.library import Syndic
from syndic.library.campaigns import CampaignBusy
from syndic.net import Fetcher
from syndic.publish.ftr import FtrOptions, network_fetch
from syndic.run.article import run_in_pool
from syndic.run.local import make_executor, stop_executor
from syndic.run.pipeline import net_settings
from syndic.store import Store, open_store
from syndic.web.actions import WebActions

log = logging.getLogger("syndic.serve")

POLL_EVERY_SECONDS = 60.0
SHUTDOWN_GRACE_S = 5
CAMPAIGNS_EVERY_SECONDS = 30.0


def check_port_free(host: str, port: int) -> None:
    """Refuse, naming the port, to start a server that could not listen (before any work is done).

    Binding is left to the server; this only tries it once, with the same
    SO_REUSEADDR, so a taken port is one clear line instead of the server's
    own error in the middle of its start-up.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ConfigError(f"cannot listen on {host!r}: {getattr(exc, 'strerror', None) or exc}") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"port {port} on {host} is already in use (another syndic serve?); "
                    f"choose another with --port") from None
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def in_cluster(settings: Settings, store: Store) -> bool:
    """A broker and a shared (non-SQLite) store: workers poll, beat schedules, limits live in the store."""
    return bool(settings.broker_url) and store.engine.url.get_backend_name() != "sqlite"


def process_fetcher(settings: Settings, store: Store) -> Fetcher:
    """The one client of this process: the cluster's limits when in a cluster, else its own."""
    if in_cluster(settings, store):
        from syndic.run.cluster_gate import cluster_fetcher

        return cluster_fetcher(settings, store)
    return Fetcher(net_settings(settings))


def make_actions(
    settings: Settings, store: Store, wake_poller: asyncio.Event | None = None, fetcher: Fetcher | None = None
) -> WebActions:
    """The real implementations of what the web app may ask for, over the library."""
    library = Syndic.over(store, settings, fetcher=fetcher)

    async def add_feed(url: str) -> int:
        feed_id = await library.feeds.subscribe(url)
        await library.feeds.refresh(feed_id)  # its articles are there when the page reloads
        return feed_id

    async def run_campaign(campaign_id: int) -> str:
        # delivery runs in a thread (WordPress answers slowly), off the event loop
        try:
            report = await library.campaigns.run(campaign_id)
        except CampaignBusy as exc:
            return str(exc)  # "already running": the page says so instead of running it twice
        return report.summary

    async def import_opml(document: bytes) -> int:
        return library.feeds.import_opml(document)

    async def export_opml() -> bytes:
        return library.feeds.export_opml()[0]

    async def entries_pushed(_feed_id: int) -> None:
        if wake_poller is not None:
            wake_poller.set()

    return WebActions(add_feed=add_feed, run_campaign=run_campaign, import_opml=import_opml,
                      export_opml=export_opml, entries_pushed=entries_pushed)


async def poll_forever(
    settings: Settings, store: Store, every: float = POLL_EVERY_SECONDS, wake: asyncio.Event | None = None,
    fetcher: Fetcher | None = None,
) -> None:
    """Poll due feeds and extract their entries, forever; errors are logged, never fatal.

    One runtime (client, process pool) serves every cycle; it is opened again
    only after a cycle failed. `wake` cuts the wait short (a WebSub push
    stored entries to extract). A given `fetcher` is shared with the rest of
    the process (see the module's docstring).
    """
    wake = wake or asyncio.Event()
    library = Syndic.over(store, settings, fetcher=fetcher)
    while True:
        try:
            async with library.running():
                while True:
                    wake.clear()
                    await library.feeds.poll(due_only=True)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wake.wait(), timeout=every)
        except Exception:  # a poll cycle must never take the server down
            log.exception("background poll failed")
        await asyncio.sleep(every)


async def campaigns_forever(
    store: Store, every: float = CAMPAIGNS_EVERY_SECONDS, settings: Settings | None = None
) -> None:
    """Run due campaigns on their schedules, forever (publish/schedule.py keeps each slot to one run).

    Delivery is synchronous (WordPress answers slowly), so each round runs in
    a thread off the event loop; a failing round is logged and the next one
    comes anyway.
    """
    # the destinations are reached on the server's own network policy (its allow_networks)
    campaigns = Syndic.over(store, settings).campaigns
    while True:
        try:
            await campaigns.run_due()
        except Exception:  # the scheduler must never take the server down
            log.exception("campaign round failed")
        await asyncio.sleep(every)


async def serve_async(
    settings: Settings, *, host: str, port: int, secure_cookies: bool = False, background_poll: bool = True,
    background_campaigns: bool | None = None,
    store: Store | None = None, ready: asyncio.Event | None = None, stop: asyncio.Event | None = None,
) -> None:
    """Serve until interrupted, or until `stop` is set (tests and embedders stop it that way)."""
    from syndic.web import create_app
    from syndic.web.settings import WebSettings

    active = store or open_store(settings.resolved_database_url())
    if background_campaigns is None:
        background_campaigns = background_poll  # a server that polls also posts, each on its schedule
    wake = asyncio.Event()
    fetcher = process_fetcher(settings, active)
    web_settings = WebSettings(
        secure_cookies=secure_cookies,
        max_push_bytes=settings.max_body_bytes,
        greader_api=settings.greader_api,
        fever_api=settings.fever_api,
    )
    # one library for the app, on the server's own settings (not re-read from the environment)
    library = Syndic.over(active, settings, fetcher=fetcher)
    app = create_app(library, web_settings, make_actions(settings, active, wake, fetcher))
    app.state.net_settings = net_settings(settings)
    app.state.site_config_dir = settings.resolved_site_config_dir()
    options = app.state.ftr_options = FtrOptions.from_settings(settings)  # for whom and which URLs, as chosen
    fetch = network_fetch(fetcher=fetcher, check_robots=settings.respect_robots)  # the poller's client and rules
    # full-text pages are extracted in their own processes: a large page's parse never stalls the reader
    ftr_pool = make_executor(settings)
    app.state.fulltext_service = library.documents.fulltext_service(
        fetch=fetch, fetch_page=fetch.page, options=options,
        run_cpu=run_in_pool(ftr_pool) if ftr_pool is not None else None,
    )
    # on SIGTERM/SIGINT open connections get a few seconds, then are cancelled (a long poll never holds a stop)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", proxy_headers=False,
                            timeout_graceful_shutdown=SHUTDOWN_GRACE_S)
    server = uvicorn.Server(config)
    if background_poll and in_cluster(settings, active):
        log.warning("a broker is configured: feeds are polled by the cluster's workers (from `syndic beat`), "
                    "not by serve")
        background_poll = False
    poller = asyncio.create_task(poll_forever(settings, active, wake=wake, fetcher=fetcher)) if background_poll else None
    scheduler = (
        asyncio.create_task(campaigns_forever(active, settings=settings)) if background_campaigns else None
    )
    try:
        serving = asyncio.create_task(server.serve())
        while not server.started and not serving.done():
            await asyncio.sleep(0.05)
        if not server.started:  # uvicorn logs why and exits; say it once, naming the address
            with contextlib.suppress(BaseException):
                await serving
            raise ConfigError(f"could not listen on {host}:{port} (in use? choose another with --port)")
        if ready is not None:
            ready.set()
        if stop is not None:
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            server.should_exit = True
            stopping.cancel()
        await serving
    finally:
        for task in (poller, scheduler):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await fetcher.aclose()
        if ftr_pool is not None:
            stop_executor(ftr_pool, interrupted=True)


def serve_forever(settings: Settings, *, host: str, port: int, secure_cookies: bool = False) -> None:
    check_port_free(host, port)
    print(f"syndic reader on http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_async(settings, host=host, port=port, secure_cookies=secure_cookies))
