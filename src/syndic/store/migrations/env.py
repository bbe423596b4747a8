"""Alembic environment: runs on the connection `syndic.store` hands over.

syndic never reads an alembic.ini; `syndic.store.migrate` builds the config in
code and passes its open connection in `config.attributes["connection"]`.
"""

from __future__ import annotations

from alembic import context

from syndic.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs `alembic` by hand
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
