"""A bounded queue per caller for the expensive endpoints (makefulltextfeed.php, extract.php).

One client (an API token, an FTR key, or an address) must not be able to
fill the server with slow work: 200 concurrent requests for a slow page
used to leave everybody else waiting. Each caller key gets `running`
requests at once and `waiting` more in line; past that the request is
refused at once with 429 and a Retry-After, before any fetch starts. A
request passes only when every key it carries (its token and its address)
admits it, so rotating tokens from one address does not help, nor does one
token spread over many addresses.

In memory and per process, like the login limiter.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field


class Busy(Exception):
    """The caller's queue is full; try again after `retry_after` seconds."""

    def __init__(self, key: str, retry_after: int) -> None:
        super().__init__(f"too many requests in progress for {key}; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class _Line:
    semaphore: asyncio.Semaphore
    inside: int = 0  # running + waiting
    keys: set[str] = field(default_factory=set)


class Admission:
    def __init__(self, running: int = 4, waiting: int = 8, retry_after: int = 5) -> None:
        self.running = max(1, running)
        self.waiting = max(0, waiting)
        self.retry_after = retry_after
        self._lines: dict[str, _Line] = {}

    def _line(self, key: str) -> _Line:
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = _Line(asyncio.Semaphore(self.running))
        return line

    @asynccontextmanager
    async def slot(self, keys: list[str]) -> AsyncIterator[None]:
        """Hold a place in every key's line for the body of the `async with`; Busy when one is full."""
        wanted = sorted(set(keys))
        for key in wanted:
            line = self._lines.get(key)
            if line is not None and line.inside >= self.running + self.waiting:
                raise Busy(key, self.retry_after)
        lines = [self._line(key) for key in wanted]
        for line in lines:
            line.inside += 1
        try:
            async with AsyncExitStack() as stack:
                for line in lines:  # in key order: two requests sharing keys never deadlock
                    await stack.enter_async_context(line.semaphore)
                yield
        finally:
            for key, line in zip(wanted, lines, strict=True):
                line.inside -= 1
                if line.inside == 0 and self._lines.get(key) is line:
                    del self._lines[key]
