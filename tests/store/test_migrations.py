"""The migrations build the schema the code declares: no column the code uses is missing from a real database."""

from __future__ import annotations

from sqlalchemy import inspect

from syndic.store import Store
from syndic.store.schema import metadata


def test_every_declared_table_and_column_exists_after_migrating(any_store: Store) -> None:
    inspector = inspect(any_store.engine)
    existing = set(inspector.get_table_names())
    missing_tables = {t.name for t in metadata.sorted_tables} - existing
    assert not missing_tables
    for table in metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        declared = {c.name for c in table.columns}
        assert declared <= columns, f"{table.name}: no migration adds {sorted(declared - columns)}"
