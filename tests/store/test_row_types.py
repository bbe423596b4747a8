"""The store hands back typed rows (syndic.types), never SQLAlchemy rows or Any.

A row type's fields are its table's columns in the table's order: the store
builds rows positionally (`from_row`), so a column added, renamed or moved
without its field would silently shift values. The walk over the store
modules' public functions keeps `Row`/`Any` returns from creeping back.
"""

from __future__ import annotations

import collections.abc
import importlib
import inspect
import pkgutil
import typing
from dataclasses import FrozenInstanceError, fields
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Row, RowMapping, Table

import syndic.accounts
import syndic.library
import syndic.run
import syndic.store
from syndic import types
from syndic.store import articles, claims, entries, feeds, hosts, schema, websub

ROW_TYPES: list[tuple[type[Any], Table]] = [
    (types.Feed, schema.feeds),
    (types.Entry, schema.entries),
    (types.StoredArticle, schema.articles),
    (types.ArticleRevision, schema.article_revisions),
    (types.Story, schema.stories),
]

STORE_MODULES = [
    importlib.import_module(f"syndic.store.{m.name}")
    for m in pkgutil.iter_modules(syndic.store.__path__) if m.name != "migrations"
]

ABOVE_THE_STORE = [
    importlib.import_module(m.name)
    for package in (syndic.run, syndic.library, syndic.accounts)
    for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
]
"""What hands the store's rows on (the pipeline, the library facade, accounts): no Row or Any comes out either.
publish/ is not here yet: its campaign runner and documents still pass joined rows between their own
functions as mappings (publish.runner.choose_per_story, publish.outputs.one_per_story)."""

RETURNS_SQL = {"syndic.store.views.state_columns"}
"""Functions whose `Any` is SQL column expressions for a query (not rows); none hands a row out."""


def test_listed_entry_fields_are_its_query_columns() -> None:
    assert [f.name for f in fields(entries.ListedEntry)] == [c.name for c in entries.LISTED_COLUMNS]


@pytest.mark.parametrize(("row_type", "table"), ROW_TYPES, ids=lambda v: getattr(v, "__name__", ""))
def test_row_type_fields_are_the_table_columns_in_order(row_type: type[Any], table: Table) -> None:
    assert [f.name for f in fields(row_type)] == [c.name for c in table.columns]
    assert row_type.__dataclass_params__.frozen  # type: ignore[attr-defined]


def _mentions_row_or_any(hint: Any) -> bool:
    """Row anywhere, or Any as the value or an element of it; a JSON object's values (dict[str, Any]) may be Any."""
    if hint is Any or hint in (Row, RowMapping):
        return True
    origin = typing.get_origin(hint)
    if origin in (Row, RowMapping):
        return True
    if origin in (dict, collections.abc.Mapping):
        return _mentions_row_or_any(typing.get_args(hint)[0])
    return any(_mentions_row_or_any(arg) for arg in typing.get_args(hint))


def _public_functions(module: ModuleType) -> list[tuple[str, Any]]:
    """The module's own public functions, and the public methods of its own classes."""
    found: list[tuple[str, Any]] = []
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value) and f"{module.__name__}.{name}" not in RETURNS_SQL:
            found.append((name, value))
        elif inspect.isclass(value):
            found += [(f"{name}.{attr}", method) for attr, method in vars(value).items()
                      if not attr.startswith("_") and inspect.isfunction(method)]
    return found


def test_the_walk_covers_the_store_modules_that_hand_out_rows() -> None:
    assert {feeds, entries, articles, websub, hosts, claims} <= set(STORE_MODULES)


@pytest.mark.parametrize("module", STORE_MODULES + ABOVE_THE_STORE, ids=lambda m: m.__name__)
def test_store_functions_return_no_rows_and_no_any(module: ModuleType) -> None:
    functions = _public_functions(module)
    offending = {
        name: typing.get_type_hints(function).get("return")
        for name, function in functions
        if _mentions_row_or_any(typing.get_type_hints(function).get("return"))
    }
    assert offending == {}


def test_rows_read_back_typed_and_frozen(sqlite_store: syndic.store.Store) -> None:
    """`from_row` skips the dataclass __init__ for speed; what it builds is the same value, and still frozen."""
    feed_id = feeds.add_feed(sqlite_store, "https://example.com/feed.xml", title="Example")
    entries.upsert_entries(sqlite_store, feed_id, [types.ParsedEntry(
        guid="a", link="https://example.com/a", title="A", authors=("Ann",),
        categories=(types.Category("news"),), enclosures=(types.Enclosure("https://example.com/a.mp3", "audio/mpeg", 7),),
    )])
    feed = feeds.get_feed(sqlite_store, feed_id)
    assert feed is not None and feed.title == "Example" and feed.created_at.tzinfo is not None
    assert feed == types.Feed(**{f.name: getattr(feed, f.name) for f in fields(types.Feed)})
    (entry,) = entries.pending_entries(sqlite_store)
    assert entry.authors == ("Ann",) and entry.categories == ("news",)
    assert entry.enclosures == (types.Enclosure("https://example.com/a.mp3", "audio/mpeg", 7),)
    with pytest.raises(FrozenInstanceError):
        entry.title = "B"  # type: ignore[misc]
    with pytest.raises(ValueError, match="zip"):
        types.Story.from_row((1, None, "too short"))
