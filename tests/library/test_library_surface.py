"""The library's public surface is its documentation: every public method is documented and typed.

Walks `syndic.Syndic` and every area it exposes (whatever areas exist: a
new one is covered without editing this test).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, get_type_hints

import pytest

import syndic
from syndic.library import Syndic


def _areas(tmp_path: Path) -> dict[str, type]:
    with syndic.open(database_url=f"sqlite:///{tmp_path / 'surface.db'}") as s:
        return {name: type(value) for name, value in vars(s).items()
                if not name.startswith("_") and type(value).__module__.startswith("syndic.library.")}


def _public_callables(cls: type) -> list[tuple[str, Any]]:
    return [(name, member) for name, member in inspect.getmembers(cls)
            if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))]


def test_syndic_opens_with_the_expected_areas(tmp_path: Path) -> None:
    areas = _areas(tmp_path)
    assert {"feeds", "entries", "stories", "reading", "accounts", "campaigns", "documents", "extraction"} <= set(areas)
    assert syndic.open is syndic.library.open and syndic.Syndic is Syndic


def test_every_public_method_is_documented_and_typed(tmp_path: Path) -> None:
    classes = {"Syndic": Syndic, **_areas(tmp_path)}
    problems: list[str] = []
    for area, cls in classes.items():
        if not (cls.__doc__ or "").strip():
            problems.append(f"{area}: class without a docstring")
        for name, member in _public_callables(cls):
            function = member.fget if isinstance(member, property) else member
            where = f"{area}.{name}"
            if not (function.__doc__ or "").strip():
                problems.append(f"{where}: no docstring")
            hints = get_type_hints(function)
            if "return" not in hints:
                problems.append(f"{where}: no return type")
            for parameter in inspect.signature(function).parameters.values():
                if parameter.name not in ("self", "cls") and parameter.name not in hints:
                    problems.append(f"{where}: parameter {parameter.name} has no type")
    assert problems == []


def test_the_store_opened_by_the_library_is_closed_with_it_and_a_handed_over_one_is_not(tmp_path: Path) -> None:
    from syndic.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'handed.db'}")
    with Syndic.over(store) as library:
        assert library.store is store
    with store.engine.connect() as conn:  # still usable: the library did not own it
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    store.close()
    with pytest.raises(TypeError):
        Syndic.over(object())
