"""The review desk (issue 18): check-worthiness, corrections of extraction errors, assignments.

- ``claims.check_worthiness``: the check-worthiness model's score (``analyze.checkworthiness``),
  0-1, by which the review queue ranks; null in rows stored before this revision.
- ``claims.rejected_pk``: the correction that marked the claim "not a claim"
  (``claim_corrections.pk``); such a claim leaves the queue, pages, feeds and exports, and is
  never published. Null for every claim that stands.
- ``claim_corrections``: append-only history of reviewers' corrections of what the analysis
  extracted: ``not-a-claim``, ``wrong-speaker`` (with the right ``speaker``), ``wrong-span``
  (with the right offsets into the document text) and ``restored`` (undoes a "not a claim").
  The ``was_*`` columns keep what the claim said before, so history and training data keep both.
- ``claim_assignments``: which reviewer a claim is assigned to, by whom, when (one per claim).

Revision ID: 0019
Revises: 0017 (0018 is being written beside it; the chain is fixed when it lands)
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


# Added in place, never through Alembic's batch mode (see 0003).


def upgrade() -> None:
    op.add_column("claims", sa.Column("check_worthiness", sa.Float(), nullable=True))
    op.add_column("claims", sa.Column("rejected_pk", sa.Integer(), nullable=True))
    op.create_table(
        "claim_corrections",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("content_start", sa.Integer(), nullable=True),
        sa.Column("content_end", sa.Integer(), nullable=True),
        sa.Column("was_speaker", sa.Text(), nullable=True),
        sa.Column("was_source_start", sa.Integer(), nullable=True),
        sa.Column("was_source_end", sa.Integer(), nullable=True),
        sa.Column("was_cue_start", sa.Integer(), nullable=True),
        sa.Column("was_cue_end", sa.Integer(), nullable=True),
        sa.Column("was_content_start", sa.Integer(), nullable=True),
        sa.Column("was_content_end", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("by_pk", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["by_pk"], ["users.pk"], name=op.f("fk_claim_corrections_by_pk_users")),
        sa.ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"], name=op.f("fk_claim_corrections_doc_pk_claims"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_claim_corrections")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_claim_corrections_doc_pk_seq"), "claim_corrections", ["doc_pk", "seq"])
    op.create_index(op.f("ix_claim_corrections_at"), "claim_corrections", ["at"])
    op.create_table(
        "claim_assignments",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("assignee_pk", sa.Integer(), nullable=False),
        sa.Column("by_pk", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["assignee_pk"], ["users.pk"], name=op.f("fk_claim_assignments_assignee_pk_users")),
        sa.ForeignKeyConstraint(["by_pk"], ["users.pk"], name=op.f("fk_claim_assignments_by_pk_users")),
        sa.ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"], name=op.f("fk_claim_assignments_doc_pk_claims"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_pk", "seq", name=op.f("pk_claim_assignments")),
    )
    op.create_index(op.f("ix_claim_assignments_assignee_pk"), "claim_assignments", ["assignee_pk"])
    # the queue: standing claims, most check-worthy first, newest article first among equals
    # (the queue's ORDER BY, so that a page is read off the index without sorting)
    # (confidence last: the queue leaves out low-confidence claims without reading their rows)
    op.create_index("ix_claims_queue", "claims",
                    ["rejected_pk", sa.text("check_worthiness DESC"), sa.text("doc_pk DESC"), "seq", "confidence"])
    # the queue narrowed to a hedge or a speaker, in the same order (a hedge's claims are tens of
    # thousands, a much quoted speaker's thousands)
    op.create_index("ix_claims_hedge_queue", "claims", ["hedge", sa.text("check_worthiness DESC"), sa.text("doc_pk DESC"), "seq"])
    op.create_index("ix_claims_speaker_queue", "claims",
                    [sa.text("lower(speaker)"), sa.text("check_worthiness DESC"), sa.text("doc_pk DESC"), "seq"])


def downgrade() -> None:
    op.drop_index("ix_claims_speaker_queue", table_name="claims")
    op.drop_index("ix_claims_hedge_queue", table_name="claims")
    op.drop_index("ix_claims_queue", table_name="claims")
    op.drop_index(op.f("ix_claim_assignments_assignee_pk"), table_name="claim_assignments")
    op.drop_table("claim_assignments")
    op.drop_index(op.f("ix_claim_corrections_at"), table_name="claim_corrections")
    op.drop_index(op.f("ix_claim_corrections_doc_pk_seq"), table_name="claim_corrections")
    op.drop_table("claim_corrections")
    op.drop_column("claims", "rejected_pk")
    op.drop_column("claims", "check_worthiness")
