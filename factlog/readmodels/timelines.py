"""Timeline tables: one entry per claim and timeline (a topic, a speaker, an outlet, or all claims).

Entries carry the claim's sort key (the precise date's earliest and latest day, unknown last, then the
position the claim was recorded at) and the fields timelines filter on; the card to show is precomputed
once per claim in ``timeline_claims``.
"""
from __future__ import annotations

import functools
import hashlib

import sqlalchemy as sa

from factlog.readmodels import ReadModel, query_only
from factlog.readmodels.columns import JSONText, SourceId, date_columns, source_table
from factlog.schema import metadata

TOPIC, SPEAKER, OUTLET, ALL = "topic", "speaker", "outlet", "all"
ALL_KEY = "*"
# A timeline's id: its kind's code in the top byte, 56 bits of a hash of kind and key below it. Stored in the
# rows (migrations/versions/0010_timeline_ids.py computes the same): changing it needs a migration.
KIND_CODES = {ALL: 1, TOPIC: 2, SPEAKER: 3, OUTLET: 4}
_HASH_BITS = 56


@functools.lru_cache(maxsize=65536)
def timeline_id(timeline: str, key: str) -> int:
    """The 64-bit id a timeline's entries are indexed by: one fixed-width column sorts and compares several
    times faster than the two strings it stands for (each page index of 200,000 events' entries took 1.7-2.1 s
    to build on them, 0.5 s on the id). Two timelines of a kind may share an id (56 bits of a hash): queries
    check the timeline and key of what they read (queries/timelines.py)."""
    digest = hashlib.blake2b(f"{timeline}\x00{key}".encode(), digest_size=8).digest()
    return KIND_CODES[timeline] << _HASH_BITS | int.from_bytes(digest, "big") >> (64 - _HASH_BITS)


def kind_ids(timeline: str) -> tuple[int, int]:
    """The range ``[first, last]`` of the ids of every timeline of a kind."""
    first = KIND_CODES[timeline] << _HASH_BITS
    return first, first | ((1 << _HASH_BITS) - 1)

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
    # Fixed-width columns first: a row's later columns are then found without walking the ones before.
    sa.Column("timeline_id", sa.BigInteger(), nullable=False),  # timeline_id(timeline, key)
    *date_columns("said"),
    *date_columns("happened"),
    sa.Column("position", sa.BigInteger(), nullable=False),
    sa.Column("claim_id", SourceId, nullable=False),
    sa.Column("timeline", sa.String(10), nullable=False),  # topic, speaker, outlet, all
    sa.Column("key", sa.String(200), nullable=False),  # the topic, the (merged-into) source id, or "*"
    sa.Column("status", sa.String(10), nullable=False),  # active, corrected, retracted
    sa.Column("verdict", sa.String(60), nullable=True),  # the current verdict's rating slug
    # Claim first: a projector replaces a claim's entries by its id. Pages read the query-only indexes.
    sa.PrimaryKeyConstraint("claim_id", "timeline", "key"),
)
# A page: one timeline's entries in date order. The key rides along (not sorted on) so that listing a kind's
# timelines with their counts reads this index alone (queries.timeline_keys).
query_only(sa.Index("ix_timeline_entries_said", timeline_entries.c.timeline_id,
                    timeline_entries.c.said_unknown, timeline_entries.c.said_start,
                    timeline_entries.c.said_end, timeline_entries.c.position, postgresql_include=["key"]))
query_only(sa.Index("ix_timeline_entries_happened", timeline_entries.c.timeline_id,
                    timeline_entries.c.happened_unknown, timeline_entries.c.happened_start,
                    timeline_entries.c.happened_end, timeline_entries.c.position))

read_model = ReadModel("timelines", (timeline_sources, timeline_claims, timeline_entries))
