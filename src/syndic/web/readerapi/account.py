"""The reader's page where a user makes (or removes) the API password their apps use.

Showing it once and asking for the login password again before changing it:
a session left open on a shared computer must not hand out a credential that
outlives the session.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from syndic.web.auth import Viewer, require_csrf, require_session
from syndic.web.deps import get_syndic
from syndic.web.reader import render

router = APIRouter(include_in_schema=False)


def _page(request: Request, viewer: Viewer, status: int = 200, **extra: object) -> Response:
    assert viewer.user_id is not None  # a session always has a user
    has = get_syndic(request).accounts.has_reader_password(viewer.user_id)
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
    accounts = get_syndic(request).accounts
    assert viewer.username is not None
    if accounts.authenticate(viewer.username, password) != viewer.user_id:
        return _page(request, viewer, 403, error="That is not your login password.")
    if action == "remove":
        accounts.clear_reader_password(viewer.username)
        return _page(request, viewer)
    new_password = accounts.generate_reader_password()
    accounts.set_reader_password(viewer.username, new_password)
    return _page(request, viewer, new_password=new_password)
