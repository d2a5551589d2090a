"""``projection_checkpoints``: one row per projection (and per rebuild in progress), moved with its rows."""
from __future__ import annotations

import sqlalchemy as sa

from factlog.eventstore.tables import JSONDocument
from factlog.schema import metadata

# A rebuild keeps its own checkpoint row, named after the projection with this suffix, and builds into
# tables carrying the same suffix until it switches them live.
REBUILD_SUFFIX = "__rebuild"

projection_checkpoints = sa.Table(
    "projection_checkpoints",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    # The projector version that produced the rows; a higher version in code means the rows are outdated.
    sa.Column("version", sa.Integer(), nullable=False),
    # Position of the last event applied (0: none); log order is described in docs/event-store.md.
    sa.Column("position", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    # The event types the projection reads: its lag counts only these.
    sa.Column("event_types", JSONDocument, nullable=False),
    sa.Column("events_applied", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_error", sa.Text(), nullable=True),
    sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error_position", sa.BigInteger(), nullable=True),
)
