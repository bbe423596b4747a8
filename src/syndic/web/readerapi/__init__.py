"""The reading apps' APIs: Google Reader (as FreshRSS, Miniflux and FeedHQ serve it) and Fever.

Phone and desktop apps (NetNewsWire, Reeder, ReadKit, FeedMe, Fluent Reader,
newsboat …) talk to self-hosted readers through one of these two protocols.
Both are off until the operator turns them on (settings `greader_api`,
`fever_api`) and a user sets an API password (`syndic user api-password`),
which is kept apart from the login password so an app never holds the login.

- `credentials` — API passwords, Google Reader auth and action tokens, Fever keys.
- `greader` / `fever` — the routers, speaking each protocol's own errors; what they read and
  change (subscriptions, items, state, labels) is the library's `Syndic.streams`.
- `account` — the reader's page where a user makes their API password.
"""

from __future__ import annotations

from fastapi import FastAPI

from syndic.web.readerapi import account, fever, greader


def install(app: FastAPI) -> None:
    """Add both APIs' routes to `app` (each answers 404 while its setting is off)."""
    greader.install(app)
    app.include_router(fever.router)
    app.include_router(account.router)
