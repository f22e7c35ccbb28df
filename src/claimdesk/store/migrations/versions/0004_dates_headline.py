"""Dates and the headline check of each document, stored with it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dates",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("earliest", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["doc_pk"], ["documents.pk"], name="fk_dates_doc_pk_documents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_pk", "seq", name="pk_dates"),
    )
    op.create_table(
        "headline_checks",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.Text(), nullable=False),
        sa.Column("stance", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["doc_pk"], ["documents.pk"], name="fk_headline_checks_doc_pk_documents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_pk", name="pk_headline_checks"),
    )
    op.create_index("ix_headline_checks_verdict", "headline_checks", ["verdict"])
    op.create_table(
        "headline_reasons",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),  # [[start, end], ...] into the document text
        sa.ForeignKeyConstraint(["doc_pk"], ["documents.pk"], name="fk_headline_reasons_doc_pk_documents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_pk", "seq", name="pk_headline_reasons"),
    )


def downgrade() -> None:
    op.drop_table("headline_reasons")
    op.drop_index("ix_headline_checks_verdict", table_name="headline_checks")
    op.drop_table("headline_checks")
    op.drop_table("dates")
