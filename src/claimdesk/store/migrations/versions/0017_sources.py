"""Followed sources (issue 19): ``sources`` (feeds, news sitemaps and pages the poller
follows, with where polling stands: next and last poll, HTTP status, validators for
conditional requests, failures in a row, the lease of the poller polling it now) and
``source_items`` (each entry a source listed, once, with what ingesting it gave).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# New tables only, created in place (never batch mode: see 0005).


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("every", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("next_poll_at", sa.String(40), nullable=False),
        sa.Column("last_poll_at", sa.String(40), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("interval", sa.Integer(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("polls", sa.Integer(), server_default="0", nullable=False),
        sa.Column("not_modified", sa.Integer(), server_default="0", nullable=False),
        sa.Column("errors", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lease_owner", sa.Text(), nullable=True),
        sa.Column("lease_until", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("pk", name="pk_sources"),
        sa.UniqueConstraint("url", name="uq_sources_url"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sources_next_poll_at", "sources", ["next_poll_at"])
    op.create_table(
        "source_items",
        sa.Column("source_pk", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.String(40), nullable=True),
        sa.Column("seen_at", sa.String(40), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("doc_id", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["source_pk"], ["sources.pk"], name="fk_source_items_source_pk_sources",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_pk", "key", name="pk_source_items"),
    )
    op.create_index("ix_source_items_source_pk_seen_at", "source_items", ["source_pk", "seen_at"])


def downgrade() -> None:
    op.drop_index("ix_source_items_source_pk_seen_at", table_name="source_items")
    op.drop_table("source_items")
    op.drop_index("ix_sources_next_poll_at", table_name="sources")
    op.drop_table("sources")
