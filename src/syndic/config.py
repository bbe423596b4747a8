"""Every setting in one place: defaults, then a TOML file, then SYNDIC_* variables.

The file is `$SYNDIC_CONFIG`, else `syndic.toml` in the user's config
directory. Environment variables win over the file so a test or a container
can change one setting without writing files. Unknown keys in the file are an
error: a misspelt setting that silently does nothing is worse than a crash.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from syndic.errors import ConfigError
from syndic.net import Limits, NetSettings
from syndic.net.guard import parse_networks

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

APP_NAME = "syndic"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


@dataclass(frozen=True)
class Settings:
    """What a syndic process needs to know; build with `load_settings()`."""

    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str = ""
    allow_networks: tuple[Network, ...] = ()
    site_config_dir: Path | None = None
    user_agent: str = ""
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    max_body_bytes: int = 10 * 1024 * 1024
    per_host_concurrency: int = 2
    min_host_interval: float = 0.5
    max_connections: int = 100
    respect_robots: bool = True
    min_poll_interval_s: int = 5 * 60
    max_poll_interval_s: int = 24 * 3600
    extract_workers: int = 0  # 0: one process per core
    max_extract_attempts: int = 3  # tries of one entry's page before it is given up (syndic/retry.py)
    extract_retry_backoff_s: float = 300.0  # a failed entry is tried again after about this; doubles each time
    extract_retry_backoff_max_s: float = 6 * 3600.0  # … up to this
    log_level: str = "WARNING"  # DEBUG, INFO, WARNING, ERROR
    log_format: str = "text"  # text, or json: one JSON object per line with the record's fields
    max_crawl_delay_s: float = 30.0  # a robots.txt Crawl-delay is obeyed up to this
    # WebSub: hubs reach the callback at public_url + /websub/{feed id}; empty turns push off
    public_url: str = ""
    websub_lease_s: int = 10 * 24 * 3600  # the lease asked for; the hub decides
    pushed_poll_interval_s: int = 12 * 3600  # a feed with a live push subscription is polled this rarely
    # the cluster (Celery workers, beat): see run/distributed.py
    broker_url: str = ""  # amqp://… (RabbitMQ) or redis://…; required by `syndic worker` and `syndic beat`
    task_queue: str = "syndic"  # the queue the tasks go through (one per cluster sharing a broker)
    task_soft_time_limit_s: int = 300  # a task still running after this is stopped and recorded as failed
    task_time_limit_s: int = 360  # … and its process killed after this (the message is delivered again)
    task_max_retries: int = 8  # a task that raises (database down, a bug) is retried this often, then given up
    task_retry_backoff_s: float = 2.0  # first retry after about this; doubles each time (with jitter)
    task_retry_backoff_max_s: float = 300.0  # … up to this
    broker_visibility_timeout_s: int = 900  # Redis: an unacknowledged task is delivered again after this
    schedule_interval_s: float = 30.0  # how often `syndic beat` enqueues due feeds, campaigns and retries
    claim_stale_after_s: int = 1800  # an enqueued piece of work not done after this is enqueued again
    worker_shutdown_timeout_s: float = 60.0  # on SIGTERM running tasks get this long, then go back to the queue
    # Full-Text RSS endpoints (makefulltextfeed.php, extract.php), as FTR's config.php has them
    ftr_access: str = "keys"  # keys: a key, token or login is needed; public: anyone
    ftr_allowed_urls: tuple[str, ...] = ()  # parts of URLs served; when set, nothing else is
    ftr_blocked_urls: tuple[str, ...] = ()  # parts of URLs refused (ignored when ftr_allowed_urls is set)
    ftr_default_items: int = 5  # items processed without a key when the request gives no max
    ftr_max_items: int = 10  # the cap on max without a key
    ftr_default_items_with_key: int = 5
    ftr_max_items_with_key: int = 10
    ftr_cache_minutes: int = 10  # how long answers and pages are served from the cache
    ftr_error_message: str = "[unable to retrieve full-text content]"  # an item whose page failed
    ftr_cors: bool = False  # send Access-Control-Allow-Origin: * (browser scripts on other sites)
    # the reading apps' APIs (web/readerapi): off until the operator turns them on
    greader_api: bool = False  # Google Reader API at /api/greader, /api/greader.php and /reader/api/0
    fever_api: bool = False  # Fever API at /fever/?api

    def websub_enabled(self) -> bool:
        return bool(self.public_url)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'syndic.db'}"

    def resolved_site_config_dir(self) -> Path:
        return self.site_config_dir or self.data_dir / "site-config"


_ENV_PREFIX = "SYNDIC_"


def _coerce(name: str, raw: Any, current: Any) -> Any:
    if name == "allow_networks":
        if isinstance(raw, list):
            raw = ",".join(str(x) for x in raw)
        return parse_networks(str(raw))
    if isinstance(current, tuple):
        items = raw if isinstance(raw, list) else str(raw).split(",")
        return tuple(str(x).strip() for x in items if str(x).strip())
    if name in ("data_dir", "site_config_dir"):
        return Path(str(raw)).expanduser() if raw not in ("", None) else None
    if isinstance(current, bool):
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("1", "true", "yes", "on")
    try:
        if isinstance(current, int):
            return int(raw)
        if isinstance(current, float):
            return float(raw)
    except ValueError as exc:
        raise ConfigError(f"setting {name}: {raw!r} is not a number") from exc
    return str(raw)


def load_settings(env: dict[str, str] | None = None, config_file: Path | None = None) -> Settings:
    """Defaults ← TOML file ← environment."""
    env = dict(os.environ) if env is None else env
    settings = Settings()
    names = {f.name for f in fields(Settings)}
    path = config_file or (Path(env["SYNDIC_CONFIG"]) if env.get("SYNDIC_CONFIG") else None)
    if path is None:
        candidate = Path(platformdirs.user_config_dir(APP_NAME)) / "syndic.toml"
        path = candidate if candidate.exists() else None
    values: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        for key, raw in data.items():
            if key not in names:
                raise ConfigError(f"{path}: unknown setting {key!r}")
            values[key] = raw
    for key, raw in env.items():
        if key.startswith(_ENV_PREFIX) and key != "SYNDIC_CONFIG":
            name = key[len(_ENV_PREFIX):].lower()
            if name in names:
                values[name] = raw
    coerced = {k: _coerce(k, v, getattr(settings, k)) for k, v in values.items()}
    coerced = {k: v for k, v in coerced.items() if not (v is None and k == "data_dir")}
    result = replace(settings, **coerced)
    _check_public_url(result.public_url)
    _check_ftr(result)
    return result


def _check_public_url(url: str) -> None:
    """A hub must be able to call us back there: an absolute http(s) URL without query or fragment."""
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"setting public_url: {url!r} is not an absolute http(s) URL without query or fragment")


FTR_ACCESS_MODES = ("keys", "public")


def ftr_problem(access: str, counts: dict[str, int]) -> str | None:
    """What is wrong with these Full-Text RSS options, or None.

    The rules live here, with the settings they check, and
    `syndic.publish.ftr.access.FtrOptions` applies the same function: one
    rule for a setting read from the environment and for options built in code.
    """
    if access not in FTR_ACCESS_MODES:
        return f"ftr_access must be one of {', '.join(FTR_ACCESS_MODES)}, not {access!r}"
    for name, value in counts.items():
        if value < 1:
            return f"ftr_{name} must be at least 1"
    return None


def _check_ftr(settings: Settings) -> None:
    """The Full-Text RSS options must make sense together (`ftr_problem`)."""
    problem = ftr_problem(settings.ftr_access, {
        "default_items": settings.ftr_default_items, "max_items": settings.ftr_max_items,
        "default_items_with_key": settings.ftr_default_items_with_key,
        "max_items_with_key": settings.ftr_max_items_with_key,
    })
    if problem:
        raise ConfigError(f"setting {problem}")


def net_settings(settings: Settings) -> NetSettings:
    """The network settings a Settings asks for (the pipeline's client and the publish senders' alike)."""
    base = NetSettings(user_agent=settings.user_agent) if settings.user_agent else NetSettings()
    return replace(
        base,
        limits=Limits(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            total_timeout=settings.total_timeout,
            max_redirects=settings.max_redirects,
            max_body_bytes=settings.max_body_bytes,
        ),
        allow_networks=settings.allow_networks,
        per_host_concurrency=settings.per_host_concurrency,
        min_host_interval=settings.min_host_interval,
        max_connections=settings.max_connections,
        max_crawl_delay=settings.max_crawl_delay_s,
    )
