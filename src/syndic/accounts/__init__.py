"""Account data: users and their roles, login sessions, API tokens, the reading apps' API
passwords, and the Full-Text RSS endpoints' access keys.

This is the store code behind `syndic.library.Accounts` (which the CLI, the
web app and the services call). It sits below the library, beside the store:
it imports `syndic.store` and `syndic.errors`, never the web app, the library,
the services or the CLI (an import-linter contract checks it). Everything it
returns is a frozen dataclass (`User`, `Token`, `TokenOwner`, `Session`,
`ApiUser`, `FtrKey`); no database row leaves it. Secrets are stored only as
hashes (passwords as Argon2id, tokens and keys as SHA-256), except FTR keys,
whose secret is needed to check FTR's signed URLs (see `ftr_keys`).

Modules: `passwords` (hashing), `users`, `sessions`, `tokens`,
`reader_api` (Google Reader / Fever), `ftr_keys`.
"""

from syndic.accounts.ftr_keys import FtrKey
from syndic.accounts.passwords import MIN_PASSWORD_LENGTH
from syndic.accounts.reader_api import ApiUser
from syndic.accounts.sessions import Session
from syndic.accounts.tokens import (
    DEFAULT_SCOPES,
    SCOPES,
    TOKEN_PREFIX,
    Scope,
    Token,
    TokenOwner,
    create_token,
)
from syndic.accounts.users import User, create_user

__all__ = [
    "DEFAULT_SCOPES",
    "MIN_PASSWORD_LENGTH",
    "SCOPES",
    "TOKEN_PREFIX",
    "ApiUser",
    "FtrKey",
    "Scope",
    "Session",
    "Token",
    "TokenOwner",
    "User",
    "create_token",
    "create_user",
]
