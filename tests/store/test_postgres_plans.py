"""PostgreSQL plans the near-duplicate lookup for its parameters every time, never with a generic plan.

psycopg prepares a statement on the server after five runs; PostgreSQL may
then switch to a generic plan chosen while the table was small and keep it
as the table grows. That made in-process PostgreSQL a third as fast as it
should be. The store asks for custom plans on every connection.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select, text

from syndic.store import open_store
from syndic.store.schema import article_bands


def _lookup_plans(url: str) -> tuple[int, int]:
    """Run the candidate lookup's shape 12 times on one connection; (generic, custom) plans used."""
    store = open_store(url, run_migrations=False)
    rng = random.Random(5)
    try:
        with store.engine.connect() as connection:
            for _ in range(12):
                keys = [rng.getrandbits(62) for _ in range(59)]
                connection.execute(
                    select(article_bands.c.article_id)
                    .where(article_bands.c.band_key.in_(keys), article_bands.c.article_id != 7)
                    .distinct().limit(50)
                ).all()
            row = connection.execute(text(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE '%FROM article_bands%band_key IN%'"
            )).one()
            return int(row[0]), int(row[1])
    finally:
        store.close()


def test_the_band_lookup_is_never_planned_generically(postgres_url: str) -> None:
    generic, custom = _lookup_plans(postgres_url)
    assert custom >= 7 and generic == 0  # prepared (psycopg) yet planned for each run's keys


def test_without_the_setting_postgres_would_go_generic(postgres_url: str) -> None:
    """The control: the same statement with PostgreSQL's default goes generic after five runs."""
    generic, _custom = _lookup_plans(postgres_url + "?options=-c%20plan_cache_mode%3Dauto")
    assert generic > 0


def test_the_band_lookup_uses_its_index_even_without_statistics(postgres_url: str) -> None:
    """With no ANALYZE yet (a new database, autovacuum off) PostgreSQL would scan article_band for
    every article written; the write path's transaction plans its lookups on the index instead."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from syndic.store.articles import _CANDIDATES, _index_lookups_only
    from syndic.store.schema import articles

    store = open_store(postgres_url, run_migrations=False)
    rng = random.Random(9)
    keys = [rng.getrandbits(62) for _ in range(59)]
    now = datetime(2026, 11, 30, tzinfo=UTC)

    def plan(connection: Any) -> str:
        statement = _CANDIDATES.params(keys=keys, self_id=0)  # the write path's own statement
        sql = str(statement.compile(connection.engine, compile_kwargs={"literal_binds": True}))
        return "\n".join(r[0] for r in connection.exec_driver_sql("EXPLAIN " + sql))

    try:
        with store.engine.connect() as connection, connection.begin() as transaction:
            article = connection.execute(insert(articles).values(
                url="http://x.example/1", url_key="https://x.example/1", created_at=now, updated_at=now,
            )).inserted_primary_key[0]
            connection.exec_driver_sql(
                f"INSERT INTO article_bands (band_key, article_id) SELECT g, {int(article)} FROM generate_series(1, 2000000) g"
            )
            connection.exec_driver_sql("DELETE FROM pg_statistic WHERE starelid = 'article_bands'::regclass")
            # the control: what PostgreSQL picks alone at this size (2 million band rows ≈ 35,000 articles)
            assert "Seq Scan on article_bands" in plan(connection)
            _index_lookups_only(connection)
            guided = plan(connection)
            assert "Seq Scan" not in guided and "Index" in guided and "Gather" not in guided
            transaction.rollback()
    finally:
        store.close()
