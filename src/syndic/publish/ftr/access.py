"""Who may use the Full-Text RSS endpoints, for which URLs, and how many items they get.

An admin chooses, as in Full-Text RSS's config.php:

- `access`: "keys" (the default: a key, a syndic API token or a signed-in
  user is needed) or "public" (anyone; a key still raises the item cap, and
  a wrong key is still refused, as FTR does).
- `allowed_urls` / `blocked_urls`: parts of URLs, compared case-blind as
  FTR's `stristr` does. When `allowed_urls` is not empty only URLs holding
  one of them are served and `blocked_urls` is ignored. They apply to the
  requested URL (refused), to each item's link (not fetched) and to where
  the item's page ended after redirects (the item is left out).
- the default and maximum number of items, with and without a key.

None of this replaces the address guard: every fetch still goes through
syndic's guarded client, whatever the mode and patterns say.

FTR keys have an index (1, 2, …) besides their secret; FTR hides a key in a
feed's URL as `key=INDEX&hash=SHA1(SECRET + URL)`, and `key_hash` is that
hash, so URLs FTR wrote keep working once the admin adds the same keys with
the same indexes (`syndic ftr key add --index 1 --key SECRET`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from syndic.config import FTR_ACCESS_MODES, ftr_problem

ACCESS_MODES = FTR_ACCESS_MODES
ERROR_MESSAGE = "[unable to retrieve full-text content]"
BLOCKED_MESSAGE = "URL blocked"


@dataclass(frozen=True)
class FtrOptions:
    """The admin's choices for the endpoints (settings `ftr_*`, see `syndic.config`)."""

    access: str = "keys"
    allowed_urls: tuple[str, ...] = ()
    blocked_urls: tuple[str, ...] = ()
    default_items: int = 5
    max_items: int = 10
    default_items_with_key: int = 5
    max_items_with_key: int = 10
    cache_minutes: int = 10
    error_message: str = ERROR_MESSAGE
    cors: bool = False
    max_input_bytes: int = 2 * 1024 * 1024

    def __post_init__(self) -> None:
        names = ("default_items", "max_items", "default_items_with_key", "max_items_with_key")
        problem = ftr_problem(self.access, {name: getattr(self, name) for name in names})
        if problem:
            raise ValueError(problem)

    @property
    def output_policy(self) -> str:
        """What of these choices shapes an answer beyond the request (so cached answers made under
        other URL patterns or another error text are not served once the admin changes them)."""
        return json.dumps([self.allowed_urls, self.blocked_urls, self.error_message])

    @property
    def keys_required(self) -> bool:
        return self.access == "keys"

    @classmethod
    def from_settings(cls, settings: Any) -> FtrOptions:
        """The options from `syndic.config.Settings` (its `ftr_*` fields)."""
        return cls(
            access=settings.ftr_access,
            allowed_urls=tuple(settings.ftr_allowed_urls),
            blocked_urls=tuple(settings.ftr_blocked_urls),
            default_items=settings.ftr_default_items,
            max_items=settings.ftr_max_items,
            default_items_with_key=settings.ftr_default_items_with_key,
            max_items_with_key=settings.ftr_max_items_with_key,
            cache_minutes=settings.ftr_cache_minutes,
            error_message=settings.ftr_error_message,
            cors=settings.ftr_cors,
        )

    def url_allowed(self, url: str) -> bool:
        """FTR's url_allowed: an allow list wins; else any blocked part refuses."""
        lowered = url.lower()
        if self.allowed_urls:
            return any(part.lower() in lowered for part in self.allowed_urls if part)
        return not any(part.lower() in lowered for part in self.blocked_urls if part)

    def items_for(self, requested: int | None, *, valid_key: bool) -> int:
        """How many feed items to process: the request's `max` under the cap, else the default."""
        cap = self.max_items_with_key if valid_key else self.max_items
        default = self.default_items_with_key if valid_key else self.default_items
        if requested is None:
            return min(default, cap)
        return max(1, min(requested, cap))


def key_hash(secret: str, url: str) -> str:
    """FTR's hidden-key hash: SHA-1 of the key followed by the (normalised) URL, in hex."""
    return hashlib.sha1((secret + url).encode("utf-8")).hexdigest()  # noqa: S324 (FTR's format, not a password hash)
