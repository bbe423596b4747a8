"""Publishing: full-text feeds, the Full-Text-RSS-compatible endpoints, campaigns.

The functions other stages call:

- `run_campaign(store, campaign_id, *, now=None) -> CampaignRunReport`
- `save_campaign(store, name, config, feed_ids) -> int` (refuses an invalid config)
- `deliver_pending(store, now=None) -> list[DeliveryEvent]` (the outbox)
- `feed_document / campaign_document / search_document` + `write_feed(doc, fmt)`
- `FullTextService` (makefulltextfeed.php / extract.php semantics)

`syndic.publish.web_routes.router` is the FastAPI router the web app mounts
(the Full-Text RSS routes are `syndic.web.ftr`).
"""

from .campaigns import CampaignConfig, load_campaign, parse_config, save_campaign
from .ftr import FtrCache, FtrOptions, FtrRequest, FullTextService
from .outbox import DeliveryEvent, deliver_pending, retry_post, retry_rejected
from .outputs import campaign_document, feed_document, search_document
from .runner import CampaignRunReport, due_campaigns, run_campaign
from .writers import FeedDocument, FeedItem, write_feed

__all__ = [
    "CampaignConfig",
    "CampaignRunReport",
    "DeliveryEvent",
    "FeedDocument",
    "FeedItem",
    "FtrCache",
    "FtrOptions",
    "FtrRequest",
    "FullTextService",
    "campaign_document",
    "deliver_pending",
    "due_campaigns",
    "feed_document",
    "load_campaign",
    "parse_config",
    "retry_post",
    "retry_rejected",
    "run_campaign",
    "save_campaign",
    "search_document",
    "write_feed",
]
