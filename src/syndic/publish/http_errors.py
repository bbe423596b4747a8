"""How a destination's answer becomes a PublishError: retry, or refuse with a short reason.

5xx, 408, 425 and 429 (and anything that never got an answer) are worth
retrying; every other 4xx is the destination saying no to this post (bad
credentials, too large, an invalid category). The reason recorded on the
post and in the campaign's log is the status line and at most a short error
code (`Answer.summary()`), never the body: a destination's words are not
ours to echo, and an answer from the wrong server must not leak through the
delivery log. The parsed JSON body stays on the exception (`.body`) for the
sender's own decisions (WordPress's `term_exists` carries the existing id).
"""

from __future__ import annotations

from syndic import bounds
from syndic.errors import BlockedAddressError, FetchError, PublishError
from syndic.net.blocking import Answer

RETRYABLE_STATUS = frozenset({408, 425, 429})


class DestinationError(PublishError):
    def __init__(
        self, message: str, retryable: bool, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(message, retryable=retryable)
        self.retry_after = retry_after
        self.status = status
        self.body: object = None
        self.code: str | None = None


def check_response(answer: Answer, what: str) -> None:
    """Raise DestinationError unless `answer` is a success."""
    if answer.ok:
        return
    status = answer.status
    retryable = status >= 500 or status in RETRYABLE_STATUS
    error = DestinationError(
        f"{what}: {answer.summary()}",
        retryable=retryable,
        retry_after=bounds.retry_after(answer.headers.get("retry-after")),
        status=status,
    )
    try:
        error.body = answer.json()
    except ValueError:
        error.body = None
    error.code = answer.error_code()
    raise error


def transport_error(exc: FetchError, what: str) -> DestinationError:
    """A request that got no answer: retried, unless the address guard refused the destination."""
    if isinstance(exc, BlockedAddressError):
        return DestinationError(f"{what}: the destination's address is refused ({exc})", retryable=False)
    return DestinationError(f"{what}: {exc}", retryable=exc.retryable)
