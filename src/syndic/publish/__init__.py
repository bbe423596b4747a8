"""Publishing: full-text feeds, the Full-Text-RSS-compatible endpoints, campaigns.

The functions other stages call:

- `run_campaign(store, campaign_id, *, now=None) -> CampaignRunReport` (by hand), `run_due(store)`
  (every due campaign once, on its schedule; publish/schedule.py)
- `save_campaign(store, name, config, feed_ids, *, campaign_id=, new=, enabled=, public=) -> int`
  (the one writer of a campaign: refuses an invalid config, an unknown feed, a taken name)
- `deliver_pending(store, now=None) -> list[DeliveryEvent]` (the outbox)
- `feed_document / campaign_document / search_document` + `write_feed(doc, fmt)`
- `FullTextService` (makefulltextfeed.php / extract.php semantics; built with the page extractor
  it is handed, `syndic.library.documents.page_extractor`)

Nothing here speaks HTTP: the web app serves these documents
(`syndic.web.full_feeds` for /full/*, `syndic.web.ftr` for the Full-Text RSS URLs).
"""

from .campaigns import CampaignConfig, load_campaign, parse_config, save_campaign
from .ftr import FtrCache, FtrOptions, FtrRequest, FullTextService
from .outbox import DeliveryEvent, deliver_pending, retry_post, retry_rejected
from .outputs import campaign_document, feed_document, search_document
from .runner import CampaignRunReport, run_campaign, run_due, run_scheduled
from .schedule import CampaignBusy, due_campaigns
from .writers import FeedDocument, FeedItem, write_feed

__all__ = [
    "CampaignBusy",
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
    "run_due",
    "run_scheduled",
    "save_campaign",
    "search_document",
    "write_feed",
]
