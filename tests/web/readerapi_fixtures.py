"""Shared by the reading-app API tests."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from syndic.accounts import passwords


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost: each test makes several accounts and API passwords,
    and the production cost (about half a second each on a busy machine) is what
    tests/web/test_web_auth.py is for. Hashes carry their parameters, so checks still work."""
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
