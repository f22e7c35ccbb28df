"""Indexes for the web desk's reads on a large store (100,000 articles).

- the news line, newest first (undated last), overall and per outlet: read in index
  order, so a page costs its 25 rows, not a sort of every article;
- claims by speaker (any case) with their article and hedge, and by hedge: the
  speaker page and the news line's speaker and hedge filters;
- entity mentions by canonical name with their article, span, label and role: the
  entity page, claims *about* someone, and the entity filter, from the index alone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# coalesce(published, ''): the same ordering on SQLite and PostgreSQL (undated last when
# read backwards) without NULLS LAST, which SQLite indexes cannot state.
_DAY = sa.text("coalesce(published, '')")


def upgrade() -> None:
    op.create_index("ix_documents_newsline", "documents", [_DAY, "ingested_at", "pk"])
    op.create_index("ix_documents_outlet_newsline", "documents", ["outlet", _DAY, "ingested_at", "pk"])
    op.create_index("ix_claims_speaker_lower_doc", "claims", [sa.text("lower(speaker)"), "doc_pk", "hedge"])
    op.create_index("ix_claims_hedge_doc", "claims", ["hedge", "doc_pk"])
    op.create_index("ix_entities_canonical_doc", "entities", ["canonical", "doc_pk", "start", "end", "label", "role"])


def downgrade() -> None:
    op.drop_index("ix_entities_canonical_doc", table_name="entities")
    op.drop_index("ix_claims_hedge_doc", table_name="claims")
    op.drop_index("ix_claims_speaker_lower_doc", table_name="claims")
    op.drop_index("ix_documents_outlet_newsline", table_name="documents")
    op.drop_index("ix_documents_newsline", table_name="documents")
