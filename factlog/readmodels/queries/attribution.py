"""Source attribution: a claim's chains and carriers, an outlet's page, a speaker's page."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.readmodels.attribution import (
    attribution_carriers as carriers,
)
from factlog.readmodels.attribution import (
    attribution_citations as citations,
)
from factlog.readmodels.attribution import (
    attribution_claims as claims,
)
from factlog.readmodels.attribution import (
    attribution_reports as reports,
)
from factlog.readmodels.attribution import (
    attribution_sources as sources,
)

OUTLET = "outlet"
DEFAULT_LIMIT = 100


def _date_order(unknown: sa.Column, start: sa.Column, end: sa.Column, position: sa.Column) -> list:
    return [unknown, start, end, position]


def resolve_source(session: Session, source_id: str) -> dict[str, Any] | None:
    """The surviving source (after merges) of ``source_id``, with its name and kind."""
    canonical = sources.alias("canonical")
    row = session.execute(sa.select(canonical.c.source_id, canonical.c.name, canonical.c.kind)
                          .join(sources, sources.c.canonical_id == canonical.c.source_id)
                          .where(sources.c.source_id == str(source_id))).first()
    return None if row is None else {"id": row.source_id, "name": row.name, "kind": row.kind}


def claim_attribution(session: Session, claim_id: str) -> dict[str, Any] | None:
    """A claim's full chains (each link with outlet, URL, date), every carrier, the first, corroboration."""
    claim = session.execute(sa.select(claims.c.claim_id, claims.c.card, claims.c.independent_outlets,
                                      claims.c.single_source)  # not the folded state: the projector's
                            .where(claims.c.claim_id == str(claim_id))).first()
    if claim is None:
        return None
    chains = session.execute(sa.select(reports).where(reports.c.claim_id == claim.claim_id)
                             .order_by(reports.c.position, reports.c.report_id)).all()
    carried = session.execute(
        sa.select(carriers).where(carriers.c.claim_id == claim.claim_id)
        .order_by(*_date_order(carriers.c.published_unknown, carriers.c.published_start,
                               carriers.c.published_end, carriers.c.position))).all()
    return claim_view(claim._mapping, [row._mapping for row in chains], [row._mapping for row in carried])


def claim_view(claim: Mapping[str, Any], chains: Sequence[Mapping[str, Any]],
               carried: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The attribution view of a claim from its rows (``carried`` in date order), stored or computed."""
    return {
        "claim": claim["card"],
        "reports": [{"report_id": row["report_id"], "chain": row["chain"], "publication_id": row["publication_id"],
                     "origin_id": row["origin_id"], "relay": row["relay"]} for row in chains],
        "carriers": [{"id": row["source_id"], "kind": row["kind"], **row["details"], "first": row["is_first"],
                      "independent": row["independent"], "publication": row["publication"]} for row in carried],
        "first": next(({"id": row["source_id"], **row["details"]} for row in carried if row["is_first"]), None),
        "corroboration": {"independent_outlets": claim["independent_outlets"],
                          "single_source": claim["single_source"],
                          "origins": sorted({row["origin_id"] for row in chains})},
    }


def _cards(session: Session, query: sa.Select, limit: int) -> list[dict[str, Any]]:
    return [row.card for row in session.execute(query.limit(limit))]


def _claims_order() -> list:
    return _date_order(claims.c.said_unknown, claims.c.said_start, claims.c.said_end, claims.c.position)


def _counted(session: Session, query: sa.Select) -> list[dict[str, Any]]:
    return [{"id": row.id, "name": row.name, "kind": row.kind, "claims": row.claims} for row in session.execute(query)]


def outlet_attribution(session: Session, source_id: str, *, limit: int = DEFAULT_LIMIT) -> dict[str, Any] | None:
    """An outlet's claims, those it reported first, the outlets it cites and that cite it, its speakers."""
    outlet = resolve_source(session, source_id)
    if outlet is None:
        return None
    carried = sa.select(carriers.c.claim_id).where(carriers.c.source_id == outlet["id"])
    first = carried.where(carriers.c.is_first)
    reported = (sa.select(claims.c.card).where(claims.c.claim_id.in_(carried)).order_by(*_claims_order()))
    reported_first = (sa.select(claims.c.card).where(claims.c.claim_id.in_(first)).order_by(*_claims_order()))
    count = sa.func.count(sa.distinct(citations.c.claim_id)).label("claims")
    cites = (sa.select(sources.c.source_id.label("id"), sources.c.name, sources.c.kind, count)
             .join(citations, citations.c.cited_id == sources.c.source_id)
             .where(citations.c.citing_id == outlet["id"], citations.c.cited_kind == OUTLET)
             .group_by(sources.c.source_id, sources.c.name, sources.c.kind).order_by(count.desc(), sources.c.name))
    cited_by = (sa.select(sources.c.source_id.label("id"), sources.c.name, sources.c.kind, count)
                .join(citations, citations.c.citing_id == sources.c.source_id)
                .where(citations.c.cited_id == outlet["id"], citations.c.citing_kind == OUTLET)
                .group_by(sources.c.source_id, sources.c.name, sources.c.kind)
                .order_by(count.desc(), sources.c.name))
    speaker_count = sa.func.count().label("claims")
    speakers = (sa.select(sources.c.source_id.label("id"), sources.c.name, sources.c.kind, speaker_count)
                .join(claims, claims.c.speaker_id == sources.c.source_id)
                .where(claims.c.claim_id.in_(carried))
                .group_by(sources.c.source_id, sources.c.name, sources.c.kind)
                .order_by(speaker_count.desc(), sources.c.name))
    totals = session.execute(sa.select(sa.func.count(), sa.func.count().filter(carriers.c.is_first))
                             .where(carriers.c.source_id == outlet["id"])).one()
    return {
        "outlet": outlet, "claims_count": totals[0], "first_count": totals[1],
        "claims": _cards(session, reported, limit), "first": _cards(session, reported_first, limit),
        "cites": _counted(session, cites), "cited_by": _counted(session, cited_by),
        "speakers": _counted(session, speakers),
    }


def speaker_attribution(session: Session, source_id: str, *, limit: int = DEFAULT_LIMIT) -> dict[str, Any] | None:
    """A speaker's claims, the roles they spoke in over time, and the outlets that carried them."""
    speaker = resolve_source(session, source_id)
    if speaker is None:
        return None
    theirs = sa.select(claims.c.claim_id).where(claims.c.speaker_id == speaker["id"])
    said = sa.select(claims.c.card).where(claims.c.speaker_id == speaker["id"]).order_by(*_claims_order())
    roles = session.execute(
        sa.select(claims.c.speaker_role, claims.c.card)
        .where(claims.c.speaker_id == speaker["id"], claims.c.speaker_role.is_not(None))
        .order_by(*_claims_order())).all()
    periods: list[dict[str, Any]] = []
    for role, card in roles:
        said_on = card["said_on"]
        if periods and periods[-1]["role"] == role:
            periods[-1]["until"] = said_on
            periods[-1]["claims"] += 1
        else:
            periods.append({"role": role, "from": said_on, "until": said_on, "claims": 1})
    count = sa.func.count(sa.distinct(carriers.c.claim_id)).label("claims")
    outlets = (sa.select(sources.c.source_id.label("id"), sources.c.name, sources.c.kind, count)
               .join(carriers, carriers.c.source_id == sources.c.source_id)
               .where(carriers.c.claim_id.in_(theirs), carriers.c.source_id != speaker["id"])
               .group_by(sources.c.source_id, sources.c.name, sources.c.kind).order_by(count.desc(), sources.c.name))
    total = session.execute(sa.select(sa.func.count()).where(claims.c.speaker_id == speaker["id"])).scalar_one()
    return {"speaker": speaker, "claims_count": total, "claims": _cards(session, said, limit), "roles": periods,
            "outlets": _counted(session, outlets)}
