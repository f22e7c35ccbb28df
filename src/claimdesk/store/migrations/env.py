"""Alembic environment: runs on the connection the Store hands over.

``claimdesk.store.migrate`` builds the Alembic config in code and passes its
open connection in ``config.attributes["connection"]``; with a ``sqlalchemy.url``
main option instead, a connection is opened here (for running Alembic by hand).
"""

from alembic import context
from sqlalchemy import create_engine

from claimdesk.store.schema import Base

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("claimdesk migrations run online only (the full-text part depends on the dialect)")
run_migrations_online()
