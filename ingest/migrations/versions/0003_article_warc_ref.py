"""article: link to the raw response in the WARC archive

Revision ID: 0003_article_warc_ref
Revises: 0002_feed_schedule
Create Date: 2026-11-23 07:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_article_warc_ref"
down_revision = "0002_feed_schedule"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warc_file", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("warc_offset", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("warc_offset")
        batch_op.drop_column("warc_file")
