"""The reader's page where a user makes (or removes) the API password their apps use.

Showing it once and asking for the login password again before changing it:
a session left open on a shared computer must not hand out a credential that
outlives the session.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from syndic.store import schema
from syndic.web.auth import Viewer, require_csrf, require_session
from syndic.web.deps import get_store
from syndic.web.reader import render
from syndic.web.readerapi.credentials import clear_api_password, generate_password, set_api_password
from syndic.web.users import authenticate

router = APIRouter(include_in_schema=False)


def _page(request: Request, viewer: Viewer, status: int = 200, **extra: object) -> Response:
    with get_store(request).engine.connect() as conn:
        has = conn.execute(
            select(schema.reader_api_passwords.c.user_id).where(schema.reader_api_passwords.c.user_id == viewer.user_id)
        ).first() is not None
    base = str(request.base_url).rstrip("/")
    return render(request, viewer, "apps.html", {"has_password": has, "base": base, "nav": "apps", **extra}, status)


@router.get("/account/apps")
def apps_page(request: Request, viewer: Annotated[Viewer, Depends(require_session)]) -> Response:
    return _page(request, viewer)


@router.post("/account/apps")
def apps_change(
    request: Request,
    viewer: Annotated[Viewer, Depends(require_csrf)],
    password: Annotated[str, Form(max_length=1024)],
    action: Annotated[Literal["generate", "remove"], Form()],
) -> Response:
    store = get_store(request)
    assert viewer.username is not None
    if authenticate(store, viewer.username, password) != viewer.user_id:
        return _page(request, viewer, 403, error="That is not your login password.")
    if action == "remove":
        clear_api_password(store, viewer.username)
        return _page(request, viewer)
    new_password = generate_password()
    set_api_password(store, viewer.username, new_password)
    return _page(request, viewer, new_password=new_password)
