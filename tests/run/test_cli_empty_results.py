"""An empty result says so: silence after `syndic list` reads as broken, or as the wrong store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from syndic.cli import main


def test_empty_list_says_how_to_subscribe_and_which_store(tmp_path: Path) -> None:
    env = {"SYNDIC_DATABASE_URL": f"sqlite:///{tmp_path / 'syndic.db'}", "SYNDIC_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    result = runner.invoke(main, ["list"], env=env)
    assert result.exit_code == 0, result.output
    assert "no entries; subscribe with `syndic add URL`" in result.output
    assert "syndic.db" in result.output  # where it looked


def test_list_of_an_unknown_feed_is_an_error_and_an_empty_feed_says_so(tmp_path: Path) -> None:
    env = {"SYNDIC_DATABASE_URL": f"sqlite:///{tmp_path / 'syndic.db'}", "SYNDIC_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    result = runner.invoke(main, ["list", "--feed", "999"], env=env)
    assert result.exit_code == 1 and "no feed 999" in result.output
    from syndic.store import feeds as store_feeds
    from syndic.store import open_store

    store = open_store(env["SYNDIC_DATABASE_URL"])
    feed_id = store_feeds.add_feed(store, "https://example.com/feed.xml")
    store.close()
    result = runner.invoke(main, ["list", "--feed", str(feed_id)], env=env)
    assert result.exit_code == 0 and f"no entries in feed {feed_id}" in result.output
