"""What the outbox hands a sender and what the sender reports back.

The contract between `outbox.py` (rows, claims, retries) and the senders
(`wordpress.py`, `webhook.py`): both import it, so neither imports the other
and the outbox can name its senders with plain imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from syndic.errors import PublishError


class AlreadyOnDestination(PublishError):
    """The destination has a post of this story that syndic did not make (or made for another campaign)."""

    def __init__(self, message: str, remote_id: str, remote_url: str | None = None) -> None:
        super().__init__(message, retryable=False)
        self.remote_id = remote_id
        self.remote_url = remote_url


class GoneFromDestination(PublishError):
    """The post syndic made was deleted or trashed on the destination: an editor's decision, kept."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


@dataclass(frozen=True)
class OutgoingPost:
    """What a sender gets: the payload, and what syndic knows of the remote side."""

    post_id: int
    campaign_id: int
    story_id: int
    idempotency_key: str
    payload: Mapping[str, Any]
    remote_id: str | None
    remote_state: Mapping[str, Any]
    attempt: int


@dataclass(frozen=True)
class Delivery:
    """What a sender reports back after the destination accepted the post."""

    remote_id: str
    remote_url: str | None = None
    remote_state: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    images_uploaded: int = 0


class Sender(Protocol):
    def send(self, post: OutgoingPost) -> Delivery: ...
