"""The settings of the HTTP app, as one frozen value passed to `create_app`.

The CLI (`syndic serve`) builds a `WebSettings` from the config file and the
environment; tests build one directly. Nothing in `web/` reads the
environment itself, so two apps with different settings can live in one
process (the tests do that).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebSettings:
    """How the web reader and the API behave.

    secure_cookies: send cookies with `Secure` (set it whenever syndic is
        served behind TLS; browsers then never send them over plain HTTP).
    session_lifetime_seconds: how long a login lasts.
    login_attempts / login_window_seconds: failed logins one (user name,
        client address) pair gets before each further try waits twice as
        long as the last, up to the window (web/ratelimit.py).
    public_feeds_allowed: when False, feeds and campaigns marked public are
        still served only to logged-in users (a kill switch).
    page_size: entries per page in the reader.
    api_max_limit: the largest `limit` an API client may ask for.
    max_push_bytes: the largest WebSub content distribution accepted.
    greader_api / fever_api: serve the Google Reader / Fever API to users
        who have set an API password (off: those URLs answer 404).
    """

    secure_cookies: bool = False
    session_lifetime_seconds: int = 14 * 24 * 3600
    login_attempts: int = 5
    login_window_seconds: int = 300
    public_feeds_allowed: bool = True
    page_size: int = 50
    api_max_limit: int = 200
    site_title: str = "syndic"
    max_push_bytes: int = 10 * 1024 * 1024
    greader_api: bool = False
    fever_api: bool = False
