"""The webhook destination: each post as a signed JSON POST.

The body is the post's payload wrapped in an envelope (event, idempotency
key, campaign and story ids). `X-Syndic-Signature: sha256=<hex>` is the
HMAC-SHA256 of the exact body bytes under the campaign's secret, so the
receiver can check the sender and that nothing was changed; the
`Idempotency-Key` header is the same on every retry of one post, so a
receiver that saw it before can answer 2xx without acting twice. Content is
sanitized again here, whatever the payload says.

A 2xx answer whose JSON has an `id` makes that the remote id; otherwise the
idempotency key is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from syndic.clean.sanitize import sanitize_html
from syndic.errors import FetchError
from syndic.net import NetSettings
from syndic.net.blocking import GuardedClient

from .campaigns import Destination
from .http_errors import check_response, transport_error
from .sender import Delivery, OutgoingPost

SIGNATURE_HEADER = "X-Syndic-Signature"
USER_AGENT = "syndic-publish/1"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """For receivers (and tests): True when `header` signs `body` under `secret`."""
    return bool(header) and hmac.compare_digest(signature(secret, body), header or "")


class WebhookSender:
    """Posts signed JSON to one URL through syndic's guarded client (`net`: which networks it may reach)."""

    def __init__(
        self, destination: Destination, client: GuardedClient | None = None, *, net: NetSettings | None = None
    ) -> None:
        self.destination = destination
        self.client = client or GuardedClient(net, total_timeout=destination.timeout)

    def close(self) -> None:
        self.client.close()

    def send(self, post: OutgoingPost) -> Delivery:
        payload = dict(post.payload)
        payload["content_html"] = sanitize_html(str(payload.get("content_html", "")))
        envelope = {
            "event": "post.updated" if post.remote_id else "post.created",
            "idempotency_key": post.idempotency_key,
            "campaign_id": post.campaign_id,
            "story_id": post.story_id,
            "remote_id": post.remote_id,
            "post": payload,
        }
        body = json.dumps(envelope, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature(self.destination.secret, body),
            "Idempotency-Key": post.idempotency_key,
            "X-Syndic-Event": str(envelope["event"]),
        }
        what = f"webhook {self.destination.url}"
        try:
            response = self.client.request("POST", self.destination.url, content=body, headers=headers)
        except FetchError as exc:
            raise transport_error(exc, what) from exc
        check_response(response, what)
        remote_id = post.remote_id or post.idempotency_key
        try:
            answer: Any = response.json()
        except ValueError:
            answer = None
        if isinstance(answer, dict) and answer.get("id") is not None:
            remote_id = str(answer["id"])
        url = answer.get("url") if isinstance(answer, dict) and isinstance(answer.get("url"), str) else None
        return Delivery(remote_id=remote_id, remote_url=url)
