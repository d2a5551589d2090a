"""Timeline tables: one entry per claim and timeline (a topic, a speaker, an outlet, or all claims).

Entries carry the claim's sort key (the precise date's earliest and latest day, unknown last, then the
position the claim was recorded at) and the fields timelines filter on; the card to show is precomputed
once per claim in ``timeline_claims``.
"""
from __future__ import annotations

import sqlalchemy as sa

from factlog.readmodels import ReadModel, query_only
from factlog.readmodels.columns import JSONText, SourceId, date_columns, source_table
from factlog.schema import metadata

TOPIC, SPEAKER, OUTLET, ALL = "topic", "speaker", "outlet", "all"
ALL_KEY = "*"

timeline_sources = source_table("timeline_sources", metadata)

timeline_claims = sa.Table(
    "timeline_claims", metadata,
    sa.Column("claim_id", SourceId, primary_key=True),
    sa.Column("position", sa.BigInteger(), nullable=False),  # where ClaimRecorded is in the log
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("card", JSONText, nullable=False),  # what a timeline shows for the claim
    # The card's said_on and happened_on: a page entry is the card plus the date it is sorted by.
    sa.Column("said_on", JSONText, nullable=False),
    sa.Column("happened_on", JSONText, nullable=False),
)

timeline_entries = sa.Table(
    "timeline_entries", metadata,
    sa.Column("timeline", sa.String(10), nullable=False),  # topic, speaker, outlet, all
    sa.Column("key", sa.String(200), nullable=False),  # the topic, the (merged-into) source id, or "*"
    sa.Column("claim_id", SourceId, nullable=False),
    *date_columns("said"),
    *date_columns("happened"),
    sa.Column("position", sa.BigInteger(), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),  # active, corrected, retracted
    sa.Column("verdict", sa.String(60), nullable=True),  # the current verdict's rating slug
    # Claim first: a projector replaces a claim's entries by its id. Pages read the query-only indexes.
    sa.PrimaryKeyConstraint("claim_id", "timeline", "key"),
)
query_only(sa.Index("ix_timeline_entries_said", timeline_entries.c.timeline, timeline_entries.c.key,
                    timeline_entries.c.said_unknown, timeline_entries.c.said_start,
                    timeline_entries.c.said_end, timeline_entries.c.position))
query_only(sa.Index("ix_timeline_entries_happened", timeline_entries.c.timeline, timeline_entries.c.key,
                    timeline_entries.c.happened_unknown, timeline_entries.c.happened_start,
                    timeline_entries.c.happened_end, timeline_entries.c.position))

read_model = ReadModel("timelines", (timeline_sources, timeline_claims, timeline_entries))
