"""Who a reading app's request speaks for: the Google Reader and Fever routes' credential checks.

The API passwords and the tokens derived from them are account data
(`syndic.library.Accounts`, over `syndic.accounts.reader_api`, whose
docstring says how they are made and why). This module is the routes' side:
each check takes the request, asks the app's library, and answers with the
`ApiUser` the request speaks for, or None.
"""

from __future__ import annotations

from fastapi import Request

from syndic.library.accounts import Accounts, ApiUser
from syndic.web.deps import get_syndic

__all__ = [
    "ApiUser",
    "action_token",
    "auth_token",
    "check_action_token",
    "check_auth_token",
    "client_login",
    "fever_user",
]


def client_login(request: Request, username: str, password: str) -> ApiUser | None:
    """Google Reader's ClientLogin: the user when `password` is their API password."""
    return get_syndic(request).accounts.reader_login(username, password)


def check_auth_token(request: Request, token: str) -> ApiUser | None:
    """The user a ClientLogin `Auth` token was issued to, while their API password is unchanged."""
    return get_syndic(request).accounts.check_reader_auth_token(token)


def fever_user(request: Request, api_key: str) -> ApiUser | None:
    """The user whose Fever `api_key` this is."""
    return get_syndic(request).accounts.fever_user(api_key)


auth_token = Accounts.reader_auth_token
action_token = Accounts.reader_action_token
check_action_token = Accounts.check_reader_action_token
