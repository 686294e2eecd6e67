"""websub_subscriptions: each feed's WebSub subscription at the hub it advertises

Revision ID: 0005_websub_subscriptions
Revises: 0004_article_image_date_reason
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_websub_subscriptions"
down_revision = "0004_article_image_date_reason"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A table of its own rather than columns on feeds: most feeds never advertise a hub, and
    # a subscription outlives its feed until the hub has been told (feed_id SET NULL).
    op.create_table(
        "websub_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("hub_url", sa.String(length=2048), nullable=False),
        sa.Column("topic_url", sa.String(length=2048), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("pending_mode", sa.String(length=16), nullable=True),
        sa.Column("lease_s", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_action_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_push_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feed_id", name="uq_websub_feed"),
        sa.UniqueConstraint("token", name="uq_websub_token"),
    )
    with op.batch_alter_table("websub_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_websub_subscriptions_next_action_at"), ["next_action_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("websub_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_websub_subscriptions_next_action_at"))
    op.drop_table("websub_subscriptions")
