"""Signals (issue 17): the language a document is in, as identified from its text, with the
identifier's confidence, beside the one its source declared; and each claim's confidence.

- ``documents.language`` keeps its meaning for readers: the language the document is in.
  Rows stored before 0015 hold the declared language there, as before.
- ``documents.language_declared``: what the page, feed or export said (``<html lang>``,
  ``Content-Language``, a feed's language, a JSONL field); evidence, not the answer.
- ``documents.language_confidence``: the identifier's confidence in ``language`` (0-1).
- ``claims.confidence``: how sure the taggers are of the claim (0-1).

All null in rows stored before this revision.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


# Added in place, never through Alembic's batch mode (see 0003).


def upgrade() -> None:
    op.add_column("documents", sa.Column("language_declared", sa.Text(), nullable=True))
    op.add_column("documents", sa.Column("language_confidence", sa.Float(), nullable=True))
    op.add_column("claims", sa.Column("confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("claims", "confidence")
    op.drop_column("documents", "language_confidence")
    op.drop_column("documents", "language_declared")
