"""Checking a campaign's settings before the reader or the API stores them.

The publish stage owns the config format (`syndic.publish.campaigns.parse_config`);
when it is installed we ask it, so a stored campaign is always runnable.
Without it we accept any JSON object.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from syndic.errors import SyndicError


def _parser() -> Callable[[Any], object] | None:
    try:
        module = importlib.import_module("syndic.publish.campaigns")
    except ImportError:
        return None
    parser: Callable[[Any], object] | None = getattr(module, "parse_config", None)
    return parser


def config_problem(config: Any) -> str | None:
    """Why `config` cannot be stored, or None when it can."""
    if not isinstance(config, dict):
        return "The settings must be a JSON object ({…})."
    parse = _parser()
    if parse is None:
        return None
    try:
        parse(config)
    except (SyndicError, ValueError, TypeError) as exc:
        return str(exc)
    return None
