"""Login throttling keyed by (user name, client address), with growing delays.

Before: five wrong passwords for a user name locked *every* login for it
for five minutes, from any address — anyone could lock the owner out. Now:

- A (user name, address) pair gets `attempts` free failures; after that
  each failure makes the next try wait twice as long as the last (1 s, 2 s,
  4 s … up to `window_seconds`). Guessing one password from one place gets
  slow fast; the owner, from their own address, is never slowed by it.
- An address gets a broader budget across all user names (`per_address`
  failures per window): spraying many names from one place is slowed too,
  and only that place.
- A successful login clears its pair; a pair left alone for a day is forgotten.

In memory, per process: behind several processes each keeps its own
records, which multiplies the budget by the process count and no more.
The web reader's form and the Google Reader ClientLogin share one limiter.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

FORGET_AFTER_SECONDS = 24 * 3600
MAX_RECORDS = 100_000


@dataclass
class _Pair:
    failures: int
    last: float


class LoginRateLimiter:
    def __init__(self, attempts: int, window_seconds: float, per_address: int | None = None) -> None:
        self.attempts = max(1, attempts)
        self.window = window_seconds
        self.per_address = per_address if per_address is not None else 10 * self.attempts
        self._pairs: dict[tuple[str, str], _Pair] = {}
        self._addresses: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _pair_key(username: str, address: str) -> tuple[str, str]:
        return username.strip().lower(), address

    def delay_after(self, failures: int) -> float:
        """How long a pair waits after its `failures`-th failure: nothing, then 1 s, 2 s, 4 s … the window."""
        if failures < self.attempts:
            return 0.0
        return float(min(2.0 ** (failures - self.attempts), self.window))

    def _address_failures(self, address: str, now: float) -> deque[float]:
        failures = self._addresses.get(address, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._addresses.pop(address, None)
        return failures

    def retry_after(self, username: str, address: str, now: float | None = None) -> float:
        """Seconds until this user name may be tried again from this address (0: now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            wait = 0.0
            pair = self._pairs.get(self._pair_key(username, address))
            if pair is not None:
                if now - pair.last > FORGET_AFTER_SECONDS:
                    del self._pairs[self._pair_key(username, address)]
                else:
                    wait = max(wait, pair.last + self.delay_after(pair.failures) - now)
            failures = self._address_failures(address, now)
            if len(failures) >= self.per_address:
                wait = max(wait, failures[0] + self.window - now)
            return max(wait, 0.0)

    def record_failure(self, username: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            key = self._pair_key(username, address)
            pair = self._pairs.get(key)
            if pair is None or now - pair.last > FORGET_AFTER_SECONDS:
                pair = self._pairs[key] = _Pair(0, now)
            pair.failures += 1
            pair.last = now
            self._address_failures(address, now)
            self._addresses.setdefault(address, deque()).append(now)
            if len(self._pairs) > MAX_RECORDS:  # a flood of distinct names: forget the oldest half
                for old in sorted(self._pairs, key=lambda k: self._pairs[k].last)[: len(self._pairs) // 2]:
                    del self._pairs[old]
            if len(self._addresses) > MAX_RECORDS:
                for old_address in list(self._addresses)[: len(self._addresses) // 2]:
                    del self._addresses[old_address]

    def record_success(self, username: str, address: str) -> None:
        with self._lock:
            self._pairs.pop(self._pair_key(username, address), None)


def client_address(host: str | None) -> str:
    """The key part for a client: its address as the server saw it (behind a proxy: --proxy-headers)."""
    return host or "unknown"
