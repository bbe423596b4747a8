"""The store: one schema on SQLite (default) or PostgreSQL, chosen by URL.

Open it with `open_store(url)`; reads and writes are functions in
`store.feeds`, `store.entries`, `store.articles` and `store.search`.
"""

from syndic.store.database import Store, create_store_engine, migrate, open_store
from syndic.store.search import SearchHit, search

__all__ = ["SearchHit", "Store", "create_store_engine", "migrate", "open_store", "search"]
