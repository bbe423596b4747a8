"""The review queue's pages: candidates of a campaign that waits for approval (the library's `campaigns` area).

`GET /campaigns/{id}/review` lists what would be posted (title, excerpt,
image, target categories); each candidate has one form whose buttons
approve, save an edit, or reject it. Decisions are recorded in the
campaign's log under the reviewer's name.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from syndic.errors import SyndicError
from syndic.library.campaigns import Campaign
from syndic.web.auth import Viewer, require_admin, require_admin_csrf
from syndic.web.deps import get_syndic
from syndic.web.reader import render

router = APIRouter(include_in_schema=False)
MAX_ID = 2**63 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
ReviewViewer = Annotated[Viewer, Depends(require_admin)]  # campaigns are an admin's
ReviewCsrfViewer = Annotated[Viewer, Depends(require_admin_csrf)]


def _campaign(request: Request, campaign_id: int) -> Campaign:
    campaign = get_syndic(request).campaigns.get(campaign_id)
    if campaign is None:
        raise HTTPException(404, "no such campaign")
    return campaign


@router.get("/campaigns/{campaign_id}/review")
def review_page(request: Request, viewer: ReviewViewer, campaign_id: PathId) -> Response:
    campaign = _campaign(request, campaign_id)
    items = get_syndic(request).campaigns.candidates(campaign_id)
    return render(
        request, viewer, "campaign_review.html",
        {"campaign": campaign, "items": items, "result": request.query_params.get("result"),
         "error": request.query_params.get("error")},
    )


@router.post("/campaigns/{campaign_id}/review/{post_id}")
def review_decide(
    request: Request,
    viewer: ReviewCsrfViewer,
    campaign_id: PathId,
    post_id: PathId,
    action: Annotated[str, Form(pattern="^(approve|save|reject)$")],
    title: Annotated[str | None, Form(max_length=2000)] = None,
    categories: Annotated[str | None, Form(max_length=5000)] = None,
) -> Response:
    _campaign(request, campaign_id)
    campaigns = get_syndic(request).campaigns
    who = viewer.username or "a reviewer"
    try:
        if action in ("approve", "save"):
            names = None if categories is None else [c for c in categories.split(",") if c.strip()]
            campaigns.edit(campaign_id, post_id, by=who, title=title, categories=names)
        if action == "approve":
            campaigns.approve(campaign_id, post_id, by=who)
        elif action == "reject":
            campaigns.reject(campaign_id, post_id, by=who)
    except SyndicError as exc:
        return RedirectResponse(f"/campaigns/{campaign_id}/review?error={quote(str(exc)[:300])}", status_code=303)
    done = {"approve": "approved: posted on the next run", "save": "saved", "reject": "rejected"}[action]
    return RedirectResponse(
        f"/campaigns/{campaign_id}/review?result={quote(f'Post {post_id} {done}.')}", status_code=303
    )
