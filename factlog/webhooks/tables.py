"""Webhook subscriptions and their delivery log. Configuration rows like accounts, not events: who is told
about the log is not a fact about the news."""
from __future__ import annotations

import sqlalchemy as sa

from factlog.schema import metadata

STATES = ("active", "disabled")
# pending: due now or at next_attempt_at; delivered: a 2xx answer; failed: given up after the last attempt
DELIVERY_STATUSES = ("pending", "delivered", "failed")

webhook_subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("description", sa.String(200), nullable=False, server_default=""),
    # Kept as is: the HMAC needs it. It is shown once, at creation, and never served again.
    sa.Column("secret", sa.String(100), nullable=False),
    # Filters (JSON lists; empty: no filter): notice types, topics, speakers' and outlets' source ids.
    sa.Column("event_types", sa.JSON(), nullable=False),
    sa.Column("topics", sa.JSON(), nullable=False),
    sa.Column("speakers", sa.JSON(), nullable=False),
    sa.Column("outlets", sa.JSON(), nullable=False),
    sa.Column("state", sa.String(10), nullable=False, server_default="active"),
    # The subscription's own checkpoint: the last event of the log it has turned into deliveries (or skipped).
    sa.Column("position", sa.BigInteger(), nullable=False, server_default="0"),
    sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("disabled_reason", sa.String(1000), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("last_delivered_at", sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('active', 'disabled')", name="state_known"),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    # Deliveries of one subscription go out in id order, which is the order the log gave their events.
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("subscription_id", sa.Integer(),
              sa.ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("event_id", sa.Uuid(), nullable=False),
    sa.Column("position", sa.BigInteger(), nullable=False),
    sa.Column("notice_type", sa.String(60), nullable=False),
    sa.Column("payload", sa.Text(), nullable=False),  # the exact body every attempt sends
    sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.String(1000), nullable=True),
    sa.Column("response_code", sa.Integer(), nullable=True),
    sa.Column("response_excerpt", sa.String(300), nullable=True),  # never more of the receiver's body
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_subscription_event"),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status_known"),
)
sa.Index("ix_webhook_deliveries_subscription_status", webhook_deliveries.c.subscription_id,
         webhook_deliveries.c.status, webhook_deliveries.c.id)
