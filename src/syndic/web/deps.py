"""What every route gets from the app: the store, the settings, the actions.

`create_app` puts them on `app.state`; routes (ours and the publish
engineer's routers) read them through these dependencies instead of
importing globals, so one process can hold several apps (tests do).

The app needs only `store.engine` (a SQLAlchemy Engine on a migrated
database); `ReaderStore` names that much and nothing more. Search goes
through the library (`get_syndic(request).stories.search`).
"""

from __future__ import annotations

from typing import Protocol

from fastapi import Request
from sqlalchemy.engine import Engine

from syndic.library import Syndic
from syndic.web.actions import WebActions
from syndic.web.settings import WebSettings


class ReaderStore(Protocol):
    """The part of `syndic.store.Store` the web app uses."""

    @property
    def engine(self) -> Engine: ...


def get_syndic(request: Request) -> Syndic:
    """The library the app was built over: routes call its areas (`feeds`, `reading`, …)."""
    library: Syndic = request.app.state.syndic
    return library


def get_store(request: Request) -> ReaderStore:
    store: ReaderStore = request.app.state.store
    return store


def get_engine(request: Request) -> Engine:
    return get_store(request).engine


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def get_actions(request: Request) -> WebActions:
    actions: WebActions = request.app.state.actions
    return actions
