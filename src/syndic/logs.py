"""Logging for every syndic command: plain lines for people, JSON lines for log pipelines.

`configure_logging` is called once by the CLI. Records carry their context
as fields (`extra={"feed_id": ..., "url": ...}`), so with `log_format =
"json"` a log collector can filter on a feed without parsing prose; the text
format shows the same message for a terminal. Only the `syndic` logger tree
is configured: libraries keep whatever the host program set up.
"""

from __future__ import annotations

import logging
import sys
from typing import IO

from pythonjsonlogger.json import JsonFormatter

from syndic.errors import ConfigError

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMATS = ("text", "json")


def configure_logging(level: str = "WARNING", fmt: str = "text", stream: IO[str] | None = None) -> None:
    """Send syndic's log records to `stream` (stderr) at `level`, as text or JSON lines."""
    level = level.upper()
    if level not in LEVELS:
        raise ConfigError(f"setting log_level: {level!r} is not one of {', '.join(LEVELS)}")
    if fmt not in FORMATS:
        raise ConfigError(f"setting log_format: {fmt!r} is not one of {', '.join(FORMATS)}")
    handler = logging.StreamHandler(stream or sys.stderr)
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter(
                "{levelname}{name}{message}",
                style="{",
                rename_fields={"levelname": "level", "name": "logger"},
                timestamp="time",
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("syndic")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
