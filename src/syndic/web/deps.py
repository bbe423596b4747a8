"""What every route gets from the app: the library, the settings, the actions.

`create_app` puts them on `app.state`; routes read them through these
dependencies instead of importing globals, so one process can hold several
apps (tests do). Everything a route reads or writes goes through the
library (`get_syndic(request).reading`, `.feeds`, …): web/ holds no SQL.
"""

from __future__ import annotations

from fastapi import Request

from syndic.library import Syndic
from syndic.web.actions import WebActions
from syndic.web.settings import WebSettings


def get_syndic(request: Request) -> Syndic:
    """The library the app was built over: routes call its areas (`feeds`, `reading`, …)."""
    library: Syndic = request.app.state.syndic
    return library


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def get_actions(request: Request) -> WebActions:
    actions: WebActions = request.app.state.actions
    return actions
