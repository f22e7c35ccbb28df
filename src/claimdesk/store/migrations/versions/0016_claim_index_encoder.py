"""Which encoder made each stored claim vector: ``claim_index.encoder``.

Vectors of two encoders are not comparable (another model, other fine-tuned layers, or the
same model in bfloat16 instead of float32), so the store records the encoder's id
(``corpus.encoder.encoder_id``) beside each vector, and ``store.groups`` re-embeds the rows
another encoder made before it matches anything against them. Null in rows stored before
this revision: their encoder is unknown, so they are re-embedded on first use.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


# Added in place, never through Alembic's batch mode (see 0003).


def upgrade() -> None:
    op.add_column("claim_index", sa.Column("encoder", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("claim_index", "encoder")
