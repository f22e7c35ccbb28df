"""person_claims: claims by and about each person in the news line's order, kept on
ingest (claimdesk.store.summaries), so that a page of anyone's claims, the most quoted
included, is one range of an index. Filled here from the stored articles (latest versions).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# A new table only, created in place (never Alembic's batch mode on SQLite).


def upgrade() -> None:
    from claimdesk.store import summaries

    op.create_table(
        "person_claims",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("day", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("doc_pk", "seq", "kind", "name", name="pk_person_claims"),
    )
    summaries.backfill_claims(op.get_bind())
    # the paging index after the rows: one sort instead of 3 million ordered inserts
    op.create_index("ix_person_claims_page", "person_claims",
                    ["kind", "name", "day", "ingested_at", "doc_pk", sa.text("seq DESC")])


def downgrade() -> None:
    op.drop_index("ix_person_claims_page", table_name="person_claims")
    op.drop_table("person_claims")
