"""Speaker identity: ``speakers``, ``speaker_aliases``, ``speaker_edits``, and each claim's
``speaker_pk`` and ``speaker_alias``. The stored claims are resolved here, in the order
they were stored, through the same functions ingest uses (``claimdesk.store.speakers``),
and the person summaries, keyed by speaker name, are rebuilt from them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# New tables and columns, created in place (never Alembic's batch mode on SQLite).


def upgrade() -> None:
    from claimdesk.store import speakers

    op.add_column("claims", sa.Column("speaker_pk", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("speaker_alias", sa.Text(), nullable=True))
    op.create_index("ix_claims_speaker_pk", "claims", ["speaker_pk"])
    op.create_table(
        "speakers",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("claims", sa.Integer(), server_default="0", nullable=False),
        sa.Column("persons", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_day", sa.Text(), nullable=True),
        sa.Column("last_day", sa.Text(), nullable=True),
        sa.Column("created", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_speakers"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_speakers_lower_name", "speakers", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "speaker_aliases",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("speaker_pk", sa.Integer(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("surname", sa.Text(), nullable=True),
        sa.Column("pinned", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["speaker_pk"], ["speakers.pk"], name="fk_speaker_aliases_speaker_pk_speakers",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk", name="pk_speaker_aliases"),
        sa.UniqueConstraint("speaker_pk", "folded", name="uq_speaker_aliases_speaker_pk_folded"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_speaker_aliases_speaker_pk", "speaker_aliases", ["speaker_pk"])
    op.create_index("ix_speaker_aliases_surname", "speaker_aliases", ["surname"])
    op.create_index("ix_speaker_aliases_folded", "speaker_aliases", ["folded"])
    op.create_index("ix_speaker_aliases_kind_key", "speaker_aliases", ["kind", "key"])
    op.create_table(
        "speaker_edits",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("speaker_pk", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("user_pk", sa.Integer(), nullable=True),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["user_pk"], ["users.pk"], name="fk_speaker_edits_user_pk_users"),
        sa.PrimaryKeyConstraint("pk", name="pk_speaker_edits"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_speaker_edits_speaker_pk", "speaker_edits", ["speaker_pk"])
    speakers.backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_speaker_edits_speaker_pk", table_name="speaker_edits")
    op.drop_table("speaker_edits")
    op.drop_index("ix_speaker_aliases_kind_key", table_name="speaker_aliases")
    op.drop_index("ix_speaker_aliases_folded", table_name="speaker_aliases")
    op.drop_index("ix_speaker_aliases_surname", table_name="speaker_aliases")
    op.drop_index("ix_speaker_aliases_speaker_pk", table_name="speaker_aliases")
    op.drop_table("speaker_aliases")
    op.drop_index("ix_speakers_lower_name", table_name="speakers")
    op.drop_table("speakers")
    op.drop_index("ix_claims_speaker_pk", table_name="claims")
    op.drop_column("claims", "speaker_alias")
    op.drop_column("claims", "speaker_pk")
