"""`syndic serve`'s background poller survives anything a cycle raises (issue 11: one poison item used to
stop it for good), and stops when the server does."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from syndic.config import Settings
from syndic.library.feeds import Feeds
from syndic.services import serve
from syndic.store import Store


def test_the_poll_loop_survives_a_failing_cycle(
    sqlite_store: Store, make_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings: Settings = make_settings(extract_workers=1)
    calls: list[int] = []

    async def poll(_feeds: Any, *, due_only: bool = False) -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise KeyError("a bug in a stage")
        if len(calls) == 2:
            raise MemoryError("a page too large")

    monkeypatch.setattr(Feeds, "poll", poll)  # the library's poll, which the loop calls each cycle

    async def go() -> None:
        task = asyncio.create_task(serve.poll_forever(settings, sqlite_store, every=0.01))
        for _ in range(500):
            if len(calls) >= 4:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(go())
    assert len(calls) >= 4  # it went on after both failures
