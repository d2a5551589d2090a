"""Source attribution as of a past moment: a claim's chains and carriers, an outlet's and a speaker's page.

Claims untouched since the moment are read from the attribution tables; the changed ones' rows are computed
(``attribution_rows.rows_for``) from their states then. An outlet's or speaker's page then aggregates the rows
of its claims in Python: the cost is its claims' rows plus the moment's (the events after it).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.readmodels.as_of import Past
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
    attribution_sources as sources,
)
from factlog.readmodels.attribution_rows import rows_for
from factlog.readmodels.claim_state import source_ids
from factlog.readmodels.queries import attribution as present
from factlog.readmodels.source_info import lookup
from factlog.sql import any_of

OUTLET = "outlet"
DEFAULT_LIMIT = present.DEFAULT_LIMIT


def claim_attribution(session: Session, past: Past, claim_id: str) -> dict[str, Any] | None:
    """``queries.claim_attribution`` as of the moment (None for a claim not recorded by then)."""
    claim_id = str(claim_id)
    if claim_id not in past.changed:
        return present.claim_attribution(session, claim_id)
    rows = _then_rows(session, past).get(claim_id)
    if rows is None:
        return None
    carried = sorted(rows["carriers"], key=lambda row: (row["published_unknown"], row["published_start"],
                                                         row["published_end"], row["position"]))
    return present.claim_view(rows["claims"][0], rows["reports"], carried)


def outlet_attribution(session: Session, past: Past, source_id: str, *,
                       limit: int = DEFAULT_LIMIT) -> dict[str, Any] | None:
    """``queries.outlet_attribution`` as of the moment."""
    outlet = present.resolve_source(session, source_id)
    if outlet is None:
        return None
    oid = outlet["id"]
    carried = _claim_ids(session, past, sa.select(carriers.c.claim_id).where(carriers.c.source_id == oid))
    rows = _rows(session, past, carried, lambda rows: any(c["source_id"] == oid for c in rows["carriers"]))
    mine = [(claim, next(c for c in group["carriers"] if c["source_id"] == oid)) for claim, group in rows]
    first = [claim for claim, carrier in mine if carrier["is_first"]]
    cites: dict[str, set[str]] = {}
    cited_by: dict[str, set[str]] = {}
    speakers: dict[str, int] = {}
    for claim, group in rows:
        for citation in group["citations"]:
            if citation["citing_id"] == oid and citation["cited_kind"] == OUTLET:
                cites.setdefault(citation["cited_id"], set()).add(claim["claim_id"])
            if citation["cited_id"] == oid and citation["citing_kind"] == OUTLET:
                cited_by.setdefault(citation["citing_id"], set()).add(claim["claim_id"])
        speakers[claim["speaker_id"]] = speakers.get(claim["speaker_id"], 0) + 1
    return {"outlet": outlet, "claims_count": len(mine), "first_count": len(first),
            "claims": _cards([claim for claim, _ in mine], limit), "first": _cards(first, limit),
            "cites": _counted(session, {k: len(v) for k, v in cites.items()}),
            "cited_by": _counted(session, {k: len(v) for k, v in cited_by.items()}),
            "speakers": _counted(session, speakers)}


def speaker_attribution(session: Session, past: Past, source_id: str, *,
                        limit: int = DEFAULT_LIMIT) -> dict[str, Any] | None:
    """``queries.speaker_attribution`` as of the moment."""
    speaker = present.resolve_source(session, source_id)
    if speaker is None:
        return None
    sid = speaker["id"]
    theirs = _claim_ids(session, past, sa.select(claims.c.claim_id).where(claims.c.speaker_id == sid))
    rows = _rows(session, past, theirs, lambda rows: rows["claims"][0]["speaker_id"] == sid)
    said = _ordered([claim for claim, _ in rows])
    periods: list[dict[str, Any]] = []
    for claim in said:
        role, said_on = claim["speaker_role"], claim["card"]["said_on"]
        if role is None:
            continue
        if periods and periods[-1]["role"] == role:
            periods[-1]["until"] = said_on
            periods[-1]["claims"] += 1
        else:
            periods.append({"role": role, "from": said_on, "until": said_on, "claims": 1})
    outlets: dict[str, set[str]] = {}
    for claim, group in rows:
        for carrier in group["carriers"]:
            if carrier["source_id"] != sid:
                outlets.setdefault(carrier["source_id"], set()).add(claim["claim_id"])
    return {"speaker": speaker, "claims_count": len(said), "claims": [c["card"] for c in said[:limit]],
            "roles": periods, "outlets": _counted(session, {k: len(v) for k, v in outlets.items()})}


def _then_rows(session: Session, past: Past) -> dict[str, dict[str, list[dict]]]:
    """``rows_for`` of every changed claim that existed at the moment, by claim id."""
    def compute() -> dict[str, dict[str, list[dict]]]:
        found = lookup(session, sources, {i for state in past.states.values() for i in source_ids(state)})
        return {claim_id: rows_for(state, found) for claim_id, state in past.states.items()}

    return past.memo("attribution_rows", compute)


def _claim_ids(session: Session, past: Past, query: sa.Select) -> list[str]:
    """The claims a query names in the tables, less those changed since the moment."""
    if past.changed:
        query = query.where(sa.not_(any_of(session, query.selected_columns[0], past.changed)))
    return list(dict.fromkeys(session.execute(query).scalars()))


def _rows(session: Session, past: Past, claim_ids: list[str],
          belongs: Callable[[dict], bool]) -> list[tuple[dict, dict]]:
    """(claim row, all its rows) of the unchanged ``claim_ids`` from the tables, and of the changed claims
    that ``belongs`` then."""
    found: dict[str, dict[str, list[dict]]] = {claim_id: {"claims": [], "carriers": [], "citations": []}
                                               for claim_id in claim_ids}
    for name, table in (("claims", claims), ("carriers", carriers), ("citations", citations)):
        if claim_ids:
            for row in session.execute(sa.select(table).where(any_of(session, table.c.claim_id, claim_ids))):
                found[row.claim_id][name].append(dict(row._mapping))
    result = [(group["claims"][0], group) for group in found.values() if group["claims"]]
    result += [(group["claims"][0], group) for group in _then_rows(session, past).values() if belongs(group)]
    return result


def _ordered(rows: Iterable[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: (row["said_unknown"], _day(row["said_start"]), _day(row["said_end"]),
                                         row["position"]))


def _cards(rows: Iterable[dict], limit: int) -> list[dict]:
    return [row["card"] for row in _ordered(rows)[:limit]]


def _counted(session: Session, counts: dict[str, int]) -> list[dict[str, Any]]:
    if not counts:
        return []
    named = session.execute(sa.select(sources.c.source_id, sources.c.name, sources.c.kind)
                            .where(any_of(session, sources.c.source_id, counts))).all()
    listed = [{"id": row.source_id, "name": row.name, "kind": row.kind, "claims": counts[row.source_id]}
              for row in named]
    return sorted(listed, key=lambda row: (-row["claims"], row["name"]))


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))

