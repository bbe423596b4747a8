"""Every error syndic raises on purpose, in one tree.

    SyndicError
    ├── ConfigError                 a setting is missing or malformed
    │   └── CampaignExistsError     a campaign name another campaign has
    ├── FetchError                  anything that went wrong getting bytes
    │   ├── BlockedAddressError     the host resolves to a refused network (SSRF guard)
    │   ├── TooLargeError           the body passed the size cap (counted after decompression)
    │   ├── TooManyRedirectsError   redirect cap reached, or a redirect loop
    │   ├── FetchTimeoutError       connect, read or total timeout
    │   ├── HTTPStatusError         a non-success status; `.status`, `.retry_after`
    │   ├── ConnectionFailedError   DNS failure, refused, reset in the middle of a body
    │   └── RobotsDisallowedError   robots.txt forbids the page
    ├── FeedError                   the bytes are not a feed we can read
    ├── ExtractionError             the page holds no article we can find
    ├── StoreError                  the database refused a write
    ├── AccountError                a user name taken or unknown, a password too short
    └── PublishError                a destination refused a post; `.retryable`

A stage that fails records `str(error)` on the feed, entry or post it was
working on and moves on; callers catch the narrowest class they can handle.
"""

from __future__ import annotations


class SyndicError(Exception):
    """Base of every error syndic raises deliberately."""


class ConfigError(SyndicError):
    pass


class CampaignExistsError(ConfigError):
    """Campaign names are unique: creating or renaming one onto a taken name is refused."""


class FetchError(SyndicError):
    """Getting bytes from a URL failed; the message names the URL and why."""

    retryable: bool = True


class BlockedAddressError(FetchError):
    retryable = False


class TooLargeError(FetchError):
    retryable = False


class TooManyRedirectsError(FetchError):
    retryable = False


class FetchTimeoutError(FetchError):
    pass


class ConnectionFailedError(FetchError):
    pass


class RobotsDisallowedError(FetchError):
    retryable = False


class HTTPStatusError(FetchError):
    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.retryable = status >= 500 or status in (408, 429)


class FeedError(SyndicError):
    pass


class ExtractionError(SyndicError):
    pass


class StoreError(SyndicError):
    pass


class AccountError(SyndicError):
    """What `syndic user` refuses: a name already taken, an unknown user, a weak password."""


class PublishError(SyndicError):
    def __init__(self, message: str, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable
