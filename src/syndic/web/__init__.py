"""The HTTP app: the web reader (server-rendered pages) and the JSON API.

`create_app(store, settings, actions)` is the whole public surface; the CLI
(`syndic serve`) calls it and hands the result to uvicorn. `create_user` and
`create_token` are what `syndic user add` and `syndic token create` call.
"""

from syndic.web.actions import WebActions
from syndic.web.app import create_app
from syndic.web.settings import WebSettings
from syndic.web.tokens import create_token
from syndic.web.users import create_user

__all__ = ["WebActions", "WebSettings", "create_app", "create_token", "create_user"]
