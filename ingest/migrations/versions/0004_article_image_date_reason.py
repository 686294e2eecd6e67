"""article: main image and why the publication date won

Revision ID: 0004_article_image_date_reason
Revises: 0003_article_warc_ref
Create Date: 2026-11-23 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_article_image_date_reason"
down_revision = "0003_article_warc_ref"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable and without a server default: rows stored before this revision simply have
    # no value until the article is stored again (re-stored or reprocessed).
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("image_url", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("image_url")
        batch_op.drop_column("published_reason")
