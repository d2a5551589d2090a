"""Webhook subscriptions and their delivery log.

Revision ID: 0005_webhooks
Revises: 0004_login_failures
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_webhooks"
down_revision = "0004_login_failures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("description", sa.String(200), nullable=False, server_default=""),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("speakers", sa.JSON(), nullable=False),
        sa.Column("outlets", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False, server_default="active"),
        sa.Column("position", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.String(1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("last_delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_subscriptions"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_webhook_subscriptions_owner_id_users"),
        sa.CheckConstraint("state IN ('active', 'disabled')", name="state_known"),
    )
    op.create_index("ix_webhook_subscriptions_owner_id", "webhook_subscriptions", ["owner_id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("notice_type", sa.String(60), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(1000), nullable=True),
        sa.Column("response_code", sa.Integer(), nullable=True),
        sa.Column("response_excerpt", sa.String(300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
        sa.ForeignKeyConstraint(["subscription_id"], ["webhook_subscriptions.id"], ondelete="CASCADE",
                                name="fk_webhook_deliveries_subscription_id_webhook_subscriptions"),
        sa.UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_subscription_event"),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')",
                           name="status_known"),
    )
    op.create_index("ix_webhook_deliveries_subscription_status", "webhook_deliveries",
                    ["subscription_id", "status", "id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_subscription_status", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_webhook_subscriptions_owner_id", table_name="webhook_subscriptions")
    op.drop_table("webhook_subscriptions")
