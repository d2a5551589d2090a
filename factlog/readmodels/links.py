"""Links between claims, readable from both ends: what a claim says about others, and who says what about it.

The claim page shows a claim's own links from its stream; the claims that deny, contradict, support or
repeat it live in other streams, so they are read from here.
"""
from __future__ import annotations

import sqlalchemy as sa

from factlog.readmodels import ReadModel
from factlog.readmodels.columns import SourceId
from factlog.schema import metadata

claim_links = sa.Table(
    "claim_links", metadata,
    sa.Column("position", sa.BigInteger(), primary_key=True),  # the ClaimsLinked event
    sa.Column("claim_id", SourceId, nullable=False),  # the claim that links (its stream)
    sa.Column("relation", sa.String(40), nullable=False),  # denies, contradicts, supports, same_as
    sa.Column("target_claim_id", SourceId, nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
)
sa.Index("ix_claim_links_target", claim_links.c.target_claim_id, claim_links.c.position)
sa.Index("ix_claim_links_claim", claim_links.c.claim_id, claim_links.c.position)

read_model = ReadModel("links", (claim_links,))
