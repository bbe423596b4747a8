"""Fixtures shared by every test folder: stores on both engines and a local HTTP server.

PostgreSQL: the machine runs one on 127.0.0.1:5432 (trust auth). Each test
session creates its own database and drops it at the end. Where no server is
reachable the PostgreSQL cases skip saying why — except under CI=true, where
they fail, because CI must exercise both engines.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from syndic.store import Store, open_store
from syndic.store.schema import metadata

PG_ADMIN_URL = os.environ.get("SYNDIC_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")


def _postgres_or_skip() -> str:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required under CI=true: {exc}")
        pytest.skip(f"no PostgreSQL reachable at {PG_ADMIN_URL}: {exc}")
    finally:
        engine.dispose()
    return PG_ADMIN_URL


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session."""
    admin_url = _postgres_or_skip()
    name = f"syndic_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    open_store(url).close()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(store: Store) -> None:
    names = ", ".join(f'"{t.name}"' for t in reversed(metadata.sorted_tables))
    with store.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        store = open_store(f"sqlite:///{tmp_path / 'syndic.db'}")
    else:
        store = open_store(request.getfixturevalue("postgres_url"), run_migrations=False)
        _truncate_all(store)
    yield store
    store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'syndic.db'}")
    yield store
    store.close()


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LocalSite:
    """A real HTTP server on 127.0.0.1 serving routes a test sets (and counting hits)."""

    base_url: str
    routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], Route]]
    hits: dict[str, int]

    def url(self, path: str) -> str:
        return self.base_url + path

    def serve(self, path: str, body: bytes, status: int = 200, content_type: str = "text/html",
              **headers: str) -> None:
        """Answer GET `path` with this response (header names: underscores become dashes)."""
        extra = {k.replace("_", "-"): v for k, v in headers.items()}
        self.routes[path] = Route(status, body, {"Content-Type": content_type, **extra})

    def serve_slowly(self, path: str, body: bytes, delay: float, content_type: str = "text/html") -> None:
        """Answer GET `path` after `delay` seconds (a slow origin)."""
        route = Route(200, body, {"Content-Type": content_type})

        def answer(_handler: BaseHTTPRequestHandler) -> Route:
            time.sleep(delay)
            return route

        self.routes[path] = answer


@pytest.fixture
def local_site() -> Iterator[LocalSite]:
    routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], Route]] = {}
    hits: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path
            hits[path] = hits.get(path, 0) + 1
            route = routes.get(path)
            if callable(route):
                route = route(self)
            if route is None:
                route = Route(404, b"not found", {"Content-Type": "text/plain"})
            self.send_response(route.status)
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalSite(f"http://127.0.0.1:{server.server_address[1]}", routes, hits)
    finally:
        server.shutdown()
        server.server_close()
