"""API bookkeeping: the responses of idempotent writes, so a retried request gets the same answer."""
import sqlalchemy as sa

from factlog.schema import metadata

idempotent_requests = sa.Table(
    "idempotent_requests",
    metadata,
    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    # SHA-256 of method, path and body: the same key with another request is refused.
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status", sa.SmallInteger(), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
