"""Source-attribution tables: chains per report, the outlets that carried each claim, who cites whom.

Source ids are the surviving source's after merges. See docs/projections.md for the corroboration rule.
"""
from __future__ import annotations

import sqlalchemy as sa

from factlog.readmodels import ReadModel, query_only
from factlog.readmodels.columns import JSONText, SourceId, date_columns, source_table
from factlog.schema import metadata

attribution_sources = source_table("attribution_sources", metadata)

attribution_claims = sa.Table(
    "attribution_claims", metadata,
    sa.Column("claim_id", SourceId, primary_key=True),
    sa.Column("position", sa.BigInteger(), nullable=False),
    sa.Column("speaker_id", SourceId, nullable=False),
    sa.Column("speaker_role", sa.Text(), nullable=True),
    *date_columns("said"),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("first_source_id", SourceId, nullable=True),  # the carrier that published first
    sa.Column("independent_outlets", sa.Integer(), nullable=False),
    sa.Column("single_source", sa.Boolean(), nullable=False),
    sa.Column("card", JSONText, nullable=False),
)
sa.Index("ix_attribution_claims_speaker", attribution_claims.c.speaker_id, attribution_claims.c.said_unknown,
         attribution_claims.c.said_start, attribution_claims.c.said_end, attribution_claims.c.position)

attribution_reports = sa.Table(
    "attribution_reports", metadata,
    sa.Column("claim_id", SourceId, nullable=False),
    sa.Column("report_id", SourceId, nullable=False),
    sa.Column("position", sa.BigInteger(), nullable=False),
    sa.Column("publication_id", SourceId, nullable=False),  # the first link: the publication we read
    sa.Column("origin_id", SourceId, nullable=False),  # the outlet closest to the speaker in the chain
    sa.Column("relay", sa.Boolean(), nullable=False),  # the publication only relays another outlet
    sa.Column("chain", JSONText, nullable=False),  # every link, publication first, speaker last
    sa.PrimaryKeyConstraint("claim_id", "report_id"),
)

attribution_carriers = sa.Table(
    "attribution_carriers", metadata,
    sa.Column("claim_id", SourceId, nullable=False),
    sa.Column("source_id", SourceId, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    *date_columns("published"),
    sa.Column("position", sa.BigInteger(), nullable=False),  # the report event it first appeared in
    sa.Column("is_first", sa.Boolean(), nullable=False),
    sa.Column("independent", sa.Boolean(), nullable=False),  # an origin in at least one report
    sa.Column("publication", sa.Boolean(), nullable=False),  # the first link of at least one report
    sa.Column("details", JSONText, nullable=False),  # name, url, headline, date display
    sa.PrimaryKeyConstraint("claim_id", "source_id"),
)
sa.Index("ix_attribution_carriers_source", attribution_carriers.c.source_id, attribution_carriers.c.position)

attribution_citations = sa.Table(
    "attribution_citations", metadata,
    sa.Column("claim_id", SourceId, nullable=False),
    sa.Column("report_id", SourceId, nullable=False),
    sa.Column("citing_id", SourceId, nullable=False),
    sa.Column("cited_id", SourceId, nullable=False),
    sa.Column("citing_kind", sa.String(40), nullable=False),
    sa.Column("cited_kind", sa.String(40), nullable=False),
    sa.Column("relation", sa.String(40), nullable=True),
    sa.PrimaryKeyConstraint("claim_id", "report_id", "citing_id"),
)
query_only(sa.Index("ix_attribution_citations_citing", attribution_citations.c.citing_id,
                    attribution_citations.c.cited_id))
query_only(sa.Index("ix_attribution_citations_cited", attribution_citations.c.cited_id,
                    attribution_citations.c.citing_id))

read_model = ReadModel("attribution", (attribution_sources, attribution_claims, attribution_reports,
                                       attribution_carriers, attribution_citations))
