"""Operating the cluster: misconfiguration refused loudly, limits and names set, failures recorded on items."""

from __future__ import annotations

import os
import re
import socket
from importlib.metadata import distribution
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sqlalchemy.exc import OperationalError

from syndic.cli import main
from syndic.config import Settings
from syndic.run import distributed
from syndic.services import tasks
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store import open_store
from syndic.store.schema import metadata
from syndic.types import ParsedEntry


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_cli(args: list[str], **env: str) -> Any:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SYNDIC_")}
    clean.update({"SYNDIC_CONFIG": os.devnull, **env})
    return CliRunner().invoke(main, args, env=clean)


@pytest.mark.parametrize("command", [["worker"], ["beat"], ["poll", "--distributed"]])
def test_no_explicit_database_is_refused_not_replaced_by_a_local_sqlite_file(command: list[str]) -> None:
    result = _run_cli(command, SYNDIC_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//")
    assert result.exit_code == 1
    assert "no database: set SYNDIC_DATABASE_URL" in result.output


def test_a_sqlite_database_or_a_missing_broker_is_refused(tmp_path: Path) -> None:
    sqlite = _run_cli(["worker"], SYNDIC_DATABASE_URL=f"sqlite:///{tmp_path}/s.db",
                      SYNDIC_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//")
    assert sqlite.exit_code == 1 and "workers need a store they can share" in sqlite.output
    assert not (tmp_path / "s.db").exists()
    no_broker = _run_cli(["worker"], SYNDIC_DATABASE_URL="postgresql://postgres@127.0.0.1/x")
    assert no_broker.exit_code == 1 and "no broker: set SYNDIC_BROKER_URL" in no_broker.output


def test_the_worker_says_which_of_database_and_broker_it_cannot_reach(postgres_url: str) -> None:
    port = _closed_port()
    no_db = _run_cli(["worker"], SYNDIC_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{port}/x",
                     SYNDIC_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//")
    assert no_db.exit_code == 1
    assert f"error: database postgresql://postgres@127.0.0.1:{port}/x unreachable" in no_db.output
    no_broker = _run_cli(["worker"], SYNDIC_DATABASE_URL=postgres_url,
                         SYNDIC_BROKER_URL=f"amqp://guest:secret@127.0.0.1:{port}//")
    assert no_broker.exit_code == 1
    assert f"error: broker amqp://guest:***@127.0.0.1:{port}// unreachable" in no_broker.output
    assert "secret" not in no_broker.output


def test_celery_gets_time_limits_a_visibility_timeout_and_late_acks() -> None:
    settings = Settings(task_soft_time_limit_s=50, task_time_limit_s=60, broker_visibility_timeout_s=120)
    config = distributed.celery_config(settings)
    assert (config["task_soft_time_limit"], config["task_time_limit"]) == (50, 60)
    assert config["broker_transport_options"]["visibility_timeout"] == 120
    assert config["task_acks_late"] and config["task_reject_on_worker_lost"]
    assert config["worker_prefetch_multiplier"] == 1


def test_default_worker_names_are_unique_per_process() -> None:
    argv = distributed.worker_argv(Settings(task_queue="q1"))
    assert f"--hostname=syndic-{os.getpid()}@%h" in argv and "--queues=q1" in argv
    assert "--hostname=poll1@%h" in distributed.worker_argv(Settings(), name="poll1@%h")


def _closure(name: str, extras: tuple[str, ...] = ()) -> set[str]:
    """Every distribution a `pip install name[extras]` brings in (by the installed metadata)."""
    seen: set[str] = set()
    todo = [(name, extras)]
    while todo:
        current, wanted = todo.pop()
        key = canonicalize_name(current)
        if key in seen and not wanted:
            continue
        seen.add(key)
        for line in distribution(current).requires or []:
            requirement = Requirement(line)
            environments = [{"extra": e} for e in wanted] or [{"extra": ""}]
            if requirement.marker is None or any(requirement.marker.evaluate(env) for env in environments):
                todo.append((requirement.name, tuple(requirement.extras)))
    return seen


def test_the_distributed_extra_brings_everything_the_redis_transport_imports() -> None:
    brought = _closure("syndic", ("distributed",))
    assert {"celery", "redis", "kombu"} <= brought
    assert "packaging" in brought  # kombu.transport.redis imports it; kombu does not declare it
    import kombu.transport.redis  # noqa: F401


def test_retries_back_off_exponentially_with_jitter_up_to_the_cap() -> None:
    settings = Settings(task_retry_backoff_s=2, task_retry_backoff_max_s=60)
    for retries, ceiling in [(0, 2), (1, 4), (3, 16), (10, 60)]:
        waits = [distributed.retry_countdown(settings, retries) for _ in range(50)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 1


class FakeTask:
    """What `_run` uses of a bound Celery task: the retry count and `retry`."""

    def __init__(self, retries: int) -> None:
        self.request = SimpleNamespace(retries=retries)
        self.retried: list[dict[str, Any]] = []

    def retry(self, exc: BaseException, countdown: float, max_retries: int) -> Exception:
        self.retried.append({"exc": exc, "countdown": countdown, "max_retries": max_retries})
        return RuntimeError("Retry")


@pytest.fixture
def pg_worker_settings(postgres_url: str, tmp_path: Path) -> Any:
    store = open_store(postgres_url, run_migrations=False)
    from sqlalchemy import text

    with store.engine.begin() as connection:
        names = ", ".join(f'"{t.name}"' for t in reversed(metadata.sorted_tables))
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, task_max_retries=4,
                        task_soft_time_limit_s=7, max_extract_attempts=3)
    distributed.configure(settings)
    yield store
    store.close()
    distributed.configure(Settings())


def _down(*_: Any) -> None:
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def test_a_raising_task_is_retried_until_its_budget_is_spent_then_recorded_on_its_feed(
    pg_worker_settings: Any,
) -> None:
    store = pg_worker_settings
    feed_id = store_feeds.add_feed(store, "http://f.example/feed.xml")
    task = FakeTask(retries=2)
    with pytest.raises(RuntimeError, match="Retry"):
        distributed.run_bounded(task, "poll", feed_id, _down)  # type: ignore[arg-type]
    assert task.retried[0]["max_retries"] == 4 and 0 < task.retried[0]["countdown"] <= 8
    with pytest.raises(OperationalError):  # the last retry: raised to Celery, which reports the failure …
        distributed.run_bounded(FakeTask(retries=4), "poll", feed_id, _down)  # type: ignore[arg-type]
    distributed._record_give_up(sender=tasks.poll_feed_task, exception=OperationalError(
        "SELECT 1", {}, ConnectionRefusedError("refused")), args=[feed_id])
    feed = store_feeds.get_feed(store, feed_id)  # … and the feed shows it, as a failed poll would
    assert feed is not None and feed.state == "error" and feed.error_count == 1
    assert re.match(r"given up after 4 retries: OperationalError", feed.last_error)


def test_a_task_stopped_by_its_time_limit_counts_as_an_attempt_of_its_entry(pg_worker_settings: Any) -> None:
    from celery.exceptions import SoftTimeLimitExceeded

    store = pg_worker_settings
    feed_id = store_feeds.add_feed(store, "http://f.example/feed.xml")
    (entry_id,) = store_entries.upsert_entries(store, feed_id, [ParsedEntry(guid="a", link="http://f.example/a")])

    def hang() -> None:
        raise SoftTimeLimitExceeded()

    for _ in range(3):
        assert distributed.run_bounded(FakeTask(retries=0), "extract", entry_id, hang) is None  # type: ignore[arg-type]
    (row,) = [r for r in store_entries.list_entries(store) if r.id == entry_id]
    assert row.extract_state == "given_up"  # the third attempt was the last
    assert row.extract_error == "stopped after 7 s (task time limit)"


def test_limits_that_would_deliver_a_running_task_twice_are_refused() -> None:
    from syndic.errors import ConfigError

    distributed.check_limits(Settings(broker_url="redis://r/0"))  # the defaults agree with each other
    with pytest.raises(ConfigError, match="must be longer than task_time_limit_s"):
        distributed.check_limits(Settings(broker_url="redis://r/0", broker_visibility_timeout_s=300))
    distributed.check_limits(Settings(broker_url="amqp://r//", broker_visibility_timeout_s=300))  # Redis only
    with pytest.raises(ConfigError, match="must be longer than task_soft_time_limit_s"):
        distributed.check_limits(Settings(task_soft_time_limit_s=60, task_time_limit_s=60))
