"""The campaign pages: the list, the form (fields or JSON) that creates and edits one, and "run now".

Campaigns are an admin's. Everything goes through the library's
`campaigns` area (`get_syndic(request).campaigns`): saving refuses what a
run could not do (an invalid option, a feed that does not exist), and the
page shows the refusal as the form's error. Running goes through the
injected `WebActions.run_campaign`, so the app is tested without a network.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from syndic.errors import CampaignExistsError, SyndicError
from syndic.library.campaigns import Campaign
from syndic.web import campaign_form
from syndic.web.auth import Viewer, require_admin, require_admin_csrf
from syndic.web.deps import get_actions, get_syndic
from syndic.web.reader import render

log = logging.getLogger("syndic.web")
router = APIRouter(include_in_schema=False)

MAX_ID = 2**63 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
AdminViewer = Annotated[Viewer, Depends(require_admin)]
AdminCsrfViewer = Annotated[Viewer, Depends(require_admin_csrf)]


def _campaign_or_404(request: Request, campaign_id: int) -> Campaign:
    campaign = get_syndic(request).campaigns.get(campaign_id)
    if campaign is None:
        raise HTTPException(404, "no such campaign")
    return campaign


@router.get("/campaigns")
def campaigns_page(request: Request, viewer: AdminViewer) -> Response:
    return render(request, viewer, "campaigns.html", {"campaigns": get_syndic(request).campaigns.all()})


def _campaign_form(
    request: Request, viewer: Viewer, campaign: Campaign | None, values: dict[str, Any], error: str | None,
    status: int = 200,
) -> Response:
    campaigns = get_syndic(request).campaigns
    feeds = campaigns.feed_choices()
    log_lines = campaigns.log(campaign.id) if campaign is not None else []
    values.setdefault("fields", campaign_form.form_values(campaign.config if campaign is not None else {}))
    values.setdefault("errors", {})
    return render(
        request,
        viewer,
        "campaign.html",
        {"campaign": campaign, "feeds": feeds, "values": values, "error": error, "log": log_lines,
         "result": request.query_params.get("result"), "help": campaign_form.HELP,
         "choices": campaign_form.CHOICES, "secret_kept": campaign_form.SECRET_KEPT},
        status,
    )


@router.get("/campaigns/new")
def campaign_new(request: Request, viewer: AdminViewer) -> Response:
    values = {"name": "", "config": "{}", "enabled": True, "public": False, "feed_ids": set()}
    return _campaign_form(request, viewer, None, values, None)


@router.get("/campaigns/{campaign_id}")
def campaign_page(request: Request, viewer: AdminViewer, campaign_id: PathId) -> Response:
    campaign = _campaign_or_404(request, campaign_id)
    values = {
        "name": campaign.name,
        "config": campaign_form.redacted_json(campaign.config),
        "enabled": campaign.enabled,
        "public": campaign.public,
        "feed_ids": set(campaign.feed_ids),
    }
    return _campaign_form(request, viewer, campaign, values, None)


async def _save_campaign(request: Request, viewer: Viewer, campaign_id: int | None) -> Response:
    form = await request.form()
    name = str(form.get("name") or "").strip()
    config_text = str(form.get("config") or "{}")
    feed_ids: set[int] = set()
    for raw in form.getlist("feed_ids"):
        if isinstance(raw, str) and raw.isdigit() and 0 < int(raw) <= MAX_ID:
            feed_ids.add(int(raw))
    values: dict[str, Any] = {
        "name": name,
        "config": config_text,
        "enabled": form.get("enabled") is not None,
        "public": form.get("public") is not None,
        "feed_ids": feed_ids,
    }
    campaigns = get_syndic(request).campaigns
    campaign = _campaign_or_404(request, campaign_id) if campaign_id is not None else None
    stored: dict[str, Any] = dict(campaign.config) if campaign is not None else {}
    error = None
    config: Any = None
    if form.get("editor") == "fields":  # the fields form; without it the JSON editor (and scripts) as before

        def field(key: str) -> str | None:
            value = form.get(key)
            return value if isinstance(value, str) else None

        config, errors = campaign_form.config_from_form(field, stored)
        values |= {"fields": campaign_form.form_values(config), "errors": errors,
                   "config": campaign_form.redacted_json(config)}
        if errors:
            error = errors.get("general") or "Not saved: " + "; ".join(errors.values())
    else:
        try:
            config = json.loads(config_text)
        except json.JSONDecodeError as exc:
            config, error = None, f"The settings are not valid JSON: {exc}"
        if error is None and isinstance(config, dict):
            config = campaign_form.keep_secrets(config, stored)  # the page never shows a stored secret
        if error is None:
            error = campaigns.problem(config)
    if error is None and not name:
        error = "A campaign needs a name."
    if error is None:
        try:
            campaign_id = campaigns.save(
                name, config, sorted(feed_ids), campaign_id=campaign_id, new=campaign_id is None,
                enabled=bool(values["enabled"]), public=bool(values["public"]),
            )
        except CampaignExistsError:
            error = f"A campaign called {name!r} exists already."
        except SyndicError as exc:  # a feed that does not exist (deleted while the form was open)
            error = str(exc)
    if error is not None:
        return _campaign_form(request, viewer, campaign, values, error, 400)
    return RedirectResponse(f"/campaigns/{campaign_id}", status_code=303)


@router.post("/campaigns/new")
async def campaign_create(request: Request, viewer: AdminCsrfViewer) -> Response:
    return await _save_campaign(request, viewer, None)


@router.post("/campaigns/{campaign_id}")
async def campaign_update(request: Request, viewer: AdminCsrfViewer, campaign_id: PathId) -> Response:
    return await _save_campaign(request, viewer, campaign_id)


@router.post("/campaigns/{campaign_id}/run")
async def campaign_run(request: Request, viewer: AdminCsrfViewer, campaign_id: PathId) -> Response:
    _campaign_or_404(request, campaign_id)
    try:
        result = await get_actions(request).run_campaign(campaign_id)
    except Exception as exc:  # any failure of another stage is shown, never a 500
        if not isinstance(exc, SyndicError | ValueError | NotImplementedError):
            log.exception("running campaign %d failed", campaign_id)
        result = f"The run failed: {exc}"
    return RedirectResponse(f"/campaigns/{campaign_id}?result={quote(result[:300])}", status_code=303)
