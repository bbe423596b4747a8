"""Fixtures for the web tests (defined in web_helpers, beside the helpers they use)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from web_helpers import actions, client, data, logged_in, seeded, settings, store, token, user

__all__ = ["actions", "client", "data", "logged_in", "seeded", "settings", "store", "token", "user"]
