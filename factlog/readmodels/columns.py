"""Column shapes shared by the read-model tables."""
from __future__ import annotations

import sqlalchemy as sa

from factlog.eventstore.tables import JSONDocument

# Documents a read model writes once and hands out whole (cards, chains, folded states): PostgreSQL's ``json``
# keeps the text as written, so the server neither builds JSONB from it on the way in (the bulk of a rebuild's
# server time) nor prints it back on the way out; a page can pass it on without decoding it
# (``sa.cast(column, sa.Text)`` reads the text as it is). Use JSONDocument where SQL looks inside a document.
JSONText = sa.JSON()

SourceId = sa.String(36)  # UUIDs as text: the same on SQLite and PostgreSQL, and what the JSON holds


def source_table(name: str, metadata: sa.MetaData) -> sa.Table:
    """A read model's own copy of source names and kinds, and which source each was merged into."""
    return sa.Table(
        name, metadata,
        sa.Column("source_id", SourceId, primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        # The surviving source after merges (itself when never merged): rows are keyed by it.
        sa.Column("canonical_id", SourceId, nullable=False),
        # The body it belongs to: QiOSK is Responsible Statecraft's news desk (0002c_source_affiliations).
        sa.Column("affiliation_id", SourceId, nullable=True),
    )


def date_columns(prefix: str, nullable: bool = False) -> list[sa.Column]:
    """A precise date as a sort key: unknown (0/1, unknown dates last), earliest and latest possible day."""
    return [sa.Column(f"{prefix}_unknown", sa.SmallInteger(), nullable=nullable),
            sa.Column(f"{prefix}_start", sa.Date(), nullable=nullable),
            sa.Column(f"{prefix}_end", sa.Date(), nullable=nullable)]


__all__ = ["JSONDocument", "JSONText", "SourceId", "date_columns", "source_table"]
