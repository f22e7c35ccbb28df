"""Whether an extractor already chose a document's text (RawDocument.extracted).

The cleaner decides how strictly to clean from it; before this it guessed from the
container format, which misjudged JSONL records carrying HTML and whole-page fallbacks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# Altered in place, never through Alembic's batch mode: on SQLite that recreates the
# table, and with foreign keys on, dropping the old table cascades to every range.


def upgrade() -> None:
    op.add_column("documents", sa.Column("extracted", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("documents", "extracted")  # SQLite 3.35+ drops a column in place
