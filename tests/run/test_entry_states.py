"""Entry states from issue 11: one entry's failure, of any kind, is that entry's business only.

A stage that raises, a poison page, a store that refuses to record: the
entry becomes failed (with its reason and next try), is tried again once its
backoff runs out, is given up after the last attempt, and `syndic retry`
queues it again. Every other entry of the batch is extracted meanwhile.
Real feeds and pages on a loopback server, the real pipeline, both engines.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from syndic import feeds as syndic_feeds
from syndic.cli import main
from syndic.config import Settings
from syndic.run import pipeline
from syndic.run.local import open_runtime
from syndic.run.pipeline import PollReport, poll
from syndic.store import Store, open_store
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store.schema import entries

from .test_pipeline import PARAGRAPHS, page, rss

REPEATED = "The council met on Tuesday and agreed nothing at all. " * 20


@pytest.fixture
def settings(make_settings: Any) -> Settings:
    return make_settings(max_extract_attempts=3)  # type: ignore[no-any-return]


def _poll(settings: Settings, store: Store) -> PollReport:
    async def go() -> PollReport:
        async with open_runtime(settings, store=store, inline=True) as rt:
            return await poll(rt)

    return asyncio.run(go())


def _states(store: Store) -> dict[str, Any]:
    return {r.link.rsplit("/", 1)[-1]: r for r in store_entries.list_entries(store, limit=1000)}


def _make_due(store: Store) -> None:
    """The backoff ran out (as if time passed)."""
    with store.engine.begin() as connection:
        connection.execute(update(entries).values(extract_next_at=datetime.now(UTC) - timedelta(seconds=1)))


def _serve(site: Any) -> None:
    base = site.base_url
    site.serve("/feed.xml", rss(base, [("Breakwater", "/breakwater"), ("Bug", "/bug"), ("Council", "/council"),
                                       ("Harbour", "/harbour")]), content_type="application/rss+xml")
    site.serve("/breakwater", page("Breakwater to be rebuilt", PARAGRAPHS))
    site.serve("/bug", page("A page that trips a bug", PARAGRAPHS[1:]))
    site.serve("/council", page("Council meets", [REPEATED]))  # the poison short/repetitive article
    site.serve("/harbour", page("Harbour dues rise", PARAGRAPHS[::-1]))


@pytest.fixture
def raising_stage(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Extraction raises a non-syndic exception (a bug) for /bug while `broken` is non-empty."""
    broken = ["yes"]
    real = pipeline._fetch_article

    async def fetch_article(rt: Any, url: str, authors: tuple[str, ...]) -> Any:
        if url.endswith("/bug") and broken:
            raise KeyError("a bug in a stage")
        return await real(rt, url, authors)

    monkeypatch.setattr(pipeline, "_fetch_article", fetch_article)
    return broken


def test_a_raising_stage_fails_only_its_entry_then_retries_then_gives_up(
    any_store: Store, local_site: Any, settings: Settings, raising_stage: list[str]
) -> None:
    _serve(local_site)
    store_feeds.add_feed(any_store, local_site.url("/feed.xml"))

    report = _poll(settings, any_store)

    assert report.extracted == 3 and report.extract_errors == 1
    rows = _states(any_store)
    assert {k: r.extract_state for k, r in rows.items()} == {
        "breakwater": "done", "council": "done", "harbour": "done", "bug": "failed"}
    assert not next(a for a in report.articles if a.error).given_up
    bug = rows["bug"]
    assert bug.extract_attempts == 1 and bug.extract_error == "KeyError: 'a bug in a stage'"
    assert bug.extract_next_at > datetime.now(UTC) + timedelta(seconds=60)  # backed off

    # not due yet: the next poll does not touch it
    assert _poll(settings, any_store).articles == []
    assert _states(any_store)["bug"].extract_attempts == 1

    _make_due(any_store)
    assert _poll(settings, any_store).extract_errors == 1
    assert (_states(any_store)["bug"].extract_state, _states(any_store)["bug"].extract_attempts) == ("failed", 2)

    _make_due(any_store)
    _poll(settings, any_store)
    bug = _states(any_store)["bug"]
    assert (bug.extract_state, bug.extract_attempts, bug.extract_next_at) == ("given_up", 3, None)
    _make_due(any_store)
    assert _poll(settings, any_store).articles == []  # given up: never tried again by itself

    # the cause fixed, `syndic retry` queues it again and the next poll extracts it
    raising_stage.clear()
    assert store_entries.requeue(any_store) == 1
    assert _states(any_store)["bug"].extract_state == "pending"
    assert _poll(settings, any_store).extracted == 1
    assert {r.extract_state for r in _states(any_store).values()} == {"done"}


def test_a_permanent_failure_is_given_up_at_once(any_store: Store, local_site: Any, settings: Settings) -> None:
    base = local_site.base_url
    local_site.serve("/feed.xml", rss(base, [("Binary", "/binary"), ("Breakwater", "/breakwater")]),
                     content_type="application/rss+xml")
    local_site.serve("/binary", bytes(range(256)) * 50, content_type="application/octet-stream")
    local_site.serve("/breakwater", page("Breakwater to be rebuilt", PARAGRAPHS))
    store_feeds.add_feed(any_store, local_site.url("/feed.xml"))

    report = _poll(settings, any_store)

    rows = _states(any_store)
    assert rows["breakwater"].extract_state == "done"
    assert rows["binary"].extract_state == "given_up" and rows["binary"].extract_error
    [given_up] = [a for a in report.articles if a.error]
    assert given_up.given_up


def test_a_store_failing_while_recording_a_failure_does_not_stop_the_batch(
    any_store: Store, local_site: Any, settings: Settings, raising_stage: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the entry's own boundary (even the failure cannot be written), `_bounded` still isolates."""
    _serve(local_site)
    store_feeds.add_feed(any_store, local_site.url("/feed.xml"))

    def refuse(*_: Any, **__: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store_entries, "record_extract_failure", refuse)

    report = _poll(settings, any_store)

    assert report.extracted == 3
    [failed] = [a for a in report.articles if a.error]
    assert failed.error == "OSError: disk full"
    assert _states(any_store)["bug"].extract_state == "pending"  # nothing written: tried again next poll


def test_a_feed_whose_parser_raises_is_that_feeds_error(
    any_store: Store, local_site: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = local_site.base_url
    local_site.serve("/feed.xml", rss(base, [("Breakwater", "/breakwater")]), content_type="application/rss+xml")
    local_site.serve("/other.xml", rss(base, [("Harbour", "/harbour")]), content_type="application/rss+xml")
    local_site.serve("/breakwater", page("Breakwater to be rebuilt", PARAGRAPHS))
    local_site.serve("/harbour", page("Harbour dues rise", PARAGRAPHS[::-1]))
    bad = store_feeds.add_feed(any_store, local_site.url("/other.xml"))
    good = store_feeds.add_feed(any_store, local_site.url("/feed.xml"))
    real = syndic_feeds.parse_feed

    def parse_feed(body: bytes, **kwargs: Any) -> Any:
        if kwargs.get("url", "").endswith("/other.xml"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(body, **kwargs)

    monkeypatch.setattr(syndic_feeds, "parse_feed", parse_feed)

    report = _poll(settings, any_store)

    assert report.feed_errors == 1 and report.extracted == 1
    bad_row, good_row = store_feeds.get_feed(any_store, bad), store_feeds.get_feed(any_store, good)
    assert bad_row is not None and good_row is not None
    assert bad_row.state == "error" and bad_row.last_error == "RecursionError: maximum recursion depth exceeded"
    assert good_row.state == "ok"


def test_the_cli_shows_failed_entries_feed_health_and_retries(
    tmp_path: Path, local_site: Any, make_settings: Any, raising_stage: list[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(url)
    _serve(local_site)
    feed_id = store_feeds.add_feed(store, local_site.url("/feed.xml"))
    _poll(make_settings(database_url=url), store)
    _make_due(store)
    _poll(make_settings(database_url=url), store)
    _make_due(store)
    _poll(make_settings(database_url=url), store)
    runner = CliRunner()
    env = {"SYNDIC_DATABASE_URL": url}

    listed = runner.invoke(main, ["list", "--failed"], env=env)
    assert listed.exit_code == 0, listed.output
    [line] = listed.output.splitlines()
    assert "given_up" in line and "KeyError" in line

    health = runner.invoke(main, ["feeds", "--health"], env=env)
    assert f"0 failed (will retry), 1 given up (syndic list --failed --feed {feed_id})" in health.output

    retried = runner.invoke(main, ["retry", "--feed", str(feed_id)], env=env)
    assert retried.exit_code == 0 and "1 entries queued again" in retried.output
    assert "given_up" not in runner.invoke(main, ["list", "--failed"], env=env).output
    store.close()


def test_in_a_celery_task_a_database_error_is_raised_for_the_tasks_retries(
    sqlite_store: Store, local_site: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deadlock is not the entry's fault: the task retries it quickly; one process counts it as an attempt."""
    from sqlalchemy.exc import OperationalError

    from syndic.types import ParsedEntry

    feed_id = store_feeds.add_feed(sqlite_store, local_site.url("/feed.xml"))
    store_entries.upsert_entries(sqlite_store, feed_id, [ParsedEntry(guid="a", link=local_site.url("/a"))])

    async def deadlock(*_: Any) -> Any:
        raise OperationalError("INSERT INTO host_leases", {}, Exception("deadlock detected"))

    monkeypatch.setattr(pipeline, "_fetch_article", deadlock)

    async def go(in_task: bool) -> Any:
        async with open_runtime(settings, store=sqlite_store, inline=True) as rt:
            rt.database_errors_raise = in_task
            [entry] = store_entries.pending_entries(sqlite_store, limit=1)
            return await pipeline.extract_entry(rt, entry)

    with pytest.raises(OperationalError):
        asyncio.run(go(True))
    assert set(r.extract_state for r in _states(sqlite_store).values()) == {"pending"}
    outcome = asyncio.run(go(False))
    assert outcome.error and outcome.error.startswith("OperationalError")
    assert "failed" in {r.extract_state for r in _states(sqlite_store).values()}
