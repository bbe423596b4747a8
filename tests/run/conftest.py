"""Settings for pipeline tests: loopback allowed (the servers are local), no politeness waits."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from syndic.config import Settings


def loopback_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Fast, loopback-allowed settings; keyword arguments override any field."""
    base = Settings(
        data_dir=data_dir,
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        min_host_interval=0.0,
        connect_timeout=2,
        read_timeout=2,
        total_timeout=5,
        respect_robots=False,
    )
    return replace(base, **overrides)


@pytest.fixture
def make_settings(tmp_path: Path) -> Any:
    """`make_settings(**overrides)`: loopback settings with the test's own data directory."""
    return lambda **overrides: loopback_settings(tmp_path, **overrides)
