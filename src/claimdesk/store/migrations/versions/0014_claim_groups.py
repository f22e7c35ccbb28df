"""Claim groups: ``claim_index`` (each claim's embedding and the group it joined) and
``review_propagations`` (an editor's confirmation or rejection of a published review for
another claim of its group).

Existing stores are backfilled on first use, not here: grouping needs the claims'
embeddings, which need the sentence model, and a migration must not load models. The
next ``claimdesk ingest`` (or ``claimdesk match``) indexes and groups every stored claim
that has no ``claim_index`` row, oldest article first (``store.groups``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# New tables only, created in place (never batch mode: see 0005).


def upgrade() -> None:
    op.create_table(
        "claim_index",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),  # unit float32 embedding, little-endian
        sa.Column("group_pk", sa.Integer(), nullable=False),
        sa.Column("matched_pk", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"],
                                name="fk_claim_index_doc_pk_claims", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk", name="pk_claim_index"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_claim_index_doc_pk_seq", "claim_index", ["doc_pk", "seq"], unique=True)
    op.create_index("ix_claim_index_group_pk", "claim_index", ["group_pk"])
    op.create_table(
        "review_propagations",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_doc_pk", sa.Integer(), nullable=False),
        sa.Column("source_seq", sa.Integer(), nullable=False),
        sa.Column("revision_pk", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),  # confirmed, rejected
        sa.Column("editor_pk", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"],
                                name="fk_review_propagations_doc_pk_claims"),
        sa.ForeignKeyConstraint(["source_doc_pk", "source_seq"], ["claims.doc_pk", "claims.seq"],
                                name="fk_review_propagations_source_doc_pk_claims"),
        sa.ForeignKeyConstraint(["revision_pk"], ["review_revisions.pk"],
                                name="fk_review_propagations_revision_pk_review_revisions"),
        sa.ForeignKeyConstraint(["editor_pk"], ["users.pk"], name="fk_review_propagations_editor_pk_users"),
        sa.PrimaryKeyConstraint("pk", name="pk_review_propagations"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_review_propagations_doc_pk_seq", "review_propagations", ["doc_pk", "seq"])
    op.create_index("ix_review_propagations_source_doc_pk_source_seq", "review_propagations",
                    ["source_doc_pk", "source_seq"])


def downgrade() -> None:
    op.drop_index("ix_review_propagations_source_doc_pk_source_seq", table_name="review_propagations")
    op.drop_index("ix_review_propagations_doc_pk_seq", table_name="review_propagations")
    op.drop_table("review_propagations")
    op.drop_index("ix_claim_index_group_pk", table_name="claim_index")
    op.drop_index("ix_claim_index_doc_pk_seq", table_name="claim_index")
    op.drop_table("claim_index")
