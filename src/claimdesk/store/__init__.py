"""Storage: the only part of claimdesk that knows SQL (SQLite by default, PostgreSQL for teams)."""

from claimdesk.store.speakers import SpeakerEditError
from claimdesk.store.store import AmbiguousId, SpeakerDetail, Store, default_db_url

__all__ = ["AmbiguousId", "SpeakerDetail", "SpeakerEditError", "Store", "default_db_url"]
