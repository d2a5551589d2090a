"""Users and API tokens. Not events: who may act is configuration, not a fact about the news."""
from __future__ import annotations

import sqlalchemy as sa

from factlog.schema import metadata

ROLES = ("editor", "fact_checker", "admin")
SCOPES = ("read", "write")

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('editor', 'fact_checker', 'admin')", name="role_known"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("scope", sa.String(10), nullable=False),
    # Only the SHA-256 of the token is stored; the prefix lets people tell their tokens apart.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("scope IN ('read', 'write')", name="scope_known"),
)

# Failed sign-ins per email and client address, kept for the throttle window (factlog/accounts/throttle.py).
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("key", sa.String(400), nullable=False),  # "<email>|<client address>"
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_login_failures_key_failed_at", login_failures.c.key, login_failures.c.failed_at)
