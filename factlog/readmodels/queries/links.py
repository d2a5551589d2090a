"""A claim's links to other claims, both ways, with the other claim's summary and status."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.readmodels.links import claim_links
from factlog.readmodels.timelines import timeline_claims


def links_of(session: Session, claim_id: str) -> dict[str, list[dict[str, Any]]]:
    """``outgoing``: what this claim says about others; ``incoming``: the claims that deny, contradict,
    support or repeat it. Oldest first; the other claim's summary and status are None until the timelines
    projection has it."""
    return {"outgoing": _links(session, claim_links.c.claim_id, claim_links.c.target_claim_id, claim_id),
            "incoming": _links(session, claim_links.c.target_claim_id, claim_links.c.claim_id, claim_id)}


def _links(session: Session, this_end: sa.Column, other_end: sa.Column, claim_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(other_end.label("claim_id"), claim_links.c.relation, claim_links.c.note,
                  claim_links.c.position, timeline_claims.c.status, timeline_claims.c.card["summary"].as_string())
        .outerjoin(timeline_claims, timeline_claims.c.claim_id == other_end)
        .where(this_end == claim_id).order_by(claim_links.c.position))
    return [{"claim_id": row[0], "relation": row.relation, "note": row.note, "position": row.position,
             "status": row.status, "summary": row[5]} for row in rows]
