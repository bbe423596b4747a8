"""A real cluster for the distributed tests: RabbitMQ, PostgreSQL and `syndic worker` processes.

Each test gets its own queue on the machine's RabbitMQ (other engineers'
tests share the server, so nothing here purges or deletes anything but its
own queue) and a truncated copy of the session's PostgreSQL database.
Workers are real `syndic worker` processes in their own process group, so a
test can kill one the way an operator's machine would (SIGKILL to all of
it). Under CI=true a missing RabbitMQ fails the test instead of skipping.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))  # cluster_helpers.py, cluster_sites.py

from cluster_helpers import RABBIT_URL, Proc, TcpProxy, start_syndic

from syndic.store import Store, open_store
from syndic.store.schema import metadata


def _rabbit_or_skip() -> None:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            return
    except OSError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"RabbitMQ required under CI=true: {exc}")
        pytest.skip(f"no RabbitMQ on 127.0.0.1:5672: {exc}")


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of this test's own on the shared broker, deleted afterwards."""
    _rabbit_or_skip()
    name = f"syndic-test-{uuid.uuid4().hex[:10]}"
    yield name
    from kombu import Connection

    with Connection(RABBIT_URL) as connection:
        channel = connection.default_channel
        for queue in (name,):
            try:
                channel.queue_delete(queue)
            except Exception:
                pass


@pytest.fixture
def cluster_store(postgres_url: str) -> Iterator[Store]:
    store = open_store(postgres_url, run_migrations=False)
    names = ", ".join(f'"{t.name}"' for t in reversed(metadata.sorted_tables))
    with store.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield store
    store.close()


@pytest.fixture
def cluster() -> Iterator[Any]:
    """`cluster(args, env)` starts a syndic process; all are stopped (then killed) after the test."""
    started: list[Proc] = []

    def start(args: list[str], env: dict[str, str]) -> Proc:
        proc = start_syndic(args, env)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.popen.poll() is None:
            os.killpg(proc.popen.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in started:
        try:
            proc.popen.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def pg_proxy() -> Iterator[TcpProxy]:
    proxy = TcpProxy(("127.0.0.1", 5432))
    yield proxy
    proxy.cut()


