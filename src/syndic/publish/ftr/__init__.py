"""Full-Text RSS compatibility: `makefulltextfeed.php` and `extract.php` as FTR 3.8 answers them.

A user switching from FiveFilters Full-Text RSS changes a host name; every
subscription URL and script keeps working. Modules, one job each:

- `params`   request parameters read as FTR reads them (names, defaults, leniency)
- `access`   the admin's choices: keys or public, allowed/blocked URLs, item caps; FTR's key hash
- `items`    one item from a feed entry and its page (FTR's element list)
- `document` FTR's RSS, JSON and extract.php JSON writers
- `service`  fetching (through the guarded client), extracting (by the injected path), the cache

The HTTP routes are in `syndic.web.ftr`; the keys are stored by `syndic.accounts.ftr_keys`.
"""

from .access import FtrOptions, key_hash
from .document import FtrFeed, json_object, simple_object, write_rss
from .items import apply_links
from .params import BadRequest, FtrRequest, normalize_url
from .service import Answer, FtrCache, FullTextService, NetworkFetch, PageExtractor, Refused, network_fetch

__all__ = [
    "Answer",
    "BadRequest",
    "FtrCache",
    "FtrFeed",
    "FtrOptions",
    "FtrRequest",
    "FullTextService",
    "NetworkFetch",
    "PageExtractor",
    "Refused",
    "apply_links",
    "json_object",
    "key_hash",
    "network_fetch",
    "normalize_url",
    "simple_object",
    "write_rss",
]
