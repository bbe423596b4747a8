"""WebSub's pure parts: subscription form, intent verification, signatures."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from syndic.feeds import check_intent, verify_signature, websub_subscribe_params

BODY = b"<feed>new entries</feed>"


def test_subscribe_params() -> None:
    assert websub_subscribe_params("https://t.example/feed", "https://me.example/cb/1", "s3cret", 86400) == {
        "hub.mode": "subscribe",
        "hub.topic": "https://t.example/feed",
        "hub.callback": "https://me.example/cb/1",
        "hub.secret": "s3cret",
        "hub.lease_seconds": "86400",
    }
    assert "hub.secret" not in websub_subscribe_params("t", "c")
    assert websub_subscribe_params("t", "c", mode="unsubscribe")["hub.mode"] == "unsubscribe"
    with pytest.raises(ValueError):
        websub_subscribe_params("t", "c", "x" * 200)
    with pytest.raises(ValueError):
        websub_subscribe_params("t", "c", lease_seconds=0)


@pytest.mark.parametrize("method", ["sha1", "sha256", "sha384", "sha512"])
def test_valid_signatures(method: str) -> None:
    digest = hmac.new(b"key", BODY, getattr(hashlib, method)).hexdigest()
    assert verify_signature("key", BODY, f"{method}={digest}")
    assert verify_signature(b"key", BODY, f"{method.upper()}={digest.upper()}")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256",
        "md5=" + hashlib.md5(BODY).hexdigest(),
        "sha256=" + hmac.new(b"other", BODY, hashlib.sha256).hexdigest(),
        "sha256=" + hmac.new(b"key", BODY + b"x", hashlib.sha256).hexdigest(),
        "sha256=zz",
    ],
)
def test_invalid_signatures(header: str | None) -> None:
    assert not verify_signature("key", BODY, header)


def test_check_intent() -> None:
    query = {
        "hub.mode": "subscribe",
        "hub.topic": "https://t/feed",
        "hub.challenge": "abc123",
        "hub.lease_seconds": "600",
    }
    assert check_intent(query, "https://t/feed", {"subscribe"}) == "abc123"
    assert check_intent(query, "https://t/other", {"subscribe"}) is None
    assert check_intent(query, "https://t/feed", set()) is None
    assert check_intent({**query, "hub.mode": "unsubscribe"}, "https://t/feed", {"subscribe"}) is None
    assert check_intent({**query, "hub.mode": "denied"}, "https://t/feed", {"subscribe", "denied"}) is None
    assert check_intent({**query, "hub.challenge": ""}, "https://t/feed", {"subscribe"}) is None
    assert check_intent({**query, "hub.lease_seconds": "soon"}, "https://t/feed", {"subscribe"}) is None
