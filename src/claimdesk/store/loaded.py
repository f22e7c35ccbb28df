"""What ``claimdesk load`` needs of the store beyond what ingest uses.

Articles load through ``Store.add`` like any ingest (a duplicate text changes nothing), so
loading is idempotent for them already. Errors are not: ``Store.record_error`` keeps every
report, as a second ingest run that fails again did fail again. A Spark run's error rows
describe the run, not the load, so loading the run again must not repeat them.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import insert, select

from claimdesk.model import IngestError
from claimdesk.store.schema import ingest_errors


class ErrorLog:
    """The store's errors, each (input, cause) kept once: the stored ones are read once, at the start."""

    def __init__(self, store):
        self._store = store
        with store._reading() as connection:
            self._seen = {tuple(row) for row in connection.execute(select(ingest_errors.c.input, ingest_errors.c.cause))}

    def record_once(self, error: IngestError) -> bool:
        """Keep the error unless the store has one with the same input and cause; True when kept."""
        if (error.input, error.cause) in self._seen:
            return False
        at = (error.at or datetime.now(timezone.utc)).isoformat()
        with self._store._writing() as connection:
            connection.execute(insert(ingest_errors), {"input": error.input, "cause": error.cause, "at": at})
        self._seen.add((error.input, error.cause))
        return True
