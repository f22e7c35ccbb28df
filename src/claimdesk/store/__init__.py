"""Storage: the only part of claimdesk that knows SQL (SQLite by default, PostgreSQL for teams)."""

from claimdesk.store.store import AmbiguousId, Store, default_db_url

__all__ = ["AmbiguousId", "Store", "default_db_url"]
