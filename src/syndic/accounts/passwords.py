"""Password hashing with Argon2id (argon2-cffi), the memory-hard KDF.

Hashes carry their own parameters, so raising the cost later only needs
`needs_rehash` on the next login. We refuse empty passwords and never log,
store or compare a password in the clear.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()

# A hash of a random string: verifying against it when the user does not
# exist costs the same time as a real check, so timing does not tell
# whether a user name exists.
_DUMMY_HASH = _HASHER.hash("syndic-no-such-user")

# One length rule for every password syndic keeps: a user's login and a reading-app API password.
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("empty password")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a wrong one or a missing user."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
