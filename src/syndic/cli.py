"""The `syndic` command: a thin layer over the library.

Each command parses its options, calls one library function and prints the
result; nothing here decides anything the library could not decide alone.
Every command has a --help that reads as its documentation (a test checks).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from syndic.__about__ import __version__
from syndic.config import Settings, load_settings
from syndic.errors import SyndicError
from syndic.logs import configure_logging
from syndic.types import Article, Feed

if TYPE_CHECKING:
    from syndic.library import Syndic
    from syndic.library.accounts import Accounts

T = TypeVar("T")


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def _fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(1)


def _run(coro_factory: Callable[[], Any]) -> Any:
    try:
        return asyncio.run(coro_factory())
    except SyndicError as exc:
        _fail(str(exc))


@contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A click progress bar on a terminal, silence otherwise."""
    if total <= 0:
        yield lambda _n: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar.update


class _Syndic(click.Group):
    """The top-level group: whatever a command lets through ends as one line on stderr, never a traceback.

    syndic's own errors (a user's mistake, a site's, the database's) and the
    operating system's (a file missing, a port taken) are one line and exit
    status 1. Anything else is a bug: one line too, naming the log level that
    shows its traceback. Ctrl-C exits 130 quietly.
    """

    def invoke(self, ctx: click.Context) -> Any:
        _stop_on_sigterm()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("", err=True)
            sys.exit(143 if _TERMINATED else 130)
        except SyndicError as exc:
            _fail(_one_line(exc))
        except OSError as exc:
            _fail(_os_error(exc))
        except Exception as exc:
            import logging

            logging.getLogger("syndic").debug("unexpected error", exc_info=True)
            _fail(f"unexpected {type(exc).__name__}: {_one_line(exc)} (syndic --log-level DEBUG … shows where)")


_TERMINATED: list[int] = []


def _stop_on_sigterm() -> None:
    """SIGTERM stops a command exactly as Ctrl-C does, then exits 143.

    The handler hands the signal to whatever handles SIGINT at that moment:
    asyncio's runner (which cancels the command's main task, so cleanup
    runs: open transactions roll back, the process pool is stopped,
    in-flight fetches are cancelled) or Python's default (KeyboardInterrupt).
    Raising from the handler instead would land anywhere, inside a task's
    step too, and leave "Task exception was never retrieved" behind.
    Commands with their own handling (serve's web server, worker, beat)
    replace it while they run.
    """
    import signal
    import threading

    def terminated(signum: int, frame: Any) -> None:
        _TERMINATED.append(signum)
        on_interrupt = signal.getsignal(signal.SIGINT)
        if callable(on_interrupt):
            on_interrupt(signal.SIGINT, frame)
        else:
            raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, terminated)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:500] if text else type(exc).__name__


def _os_error(exc: OSError) -> str:
    """A file or socket error as a person reads it: the name, then why."""
    reason = exc.strerror or _one_line(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


PORT = click.IntRange(1, 65535)
"""A TCP port; anything else is a usage error, not an OverflowError from the socket layer."""


@click.group(cls=_Syndic, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="syndic")
@click.option("--database", "database_url", envvar="SYNDIC_DATABASE_URL", default=None,
              help="SQLAlchemy URL of the store (default: an SQLite file in the user's data directory).")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              default=None, help="How much to log to stderr (default: SYNDIC_LOG_LEVEL, else WARNING).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default=None,
              help="Log lines as text or as JSON objects (default: SYNDIC_LOG_FORMAT, else text).")
@click.pass_context
def main(ctx: click.Context, database_url: str | None, log_level: str | None, log_format: str | None) -> None:
    """syndic: news feeds in; clean, full-text, deduplicated articles out.

    Subscribe to feeds (add, import), poll them (poll), read the result
    (list, serve) and publish it again as full-text feeds, a JSON API and
    WordPress posts. Settings come from syndic.toml and SYNDIC_* variables.
    """
    try:
        settings = load_settings()
    except SyndicError as exc:
        _fail(str(exc))
        return
    if database_url:
        settings = replace(settings, database_url=database_url)
    if log_level:
        settings = replace(settings, log_level=log_level)
    if log_format:
        settings = replace(settings, log_format=log_format)
    try:
        configure_logging(settings.log_level, settings.log_format)
    except SyndicError as exc:
        _fail(str(exc))
    ctx.obj = settings


def _open(ctx: click.Context) -> Syndic:
    """The library over the command's store (use it in a `with`, which closes the store)."""
    from syndic.library import open as open_syndic

    try:
        return open_syndic(_settings(ctx))
    except SyndicError as exc:
        _fail(str(exc))
        raise  # not reached: _fail exits


@main.command()
@click.argument("url")
@click.option("--category", help="OPML folder to file the feed under.")
@click.pass_context
def add(ctx: click.Context, url: str, category: str | None) -> None:
    """Subscribe to URL: a feed, or a page whose feed is discovered.

    The URL is fetched once: if it is a feed it is added as it is; if it is a
    web page, the feeds it links to (<link rel="alternate">) are tried in order.
    """
    with _open(ctx) as syndic:
        feed_id = _run(lambda: syndic.feeds.subscribe(url, category=category))
        feed = syndic.feeds.get(feed_id)
        assert feed is not None
        click.echo(f"subscribed: [{feed_id}] {feed.title or ''} <{feed.url}>")


@main.command("import")
@click.argument("opml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_(ctx: click.Context, opml: Path) -> None:
    """Subscribe to every feed in an OPML file (folders become categories)."""
    with _open(ctx) as syndic:
        try:
            count = syndic.feeds.import_opml(opml.read_bytes())
        except SyndicError as exc:
            _fail(f"{opml}: {exc}")
            return
    click.echo(f"imported {count} feeds from {opml}")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.pass_context
def export(ctx: click.Context, output: Path | None) -> None:
    """Write every subscription as OPML."""
    with _open(ctx) as syndic:
        data, count = syndic.feeds.export_opml()
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {count} feeds to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.option("--due", is_flag=True, help="Only feeds whose next check has come (for cron).")
@click.option("--inline", is_flag=True, help="Extract in this process instead of a process pool (debugging).")
@click.option("--distributed", is_flag=True,
              help="Enqueue the work for Celery workers (`syndic worker`) instead of doing it here; "
                   "a feed already queued for its due time is not queued again.")
@click.pass_context
def poll(ctx: click.Context, due: bool, inline: bool, distributed: bool) -> None:
    """Poll feeds, fetch and extract new articles, and group copies into stories.

    Shows a progress bar for the feeds and one for the pages, then a summary.
    Failures are recorded on their feed or entry (see `syndic feeds --health`
    and `syndic list`); they never stop the rest of the batch.
    """
    settings = _settings(ctx)
    if distributed:
        from syndic.services.workers import enqueue_poll

        try:
            count = enqueue_poll(settings, due_only=due)
        except SyndicError as exc:
            _fail(str(exc))
            return
        click.echo(f"enqueued {count} feeds")
        return

    with _open(ctx) as syndic:

        async def go() -> None:
            async with syndic.running(inline=inline):
                report = await syndic.feeds.poll(due_only=due, progress=_progress)
            errors = [o for o in report.feeds if o.error]
            failed = sum(1 for r in report.articles if r.error)
            given_up = sum(1 for r in report.articles if r.given_up)
            click.echo(
                f"{len(report.feeds)} feeds polled ({len(errors)} failed), "
                f"{report.new_entries} new entries, "
                f"{report.extracted} articles extracted ({failed} failed"
                + (f", {given_up} of them given up: syndic list --failed" if given_up else "") + ")"
            )
            for o in errors:
                click.echo(f"  feed {o.url}: {o.error}", err=True)

        _run(go)


@main.command("list")
@click.option("--feed", "feed_id", type=int, help="Only this feed's entries.")
@click.option("--unread", is_flag=True, help="Only unread entries.")
@click.option("--starred", is_flag=True, help="Only starred entries.")
@click.option("--failed", is_flag=True,
              help="Only entries whose extraction failed: failed (to be tried again) and given_up.")
@click.option("--state", "states", multiple=True, type=click.Choice(["pending", "done", "failed", "given_up"]),
              help="Only entries in this extraction state (repeat for several).")
@click.option("--user", "username", default=None,
              help="Whose unread/starred state (read state is per user; default: the first admin).")
@click.option("-n", "--limit", default=50, show_default=True, type=click.IntRange(min=0), help="How many entries.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def list_(ctx: click.Context, feed_id: int | None, unread: bool, starred: bool, failed: bool,
          states: tuple[str, ...], username: str | None, limit: int, as_json: bool) -> None:
    """List entries, newest first: feed, title, date and extraction state.

    The state is pending (not tried yet), done, failed (tried; tried again
    after a backoff, shown as its next try) or given_up (attempts spent, or
    an error trying again cannot fix), with the last reason. `syndic retry`
    puts failed and given-up entries back in the queue.
    """
    with _open(ctx) as syndic:
        user_id = None
        if unread or starred:
            user_id = syndic.accounts.find_user(username)
            if user_id is None:
                _fail(f"no user {username!r}" if username else "--unread/--starred need a user: syndic user add NAME")
        wanted = list(states) + (["failed", "given_up"] if failed else [])
        if feed_id is not None and syndic.feeds.get(feed_id) is None:
            _fail(f"no feed {feed_id}; `syndic feeds` lists them")
        rows = syndic.entries.list(feed_id=feed_id, unread=unread, starred=starred, limit=limit,
                                   states=wanted or None, user_id=user_id)
        if not rows and not as_json:
            # Silence reads as "broken" (or as the wrong store): say what is empty and why.
            click.echo(_empty_list_message(syndic, feed_id, unread=unread, starred=starred, filtered=bool(wanted)),
                       err=True)
    for r in rows:
        date = (r.published or r.first_seen_at).strftime("%Y-%m-%d %H:%M")
        next_try = r.extract_next_at.isoformat(timespec="seconds") if r.extract_next_at else None
        if as_json:
            click.echo(json.dumps({
                "id": r.id, "feed": r.feed_title or r.feed_url, "title": r.title, "date": date,
                "state": r.extract_state, "error": r.extract_error, "attempts": r.extract_attempts,
                "next_try": next_try if r.extract_state == "failed" else None,
                "link": r.link, "story_id": r.story_id,
            }))
        else:
            state = r.extract_state
            if r.extract_state == "failed" and next_try:
                state += f" (attempt {r.extract_attempts}, next try {next_try})"
            if r.extract_error and r.extract_state != "done":
                state += f": {r.extract_error[:80]}"
            click.echo(f"{r.id:>6}  {date}  {(r.feed_title or r.feed_url)[:24]:<24}  {(r.title or '')[:60]:<60}  {state}")


def _empty_list_message(syndic: Syndic, feed_id: int | None, *, unread: bool, starred: bool,
                        filtered: bool) -> str:
    if not syndic.entries.has_feeds():
        return f"no entries; subscribe with `syndic add URL` (store: {syndic.store_url})"
    scope = f"in feed {feed_id}" if feed_id is not None else "yet"
    if unread or starred or filtered:
        return f"no entries {scope} match these filters"
    return f"no entries {scope}; `syndic poll` fetches new ones"


@main.command("retry")
@click.argument("entry_ids", nargs=-1, type=int)
@click.option("--feed", "feed_id", type=int, help="Only this feed's entries.")
@click.pass_context
def retry_(ctx: click.Context, entry_ids: tuple[int, ...], feed_id: int | None) -> None:
    """Put failed and given-up entries back in the queue (all, these ENTRY_IDS, or one feed's).

    Their attempts start again from zero; the next `syndic poll` (or the
    workers) tries them. Use it once the cause is fixed: a site back up, a
    site rule added.
    """
    with _open(ctx) as syndic:
        count = syndic.entries.retry(list(entry_ids) or None, feed_id=feed_id)
    click.echo(f"{count} entries queued again")


@main.command()
@click.option("--health", is_flag=True, help="Show polling state, last error, error count and next check.")
@click.pass_context
def feeds(ctx: click.Context, health: bool) -> None:
    """List subscriptions; with --health, why each one is or is not updating."""
    push_enabled = _settings(ctx).websub_enabled()
    with _open(ctx) as syndic:
        if not health:
            for f in syndic.feeds.list():
                click.echo(f"{f.id:>5}  {(f.title or '')[:40]:<40}  {f.url}")
            return
        for row in syndic.feeds.health():
            f = row.feed
            next_check = f.next_check_at.strftime("%Y-%m-%d %H:%M") if f.next_check_at else "-"
            click.echo(f"{f.id:>5}  {f.state:<6} errors={f.error_count:<3} next={next_check}  {f.url}")
            if f.last_error:
                click.echo(f"       last error: {f.last_error}")
            if row.failed_entries or row.given_up_entries:
                click.echo(f"       entries: {row.failed_entries} failed (will retry), "
                           f"{row.given_up_entries} given up (syndic list --failed --feed {f.id})")
            if f.hub_url:
                click.echo(f"       push: {_push_state(f, push_enabled)}")


def _push_state(feed: Feed, enabled: bool) -> str:
    """One line on a feed's WebSub subscription, for `feeds --health`."""
    if feed.websub_state == "subscribed" and feed.websub_lease_until is not None:
        state = f"subscribed via {feed.hub_url}, lease until {feed.websub_lease_until:%Y-%m-%d %H:%M}"
    elif feed.websub_pending:
        state = f"{feed.websub_pending} requested from {feed.hub_url}, waiting for the hub to verify"
    elif not enabled:
        state = f"hub {feed.hub_url} named; push is off (set public_url so the hub can reach syndic)"
    else:
        state = f"not subscribed yet ({feed.hub_url})"
    if feed.websub_error:
        state += f"; {feed.websub_error}"
    if feed.last_push_at is not None:
        state += f"; last push {feed.last_push_at:%Y-%m-%d %H:%M}"
    return state


def _read_input(source: str) -> bytes:
    """The bytes of a file, or of stdin for "-", gunzipped; refused when there are none."""
    name = "standard input" if source == "-" else source
    if source != "-" and Path(source).is_dir():
        raise click.UsageError(f"{source} is a folder, not a file")
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise click.UsageError(f"{name}: not a readable gzip file ({exc})") from None
    if not data.strip():
        raise click.UsageError(f"{name} is empty")
    return data


def _read_text(source: str) -> str:
    """A text or HTML input as str; binary data (a picture, an archive) is refused, not echoed."""
    data = _read_input(source)
    name = "standard input" if source == "-" else source
    if b"\x00" in data[:8192]:
        raise click.UsageError(f"{name}: binary data, not text or HTML")
    text = data.decode("utf-8", errors="replace")
    sample = text[:8192]
    if sample.count("\ufffd") > len(sample) // 10:
        raise click.UsageError(f"{name}: not UTF-8 text or HTML (binary data?)")
    return text


@main.command()
@click.argument("source")
@click.option("--url", help="The page's address, when SOURCE is a file (for links, site rules, metadata).")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "markdown", "json"]), default="text",
              show_default=True, help="What to print.")
@click.option("--no-clean", is_flag=True, help="Print the extractor's output without residue removal.")
@click.pass_context
def extract(ctx: click.Context, source: str, url: str | None, fmt: str, no_clean: bool) -> None:
    """Extract the article from SOURCE: a URL, a file (HTML, or .gz), a WARC archive, or - for stdin.

    For a URL the page is fetched through syndic's guarded client (private
    addresses refused unless SYNDIC_ALLOW_NETWORKS allows them). A WARC
    archive (.warc or .warc.gz) gives one article per HTML page captured with
    HTTP 200, extracted on every core: JSON Lines with --format json, else
    each article after a "==> URL <==" line; a summary goes to stderr.

    Every caller of syndic extracts through one function, so this prints what
    the pipeline stores and the Full-Text-RSS endpoint serves: site rules, the
    later pages of a multi-page article fetched and joined (for a URL; a file
    is one page), then cleaning.
    """
    from syndic.library import extraction

    settings = _settings(ctx)
    if source != "-" and Path(source).is_file() and extraction.is_warc(Path(source)):
        _extract_warc(settings, Path(source), fmt, not no_clean)
        return
    if source.startswith(("http://", "https://")):
        try:
            article = asyncio.run(extraction.article_from_url(settings, source, clean=not no_clean))
        except SyndicError as exc:
            _fail(str(exc))
            return
    else:
        try:
            data = _read_input(source)
        except OSError as exc:
            _fail(f"{source}: {exc.strerror or exc}")
            return
        # A file holds one page: its later pages (if any) are not fetched.
        page_url = url or ("file:///dev/stdin" if source == "-" else Path(source).resolve().as_uri())
        article = asyncio.run(extraction.article_from_html(settings, data, page_url, clean=not no_clean))
    if article.error:
        _fail(f"{article.url}: {article.error}")
    click.echo(_render(article, fmt, indent=2))


def _render(article: Article, fmt: str, *, indent: int | None = None) -> str:
    """An extracted article as `syndic extract --format` asks: text, html, markdown or json."""
    if fmt == "json":
        return json.dumps(_article_json(article), ensure_ascii=False, indent=indent)
    if fmt == "markdown":
        from syndic.library.extraction import to_markdown

        return to_markdown(article.html)
    return str(article.html if fmt == "html" else article.text)


def _extract_warc(settings: Settings, path: Path, fmt: str, clean_pages: bool) -> None:
    """Every HTML page of a WARC archive through extraction (and cleaning), in archive order."""
    from syndic.library.extraction import WarcArticles

    archive = WarcArticles(settings, path, clean=clean_pages)
    done = failed = 0
    try:
        for article in archive:
            if article.error:
                failed += 1
                click.echo(f"{article.url}: {article.error}", err=True)
                continue
            done += 1
            if fmt == "json":
                click.echo(_render(article, fmt))  # JSON Lines: one object per line
            else:
                click.echo(f"==> {article.url} <==\n{_render(article, fmt)}\n")
    except SyndicError as exc:
        _fail(f"{path}: {exc}")
    click.echo(f"{path}: {done} articles extracted, {failed} pages failed; records skipped: {archive.skips}",
               err=True)


def _article_json(article: Article) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "url": article.url, "canonical_url": article.canonical_url, "title": article.title,
        "authors": list(article.authors), "published": iso(article.published), "modified": iso(article.modified),
        "image": article.image, "language": article.language, "site_name": article.site_name,
        "description": article.description, "byline_problem": article.byline_problem,
        "word_count": article.word_count, "text": article.text, "html": article.html,
    }


@main.command("clean")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"text", "authors", "byline_problem", "removed"} instead of the text.')
def clean_(source: str, as_json: bool) -> None:
    """Remove residue (teasers, promo stamps, feed footers) from a text or HTML file.

    SOURCE is a file or - for stdin. Prints the cleaned text; a byline that
    lost a name is reported, never passed on as an author.
    """
    from syndic.library import extraction

    try:
        raw = _read_text(source)
    except OSError as exc:
        _fail(f"{source}: {exc.strerror or exc}")
        return
    result = extraction.clean(raw)
    if as_json:
        click.echo(json.dumps(extraction.clean_report(result), ensure_ascii=False, indent=2))
    else:
        click.echo(result.text)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=PORT, help="Port to listen on.")
@click.option("--secure-cookies/--no-secure-cookies", default=False,
              help="Mark session cookies Secure (on when served behind TLS).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, secure_cookies: bool) -> None:
    """Serve the web reader, the JSON API and the full-text feeds.

    Create the first account with `syndic user add` before logging in.
    """
    from syndic.services.serve import serve_forever

    settings = _settings(ctx)
    serve_forever(settings, host=host, port=port, secure_cookies=secure_cookies)


@main.command()
@click.option("--name", "--hostname", "name", default=None,
              help="Node name, e.g. poll1@%h (default: syndic-PID@HOST, unique per process).")
@click.option("--concurrency", type=int, default=None, help="Task processes (default: one per core).")
@click.option("--pool", type=click.Choice(["prefork", "solo", "threads"]), default=None,
              help="Celery execution pool (default prefork: time limits need it).")
@click.option("--loglevel", default="INFO", show_default=True, help="Celery log level.")
@click.pass_context
def worker(ctx: click.Context, name: str | None, concurrency: int | None, pool: str | None, loglevel: str) -> None:
    """Run a Celery worker: polls feeds, extracts pages and runs campaigns from the queue.

    Needs SYNDIC_DATABASE_URL (the PostgreSQL store every worker shares; a
    worker never falls back to a local SQLite file) and SYNDIC_BROKER_URL
    (amqp://… for RabbitMQ, redis://… for Redis). Both are checked before
    the worker starts; it exits saying which one failed. Work reaches the
    queue from `syndic beat` (or `syndic poll --distributed`).

    Delivery is at-least-once and every write idempotent. A task that raises
    is retried with backoff (SYNDIC_TASK_MAX_RETRIES), then recorded as failed
    on its feed or entry. SIGTERM finishes the running tasks and exits;
    SIGQUIT gives them SYNDIC_WORKER_SHUTDOWN_TIMEOUT_S, then hands them back
    to the broker.
    """
    from syndic.services.workers import start_worker

    try:
        start_worker(_settings(ctx), name=name, concurrency=concurrency, loglevel=loglevel, pool=pool)
    except SyndicError as exc:
        _fail(str(exc))


@main.command()
@click.pass_context
def beat(ctx: click.Context) -> None:
    """Enqueue due feeds, due campaigns and owed extractions for the workers, every few seconds.

    Every SYNDIC_SCHEDULE_INTERVAL_S seconds (default 30). Each piece of work
    is claimed in the store before it is enqueued, keyed by its due time, so
    running two beats (say one per machine), or a beat and a cron running
    `syndic poll --distributed --due`, never queues anything twice. Needs
    SYNDIC_DATABASE_URL and SYNDIC_BROKER_URL like `syndic worker`. Stops on
    SIGTERM or Ctrl-C.
    """
    import signal

    from syndic.services.workers import run_beat

    stopping: list[int] = []

    def stop(signum: int, _frame: Any) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        run_beat(_settings(ctx), stop=lambda: bool(stopping), echo=lambda line: click.echo(line, err=True))
    except SyndicError as exc:
        _fail(str(exc))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve the metrics on.")
@click.option("--port", default=9808, show_default=True, type=PORT, help="Port to serve the metrics on.")
@click.pass_context
def monitor(ctx: click.Context, host: str, port: int) -> None:
    """Serve the cluster's task events as Prometheus metrics at /metrics.

    Per stage (poll, extract, campaign): tasks queued, started, succeeded,
    retried and failed, tasks running now, and the messages waiting in the
    queue. Needs SYNDIC_BROKER_URL; run one per cluster, next to `syndic beat`.
    """
    import signal

    from syndic.services.workers import run_monitor

    def stop(_signum: int, _frame: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        run_monitor(_settings(ctx), host=host, port=port)
    except SyndicError as exc:
        _fail(str(exc))


@main.group()
def user() -> None:
    """Manage the accounts that may log in to the web reader."""


def _new_password(accounts: Accounts, password: str) -> str:
    accounts.check_new_password(password)
    return password


@user.command("add")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="The password, at least 12 characters (asked for when not given).")
@click.option("--admin/--no-admin", default=True, show_default=True, help="Give the account admin rights.")
@click.pass_context
def user_add(ctx: click.Context, username: str, password: str, admin: bool) -> None:
    """Create an account (the first run creates the admin this way).

    A name already taken is refused; change that account's password with
    `syndic user passwd` instead.
    """
    with _open(ctx) as syndic:
        syndic.accounts.add_user(username, _new_password(syndic.accounts, password), admin=admin)
    click.echo(f"created user {username}")


@user.command("passwd")
@click.argument("username")
@click.option("--password", prompt="New password", hide_input=True, confirmation_prompt=True,
              help="The new password, at least 12 characters (asked for when not given).")
@click.pass_context
def user_passwd(ctx: click.Context, username: str, password: str) -> None:
    """Set a new login password for USERNAME (the reading apps' API password is apart)."""
    with _open(ctx) as syndic:
        if not syndic.accounts.set_password(username, _new_password(syndic.accounts, password)):
            _fail(f"there is no user {username} (see: syndic user list)")
    click.echo(f"password of {username} changed")


@user.command("list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """List the accounts: name, role and when each was created (never a password)."""
    with _open(ctx) as syndic:
        users = syndic.accounts.list_users()
    if not users:
        click.echo("no users (create the first with: syndic user add NAME)")
    for u in users:
        click.echo(f"{u.username}\t{'admin' if u.is_admin else 'reader'}\tcreated {u.created_at:%Y-%m-%d %H:%M}")


@user.command("delete")
@click.argument("username")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def user_delete(ctx: click.Context, username: str, yes: bool) -> None:
    """Delete the account USERNAME; its sessions and tokens stop working at once."""
    with _open(ctx) as syndic:
        if not yes:
            click.confirm(f"delete user {username}?", abort=True, err=True)
        if not syndic.accounts.delete_user(username):
            _fail(f"there is no user {username} (see: syndic user list)")
    click.echo(f"deleted user {username}")


@user.command("api-password")
@click.argument("username")
@click.option("--password", default=None, help="The API password (at least 12 characters); "
              "without it one is generated and printed.")
@click.option("--remove", is_flag=True, help="Remove the API password: the user's apps are refused from then on.")
@click.pass_context
def user_api_password(ctx: click.Context, username: str, password: str | None, remove: bool) -> None:
    """Set the password USERNAME's reading apps use (Google Reader and Fever APIs).

    It is separate from the login password: an app never holds the login, and
    setting a new one signs every app out. Fever apps log in with the same
    user name and this password. The APIs themselves are turned on with the
    settings greader_api and fever_api.
    """
    with _open(ctx) as syndic:
        if remove:
            if not syndic.accounts.clear_reader_password(username):
                _fail(f"{username} has no API password")
            click.echo(f"removed the API password of {username}")
            return
        chosen = password if password is not None else syndic.accounts.generate_reader_password()
        try:
            syndic.accounts.set_reader_password(username, chosen)
        except (LookupError, ValueError) as exc:
            _fail(str(exc.args[0]))
    click.echo(f"API password of {username} set" + ("" if password is not None else f": {chosen}"))


@main.group()
def token() -> None:
    """Manage API tokens for the JSON API."""


@token.command("create")
@click.argument("name")
@click.option("--user", "username", default=None, help="The owner (default: the first admin).")
@click.option("--scope", "scopes", multiple=True, default=("read", "write"), show_default=True,
              help="read, write (the owner's read/star state) or admin (campaigns, feeds, users); repeat "
                   "for several. A scope beyond the owner's role is never honoured.")
@click.pass_context
def token_create(ctx: click.Context, name: str, username: str | None, scopes: tuple[str, ...]) -> None:
    """Create an API token called NAME and print it (it is shown only once)."""
    with _open(ctx) as syndic:
        try:
            click.echo(syndic.accounts.create_token(name, username, scopes))
        except ValueError as exc:
            _fail(str(exc))


@token.command("list")
@click.pass_context
def token_list(ctx: click.Context) -> None:
    """Every token: id, name, owner, scopes, created, last used (never the secret)."""
    with _open(ctx) as syndic:
        tokens = syndic.accounts.list_tokens()
    for t in tokens:
        used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never"
        click.echo(f"{t.id:>4}  {t.name[:24]:<24}  {(t.username or '-')[:16]:<16}  "
                   f"{' '.join(t.scopes):<16}  {t.created_at:%Y-%m-%d %H:%M}  {used}")


@token.command("revoke")
@click.argument("token_id_or_name")
@click.pass_context
def token_revoke(ctx: click.Context, token_id_or_name: str) -> None:
    """Delete a token by its id (from `syndic token list`) or every token with this name."""
    with _open(ctx) as syndic:
        count = syndic.accounts.revoke_token(token_id_or_name)
    if not count:
        _fail(f"no token {token_id_or_name!r}")
    click.echo(f"revoked {count} token(s)")


@main.command()
@click.option("--port", default=8080, show_default=True, type=PORT, help="Port of the web reader.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the demo keeps its database (default: a 'demo' folder in the data directory).")
@click.option("--no-serve", is_flag=True, help="Poll and extract, print the summary, and exit.")
@click.pass_context
def demo(ctx: click.Context, port: int, data_dir: Path | None, no_serve: bool) -> None:
    """Run the whole pipeline on the bundled news site and serve the reader.

    Starts the bundled local news site on loopback, subscribes to its feeds,
    polls, extracts, groups copies into stories and serves the web reader on
    http://127.0.0.1:PORT, printing the URLs to open and a login to use.
    """
    from syndic.services.demo import run_demo

    run_demo(_settings(ctx), port=port, data_dir=data_dir, serve=not no_serve)


@main.group()
def campaign() -> None:
    """Campaigns: feeds, filters and a template, posted to WordPress or a webhook."""


@campaign.command("save")
@click.argument("name")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="JSON file with the campaign's options (see syndic.publish.campaigns).")
@click.option("--feed", "feed_ids", type=int, multiple=True, required=True,
              help="A feed id the campaign takes stories from (repeat for several).")
@click.pass_context
def campaign_save(ctx: click.Context, name: str, config_file: Path, feed_ids: tuple[int, ...]) -> None:
    """Create or replace the campaign NAME; its config is checked before it is saved."""
    with _open(ctx) as syndic:
        try:
            config = json.loads(config_file.read_text(encoding="utf-8"))
            campaign_id = syndic.campaigns.save(name, config, list(feed_ids))
        except (SyndicError, ValueError) as exc:
            _fail(f"{config_file}: {exc}")
            return
    click.echo(f"saved campaign [{campaign_id}] {name}")


@campaign.command("run")
@click.argument("campaign_id", type=int)
@click.pass_context
def campaign_run(ctx: click.Context, campaign_id: int) -> None:
    """Run a campaign now: select new stories, render, post, and print the delivery log."""
    with _open(ctx) as syndic:
        report = _run(lambda: syndic.campaigns.run(campaign_id))
    for event in report.deliveries:
        click.echo(f"  post {event.post_id} story {event.story_id}: {event.event} {event.detail}".rstrip())
    click.echo(report.summary)


@campaign.command("due")
@click.pass_context
def campaign_due(ctx: click.Context) -> None:
    """Run every campaign whose schedule says so, once, and deliver retries that are due.

    What `syndic serve` does every 30 seconds, for a cron job instead: a slot
    already run (by a server, a beat or another cron) is not run again.
    """
    with _open(ctx) as syndic:
        reports = _run(syndic.campaigns.run_due)
    for report in reports:
        click.echo(report.summary)
    if not reports:
        click.echo("no campaign was due")


@main.group("site-config")
def site_config() -> None:
    """The FiveFilters site rules (one file per host) used by extraction."""


@site_config.command("update")
@click.option("--source", default="https://github.com/fivefilters/ftr-site-config/archive/refs/heads/master.tar.gz",
              show_default=True, help="Tarball of the rule repository.")
@click.pass_context
def site_config_update(ctx: click.Context, source: str) -> None:
    """Download or update the community site rules into the data directory."""
    from syndic.library.extraction import update_site_config

    try:
        count, target = update_site_config(_settings(ctx), source)
    except SyndicError as exc:
        _fail(str(exc))
        return
    click.echo(f"{count} rule files in {target}")


@main.group()
def ftr() -> None:
    """The Full-Text RSS endpoints (makefulltextfeed.php, extract.php): their access keys."""


@ftr.group("key")
def ftr_key() -> None:
    """Access keys for the Full-Text RSS endpoints (FTR's api_keys, with their indexes)."""


@ftr_key.command("add")
@click.argument("name")
@click.option("--index", type=int, default=None,
              help="The key's index, to keep a Full-Text RSS key's own (its key=N&hash= URLs keep working).")
@click.option("--key", "secret", default=None,
              help="The key itself, to keep a Full-Text RSS key's own (default: a new random key).")
@click.pass_context
def ftr_key_add(ctx: click.Context, name: str, index: int | None, secret: str | None) -> None:
    """Create a key called NAME and print its index and the key (the key is shown only once)."""
    with _open(ctx) as syndic:
        try:
            index, secret = syndic.accounts.add_ftr_key(name, index=index, secret=secret)
        except SyndicError as exc:
            _fail(str(exc))
            return
    click.echo(f"key {index} ({name}): {secret}")
    click.echo(f"use it as makefulltextfeed.php?url=FEED&key={secret}")


@ftr_key.command("list")
@click.pass_context
def ftr_key_list(ctx: click.Context) -> None:
    """List the keys: index, name, created and last used (never the keys themselves)."""
    with _open(ctx) as syndic:
        keys = syndic.accounts.list_ftr_keys()
    if not keys:
        click.echo("no Full-Text RSS keys (add one with: syndic ftr key add NAME)")
    for key in keys:
        used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
        click.echo(f"{key.index}\t{key.name}\tcreated {key.created_at.isoformat(timespec='seconds')}\tlast used {used}")


@ftr_key.command("revoke")
@click.argument("index", type=int)
@click.pass_context
def ftr_key_revoke(ctx: click.Context, index: int) -> None:
    """Delete the key with this INDEX; URLs carrying it stop working at once."""
    with _open(ctx) as syndic:
        if not syndic.accounts.revoke_ftr_key(index):
            _fail(f"there is no key {index}")
    click.echo(f"revoked key {index}")


if __name__ == "__main__":  # pragma: no cover
    main()
