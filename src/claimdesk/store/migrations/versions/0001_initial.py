"""Initial schema: documents, article ranges, ingest errors, line counts, full text.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize='porter unicode61')",
    # the title counts ten times the body in the default ranking (ORDER BY rank)
    "INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)')",
]

POSTGRESQL_FTS = [
    """
    CREATE TABLE articles_fts (
        doc_pk integer PRIMARY KEY REFERENCES documents (pk) ON DELETE CASCADE,
        title text NOT NULL,
        body text NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, title), 'A')
            || setweight(to_tsvector('english'::regconfig, body), 'B')
        ) STORED
    )
    """,
    "CREATE INDEX ix_articles_fts_tsv ON articles_fts USING gin (tsv)",
]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("stated_title", sa.Text(), nullable=True),
        sa.Column("title_start", sa.Integer(), nullable=True),
        sa.Column("title_end", sa.Integer(), nullable=True),
        sa.Column("published", sa.Text(), nullable=True),
        sa.Column("fetched", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("ingested_at", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("group_pk", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("pk", name="pk_documents"),
        sa.UniqueConstraint("id", name="uq_documents_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_documents_url_version", "documents", ["url", "version"], unique=True)
    op.create_index("ix_documents_group_pk", "documents", ["group_pk"])

    op.create_table(
        "body_ranges",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["doc_pk"], ["documents.pk"], name="fk_body_ranges_doc_pk_documents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_pk", "seq", name="pk_body_ranges"),
    )
    op.create_table(
        "removed_ranges",
        sa.Column("doc_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["doc_pk"], ["documents.pk"], name="fk_removed_ranges_doc_pk_documents", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_pk", "seq", name="pk_removed_ranges"),
    )
    op.create_table(
        "ingest_errors",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("input", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_ingest_errors"),
    )
    op.create_table(
        "scope_counts",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name="pk_scope_counts"),
    )
    op.create_table(
        "line_counts",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name="pk_line_counts"),
    )

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_FTS, "postgresql": POSTGRESQL_FTS}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in ("line_counts", "scope_counts", "ingest_errors", "removed_ranges", "body_ranges"):
        op.drop_table(table)
    op.drop_index("ix_documents_group_pk", table_name="documents")
    op.drop_index("ix_documents_url_version", table_name="documents")
    op.drop_table("documents")
