"""Claims and entities of each document, stored with it.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=False),
        sa.Column("cue_end", sa.Integer(), nullable=False),
        sa.Column("content_start", sa.Integer(), nullable=False),
        sa.Column("content_end", sa.Integer(), nullable=False),
        sa.Column("hedge", sa.Text(), nullable=False),
        sa.Column("medium_start", sa.Integer(), nullable=True),
        sa.Column("medium_end", sa.Integer(), nullable=True),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["doc_pk"], ["documents.pk"], name="fk_claims_doc_pk_documents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_pk", "seq", name="pk_claims"),
    )
    op.create_index("ix_claims_speaker", "claims", ["speaker"])
    # the same expression on both dialects: lower(speaker) = lower(:name) can use it
    op.create_index("ix_claims_speaker_lower", "claims", [sa.text("lower(speaker)")])

    op.create_table(
        "entities",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["doc_pk"], ["documents.pk"], name="fk_entities_doc_pk_documents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_pk", "seq", name="pk_entities"),
    )
    op.create_index("ix_entities_canonical", "entities", ["canonical"])


def downgrade() -> None:
    op.drop_index("ix_entities_canonical", table_name="entities")
    op.drop_table("entities")
    op.drop_index("ix_claims_speaker_lower", table_name="claims")
    op.drop_index("ix_claims_speaker", table_name="claims")
    op.drop_table("claims")
