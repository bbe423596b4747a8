"""Opening a store: the engine, its pragmas, and migrations to the newest schema.

`open_store(url)` is the only way the rest of syndic gets a database. It
creates the SQLite file's folder, turns on WAL (readers never block the one
writer), foreign keys and a busy timeout, and runs Alembic to the newest
revision, so a store opened anywhere is always the current schema.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError, StatementError
from sqlalchemy.pool import NullPool

from syndic.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")

P = ParamSpec("P")
R = TypeVar("R")


def describe_db_error(exc: BaseException) -> str:
    """The database's own one-line reason, without the statement or its parameters.

    SQLAlchemy's message repeats the SQL and the bound values; those can hold
    a password hash or a whole article, and belong in the debug log, not in
    an error shown to a user or stored on an item.
    """
    cause = exc.orig if isinstance(exc, DBAPIError | StatementError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else ''}".rstrip(": ")


_V = TypeVar("_V")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: _V) -> _V:
    """`value` with what no database column can hold made harmless, recursively (lists, tuples, dicts).

    A lone surrogate (a JSON feed may escape one: "\\ud800") cannot be
    encoded as UTF-8 and NUL is refused by PostgreSQL text: each becomes
    U+FFFD, so the item is stored with one visible mark instead of lost.
    """
    result: object = value
    if isinstance(value, str):
        result = _UNSTORABLE.sub("\ufffd", value) if _UNSTORABLE.search(value) else value
    elif isinstance(value, list | tuple):
        result = type(value)(storable(v) for v in value)
    elif isinstance(value, dict):
        result = {storable(k): storable(v) for k, v in value.items()}
    return result  # type: ignore[return-value]  # the same type as went in


def store_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Make a store function raise `StoreError` (syndic's tree) instead of a driver's exception.

    Callers of the store catch one class; the original stays chained as
    `__cause__` for the log's traceback. OverflowError is included: SQLite
    raises it for an integer beyond 64 bits.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (SQLAlchemyError, OverflowError) as exc:
            raise StoreError(f"{func.__name__.replace('_', ' ')}: {describe_db_error(exc)}") from exc

    return wrapper


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    """An Engine for `url` with syndic's settings for its dialect."""
    parsed = make_url(url)
    if parsed.drivername.startswith("postgresql") and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, poolclass=NullPool if not database else None)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(_with_custom_plans(parsed), pool_pre_ping=True, pool_size=10, max_overflow=20)


def _with_custom_plans(url: URL) -> URL:
    """PostgreSQL connections that plan every execution of a prepared statement for its parameters.

    psycopg prepares a statement on the server once it has run five times,
    and PostgreSQL may then settle on a generic plan, chosen without the
    parameters' values and kept while the table grows. For the near-duplicate
    lookup (`band_key IN (…59 keys…)`) that plan was the bottleneck: one
    backend at 93 % of a core and a third of the throughput. Custom plans
    cost a few hundred microseconds of planning per query and keep the
    lookup an index scan whatever the table's size. An `options` already in
    the URL comes last, so an operator can still override it.
    """
    custom = "-c plan_cache_mode=force_custom_plan"
    given = url.query.get("options")
    options = f"{custom} {given}" if isinstance(given, str) and given else custom
    return url.update_query_dict({"options": options})


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema revision (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"migrating {engine.url.render_as_string(hide_password=True)}: {exc}") from exc


@dataclass
class Store:
    """A migrated database.

    Reads and writes are functions in the sibling modules (`store.feeds`,
    `store.entries`, `store.articles`, `store.search`) taking the store first,
    so each stage's queries sit together and this class stays small.
    """

    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True


def open_store(url: str, *, run_migrations: bool = True) -> Store:
    """Open (and by default migrate) the store at an SQLAlchemy URL."""
    try:
        engine = create_store_engine(url)
    except (SQLAlchemyError, ValueError) as exc:
        raise StoreError(f"cannot open store {url!r}: {exc}") from exc
    if run_migrations:
        migrate(engine)
    return Store(engine)
