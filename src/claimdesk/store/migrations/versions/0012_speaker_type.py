"""claims.speaker_type (person, organisation, group, medium, unnamed, unresolved) and
claims.target_start / target_end (who a claim accuses or criticises); null in rows
stored before this revision and where a claim has no source or no target.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# Added in place, never through Alembic's batch mode (see 0003).


def upgrade() -> None:
    op.add_column("claims", sa.Column("speaker_type", sa.Text(), nullable=True))
    op.add_column("claims", sa.Column("target_start", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("target_end", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("claims", "target_end")
    op.drop_column("claims", "target_start")
    op.drop_column("claims", "speaker_type")
