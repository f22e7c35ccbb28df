"""The review desk: users, sessions, sign-in attempts, review revisions, publications.

Reviews are append-only: every edit of a claim's review is a new row of
``review_revisions`` (who, when, what), and every publish / unpublish a new row of
``review_publications``. Nothing in either table is updated or deleted, and the
foreign keys to ``claims`` do not cascade: a review outlives nothing silently.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# New tables only, created in place: never Alembic's batch mode on SQLite, which
# recreates tables and, with foreign keys on, cascade-deletes their children.


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),  # argon2id, PHC string
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("created", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),  # sha256 of the cookie's token
        sa.Column("user_pk", sa.Integer(), nullable=False),
        sa.Column("created", sa.String(40), nullable=False),
        sa.Column("expires", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["user_pk"], ["users.pk"], name="fk_sessions_user_pk_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_sessions"),
    )
    op.create_index("ix_sessions_user_pk", "sessions", ["user_pk"])
    op.create_index("ix_sessions_expires", "sessions", ["expires"])
    op.create_table(
        "signin_attempts",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_signin_attempts"),
    )
    op.create_index("ix_signin_attempts_name_at", "signin_attempts", ["name", "at"])
    op.create_index("ix_signin_attempts_address_at", "signin_attempts", ["address", "at"])
    op.create_index("ix_signin_attempts_at", "signin_attempts", ["at"])
    op.create_table(
        "review_revisions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),  # ["https://...", ...]
        sa.Column("reviewer_pk", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"], name="fk_review_revisions_doc_pk_claims"),
        sa.ForeignKeyConstraint(["reviewer_pk"], ["users.pk"], name="fk_review_revisions_reviewer_pk_users"),
        sa.PrimaryKeyConstraint("pk", name="pk_review_revisions"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_review_revisions_doc_pk_seq", "review_revisions", ["doc_pk", "seq"])
    op.create_table(
        "review_publications",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),  # published, unpublished
        sa.Column("revision_pk", sa.Integer(), nullable=True),  # what was published; null when unpublished
        sa.Column("editor_pk", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"], name="fk_review_publications_doc_pk_claims"),
        sa.ForeignKeyConstraint(["revision_pk"], ["review_revisions.pk"], name="fk_review_publications_revision_pk_review_revisions"),
        sa.ForeignKeyConstraint(["editor_pk"], ["users.pk"], name="fk_review_publications_editor_pk_users"),
        sa.PrimaryKeyConstraint("pk", name="pk_review_publications"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_review_publications_doc_pk_seq", "review_publications", ["doc_pk", "seq"])


def downgrade() -> None:
    op.drop_index("ix_review_publications_doc_pk_seq", table_name="review_publications")
    op.drop_table("review_publications")
    op.drop_index("ix_review_revisions_doc_pk_seq", table_name="review_revisions")
    op.drop_table("review_revisions")
    for index in ("ix_signin_attempts_at", "ix_signin_attempts_address_at", "ix_signin_attempts_name_at"):
        op.drop_index(index, table_name="signin_attempts")
    op.drop_table("signin_attempts")
    op.drop_index("ix_sessions_expires", table_name="sessions")
    op.drop_index("ix_sessions_user_pk", table_name="sessions")
    op.drop_table("sessions")
    op.drop_table("users")
