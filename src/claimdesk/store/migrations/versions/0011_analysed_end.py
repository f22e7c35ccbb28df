"""documents.analysed_end: where analysis stopped in a document longer than it reads
(``claimdesk.analyze.parse.ANALYSIS_LIMIT``); null when it read the whole document.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


# Added in place, never through Alembic's batch mode (see 0003).


def upgrade() -> None:
    op.add_column("documents", sa.Column("analysed_end", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("documents", "analysed_end")
