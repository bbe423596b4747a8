"""Checking a campaign's settings before the reader or the API stores them.

The publish stage owns the config format (`syndic.publish.campaigns.parse_config`);
we ask it, so a stored campaign is always runnable.
"""

from __future__ import annotations

from typing import Any

from syndic.errors import SyndicError
from syndic.publish.campaigns import parse_config


def config_problem(config: Any) -> str | None:
    """Why `config` cannot be stored, or None when it can."""
    if not isinstance(config, dict):
        return "The settings must be a JSON object ({…})."
    try:
        parse_config(config)
    except (SyndicError, ValueError, TypeError) as exc:
        return str(exc)
    return None
