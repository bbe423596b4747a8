"""How a destination's HTTP answer becomes a PublishError: retry, or refuse with the reason.

5xx, 408 and 429 (and anything that never got an answer) are worth retrying;
every other 4xx is the destination saying no to this post (bad credentials,
too large, an invalid category) and is recorded as the post's reason.
"""

from __future__ import annotations

import httpx

from syndic import bounds
from syndic.errors import PublishError

RETRYABLE_STATUS = frozenset({408, 425, 429})


class DestinationError(PublishError):
    def __init__(
        self, message: str, retryable: bool, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(message, retryable=retryable)
        self.retry_after = retry_after
        self.status = status
        self.body: object = None


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300].strip()
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("code", "message") if body.get(k)]
        data = body.get("data")
        if isinstance(data, dict) and isinstance(data.get("params"), dict):
            parts.append("; ".join(f"{k}: {v}" for k, v in data["params"].items()))
        if parts:
            return " — ".join(parts)[:500]
    return str(body)[:300]


def check_response(response: httpx.Response, what: str) -> None:
    """Raise DestinationError unless `response` is a success."""
    if response.is_success:
        return
    status = response.status_code
    retryable = status >= 500 or status in RETRYABLE_STATUS
    error = DestinationError(
        f"{what}: HTTP {status} {response.reason_phrase}: {_reason(response)}",
        retryable=retryable,
        retry_after=bounds.retry_after(response.headers.get("retry-after")),
        status=status,
    )
    try:
        error.body = response.json()
    except ValueError:
        error.body = None
    raise error


def transport_error(exc: httpx.HTTPError, what: str) -> DestinationError:
    return DestinationError(f"{what}: {type(exc).__name__}: {exc}", retryable=True)
