"""The HTTP app: the web reader (server-rendered pages) and the JSON API.

`create_app(syndic, settings, actions)` is the whole public surface (a
`Syndic`, or a store it opens one over); `syndic serve` (syndic.services)
calls it and hands the result to uvicorn. Accounts (users,
tokens) are the library's: `syndic.library.Accounts`.
"""

from syndic.web.actions import WebActions
from syndic.web.app import create_app
from syndic.web.settings import WebSettings

__all__ = ["WebActions", "WebSettings", "create_app"]
