"""Bring a database to the latest schema with Alembic, configured in code (no alembic.ini)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(connection: Connection) -> frozenset[str]:
    return frozenset(MigrationContext.configure(connection).get_current_heads())


def upgrade(engine: Engine, write_connection) -> bool:
    """Upgrade to head unless already there; True when migrations ran.

    The check is a plain read, so opening an up-to-date store costs one query.
    ``write_connection`` opens a connection holding the write lock (BEGIN IMMEDIATE
    on SQLite, an advisory lock on PostgreSQL): two processes opening a fresh
    database at once then migrate one after the other, and the second finds it done.
    """
    with engine.connect() as connection:
        if current_revisions(connection) == head_revisions():
            return False
    with write_connection() as connection:
        if current_revisions(connection) == head_revisions():
            return False
        command.upgrade(alembic_config(connection), "head")
        return True
