"""person_counts: per-person counts kept on ingest (claimdesk.store.summaries), so a
speaker or entity page summarises tens of thousands of claims from a few hundred rows.
Filled here from the stored articles (latest versions).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# A new table only, created in place (never Alembic's batch mode on SQLite).


def upgrade() -> None:
    from claimdesk.store import summaries

    op.create_table(
        "person_counts",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "name", "month", "detail", name="pk_person_counts"),
    )
    op.create_index("ix_person_counts_kind_lower_name", "person_counts", ["kind", sa.text("lower(name)")])
    summaries.backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_person_counts_kind_lower_name", table_name="person_counts")
    op.drop_table("person_counts")
