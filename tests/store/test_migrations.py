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


def test_0012_keeps_everyones_read_state_and_gives_old_tokens_an_owner(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Single-tenant read/starred flags become every user's own; ownerless tokens go to the first admin."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from syndic.store.database import MIGRATIONS, migrate

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0011")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, username, password_hash, is_admin, created_at) VALUES "
                          "(1, 'reader', 'x', 0, '2026-01-01 00:00:00'), (2, 'boss', 'x', 1, '2026-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO feeds (id, url, state, error_count, public, created_at) "
                          "VALUES (1, 'http://f.example/', 'ok', 0, 0, '2026-01-01 00:00:00')"))
        conn.execute(text(
            "INSERT INTO entries (id, feed_id, key, authors, categories, enclosures, first_seen_at, extract_state, "
            "extract_attempts, read, starred) VALUES "
            "(1, 1, 'a', '[]', '[]', '[]', '2026-01-01 00:00:00', 'done', 0, 1, 0),"
            "(2, 1, 'b', '[]', '[]', '[]', '2026-01-01 00:00:00', 'done', 0, 0, 1),"
            "(3, 1, 'c', '[]', '[]', '[]', '2026-01-01 00:00:00', 'done', 0, 0, 0)"))
        conn.execute(text("INSERT INTO api_tokens (name, token_hash, created_at) VALUES ('old', 'h', '2026-01-01 00:00:00')"))
    migrate(engine)
    with engine.connect() as conn:
        states = set(conn.execute(text("SELECT user_id, entry_id, read, starred FROM entry_states")).all())
        assert states == {(1, 1, 1, 0), (2, 1, 1, 0), (1, 2, 0, 1), (2, 2, 0, 1)}
        assert conn.execute(text("SELECT user_id, scopes FROM api_tokens")).one() == (2, "read write")
    engine.dispose()
