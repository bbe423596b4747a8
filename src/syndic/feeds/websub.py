"""WebSub (W3C Recommendation) without the network: the subscriber's pure parts.

`websub_subscribe_params` builds the form a subscriber posts to a hub;
`check_intent` answers the hub's verification of intent (echo the challenge
only for a topic and mode we asked for); `verify_signature` checks the
`X-Hub-Signature` of a content distribution in constant time. A
distribution without a valid signature, for a subscription that had a
secret, must be ignored; this module refuses unknown hash algorithms and
malformed headers by answering False.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection, Mapping

_ALGORITHMS = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
}
MAX_SECRET_BYTES = 200  # the spec's limit


def websub_subscribe_params(
    topic: str,
    callback: str,
    secret: str | None = None,
    lease_seconds: int | None = None,
    *,
    mode: str = "subscribe",
) -> dict[str, str]:
    """The form fields of a (un)subscription request to a hub."""
    if mode not in ("subscribe", "unsubscribe"):
        raise ValueError(f"unknown WebSub mode {mode!r}")
    params = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
    if secret is not None:
        if not secret or len(secret.encode("utf-8")) >= MAX_SECRET_BYTES:
            raise ValueError("a WebSub secret must be non-empty and under 200 bytes")
        params["hub.secret"] = secret
    if lease_seconds is not None:
        if lease_seconds <= 0:
            raise ValueError("lease_seconds must be positive")
        params["hub.lease_seconds"] = str(lease_seconds)
    return params


def verify_signature(secret: str | bytes, body: bytes, header_value: str | None) -> bool:
    """True when `X-Hub-Signature: method=hexdigest` is the HMAC of `body`."""
    if not header_value or "=" not in header_value:
        return False
    method, _, signature = header_value.strip().partition("=")
    digest = _ALGORITHMS.get(method.strip().lower())
    if digest is None:
        return False
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    expected = hmac.new(key, body, digest).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def check_intent(query: Mapping[str, str], expected_topic: str, pending: Collection[str]) -> str | None:
    """The challenge to echo if the hub verifies a request we made, else None.

    `pending` holds the modes ("subscribe", "unsubscribe") we asked the hub
    for on `expected_topic`; a hub's `denied` notice never gets an answer.
    """
    mode = query.get("hub.mode")
    topic = query.get("hub.topic")
    challenge = query.get("hub.challenge")
    if mode not in ("subscribe", "unsubscribe") or mode not in pending:
        return None
    if topic != expected_topic or not challenge:
        return None
    if mode == "subscribe":
        try:
            parse_lease(query.get("hub.lease_seconds"))
        except ValueError:
            return None
    return challenge


MIN_LEASE_S = 3600
MAX_LEASE_S = 30 * 24 * 3600


def parse_lease(text: str | None) -> int | None:
    """`hub.lease_seconds` as a number of seconds clamped to 1 hour … 30 days; None when absent.

    A hub may grant what it likes, but a forged or careless lease must not
    keep a feed "pushed" (hence rarely polled) for decades, nor make syndic
    renew every few seconds. Anything but plain decimal digits (`1e20`,
    `-5`, `3600.5`, thirty digits) raises ValueError: the caller answers 400.
    """
    if text is None:
        return None
    value = text.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise ValueError(f"hub.lease_seconds must be a whole number of seconds, not {text[:40]!r}")
    return max(MIN_LEASE_S, min(int(value), MAX_LEASE_S))
