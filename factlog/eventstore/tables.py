"""The ``events`` table: the one append-only log every read model is projected from."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from factlog.schema import metadata

JSONDocument = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

events = sa.Table(
    "events",
    metadata,
    # Global position: unique, assigned at insert. See docs/event-store.md for how readers order by it.
    sa.Column("position", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
              autoincrement=True),
    # The writing transaction's id on PostgreSQL (pg_current_xact_id); 0 on SQLite, whose writers are serial.
    sa.Column("tx_id", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    sa.Column("event_id", sa.Uuid(), nullable=False, unique=True),
    sa.Column("stream_id", sa.String(200), nullable=False),
    sa.Column("stream_version", sa.Integer(), nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("schema_version", sa.SmallInteger(), nullable=False),
    sa.Column("data", JSONDocument, nullable=False),
    sa.Column("metadata", JSONDocument, nullable=False),
    # Set on the first event of an idempotent append only, so that the key is unique per append.
    sa.Column("idempotency_key", sa.String(200), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("stream_id", "stream_version"),
    sa.CheckConstraint("stream_version >= 1", name="stream_version_positive"),
)

sa.Index("ix_events_tx_position", events.c.tx_id, events.c.position)
sa.Index("ix_events_event_type_position", events.c.event_type, events.c.position)
sa.Index(
    "uq_events_idempotency_key",
    events.c.idempotency_key,
    unique=True,
    postgresql_where=events.c.idempotency_key.isnot(None),
    sqlite_where=events.c.idempotency_key.isnot(None),
)
