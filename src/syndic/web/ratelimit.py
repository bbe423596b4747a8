"""A sliding-window limit on failed logins, per client address and per user name.

In memory, per process: enough to make password guessing against one
`syndic serve` slow (5 tries in 5 minutes by default). Behind several
processes each keeps its own window, which multiplies the budget by the
process count and no more. Successful logins do not count.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class LoginRateLimiter:
    def __init__(self, attempts: int, window_seconds: float) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return deque()
        return failures

    def retry_after(self, keys: list[str], now: float | None = None) -> float:
        """Seconds until another attempt is allowed for all `keys` (0 when allowed now)."""
        now = time.monotonic() if now is None else now
        wait = 0.0
        with self._lock:
            for key in keys:
                failures = self._prune(key, now)
                if len(failures) >= self.attempts:
                    wait = max(wait, failures[0] + self.window - now)
        return wait

    def record_failure(self, keys: list[str], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in keys:
                self._prune(key, now)
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > 100_000:  # a flood of distinct keys: forget the oldest half
                for key in list(self._failures)[: len(self._failures) // 2]:
                    del self._failures[key]
