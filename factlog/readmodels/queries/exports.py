"""What the exports read: a timeline's claims with their full attribution, the claims that have a verdict,
the latest corrections and retractions, and the times events were recorded at.

Each page joins the timelines and attribution read models for at most ``MAX_LIMIT`` claims at once, so an
export of a whole log streams page by page (keyset cursors, as the timelines).
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.claims.claim import stream_id
from factlog.projections.tables import projection_checkpoints as checkpoints
from factlog.readmodels.attribution import (
    attribution_carriers as carriers,
)
from factlog.readmodels.attribution import (
    attribution_claims as attribution,
)
from factlog.readmodels.attribution import (
    attribution_reports as reports,
)
from factlog.readmodels.claim_state import CLAIM_EVENTS, CLAIMS_LINKED, fold
from factlog.readmodels.queries.timelines import MAX_LIMIT, InvalidCursor, TimelinePage, timeline
from factlog.readmodels.timelines import ALL, ALL_KEY, timeline_claims, timeline_entries, timeline_id

FEED_SIZE = 50
TIMELINES = "timelines"  # the projection whose cards the exports show
FOLDED = tuple(event_type for event_type in CLAIM_EVENTS if event_type != CLAIMS_LINKED)  # what it folds
CHANGED = ("corrected", "retracted")


def details(session: Session, cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each card with what exports add: every report's chain, carriers, the first, corroboration, the
    claim's state (verdict explanation, positions) and ``recorded_at`` of each of its events by position."""
    ids = [card["claim_id"] for card in cards]
    if not ids:
        return []
    states, times = claim_states(session, ids)
    counted = {row.claim_id: row for row in session.execute(
        sa.select(attribution.c.claim_id, attribution.c.independent_outlets, attribution.c.single_source)
        .where(attribution.c.claim_id.in_(ids)))}
    chains: dict[str, list] = {}
    for row in session.execute(sa.select(reports.c.claim_id, reports.c.report_id, reports.c.chain)
                               .where(reports.c.claim_id.in_(ids))
                               .order_by(reports.c.claim_id, reports.c.position, reports.c.report_id)):
        chains.setdefault(row.claim_id, []).append({"report_id": row.report_id, "chain": row.chain})
    first: dict[str, dict] = {}
    for row in session.execute(sa.select(carriers.c.claim_id, carriers.c.source_id, carriers.c.details)
                               .where(carriers.c.claim_id.in_(ids), carriers.c.is_first)):
        first[row.claim_id] = {"id": row.source_id, **row.details}
    out = []
    for card in cards:
        claim_id = card["claim_id"]
        count = counted.get(claim_id)
        out.append({"card": card, "state": states.get(claim_id) or {}, "reports": chains.get(claim_id, []),
                    "first": first.get(claim_id),
                    "independent_outlets": None if count is None else count.independent_outlets,
                    "single_source": None if count is None else count.single_source, "times": times})
    return out


def claim_states(session: Session, claim_ids: list[str]) -> tuple[dict[str, dict], dict[int, datetime]]:
    """Each claim's state as the timelines projection folded it (its events up to the projection's
    checkpoint, so that it agrees with the card), and when each of those events was recorded."""
    upto = session.execute(sa.select(checkpoints.c.position).where(checkpoints.c.name == TIMELINES)).scalar()
    if not upto:
        return {}, {}
    found = eventstore.read_streams(session, [stream_id(claim_id) for claim_id in claim_ids], types=FOLDED,
                                    upto=upto)
    return fold({}, found), {event.position: event.recorded_at for event in found}


def export_page(session: Session, kind: str, key: str = ALL_KEY,
                **filters: Any) -> tuple[list[dict], str | None]:
    """One timeline page (``queries.timeline``'s filters and cursor) with each claim's export details."""
    page: TimelinePage = timeline(session, kind, key, **filters)
    return details(session, page.entries), page.next_cursor


def iter_export(session: Session, kind: str, key: str = ALL_KEY, **filters: Any) -> Iterator[dict]:
    """Every claim of a timeline, page after page, for a streamed export."""
    filters = {**filters, "limit": MAX_LIMIT, "cursor": filters.get("cursor")}
    while True:
        rows, next_cursor = export_page(session, kind, key, **filters)
        session.rollback()  # no transaction (nor SQLite's lock) held while the client reads the page
        yield from rows
        if next_cursor is None:
            return
        filters["cursor"] = next_cursor


def recent(session: Session, kind: str, key: str = ALL_KEY, *, limit: int = FEED_SIZE) -> list[dict]:
    """A timeline's most recently recorded claims, newest first: what a feed shows."""
    e, key = timeline_entries, ALL_KEY if kind == ALL else key
    query = (sa.select(timeline_claims.c.card, e.c.timeline, e.c.key)
             .join(timeline_claims, timeline_claims.c.claim_id == e.c.claim_id)
             .where(e.c.timeline_id == timeline_id(kind, key))
             .order_by(e.c.position.desc()).limit(limit))
    rows = session.execute(query).all()
    if any((row.timeline, row.key) != (kind, key) for row in rows):  # two timelines share the id (a hash)
        rows = session.execute(query.where(e.c.timeline == kind, e.c.key == key)).all()
    return details(session, [row.card for row in rows])


def recently_changed(session: Session, *, limit: int = FEED_SIZE) -> list[dict]:
    """The corrected or retracted claims most recently recorded (whose changes the corrections feed lists)."""
    query = (sa.select(timeline_claims.c.card).where(timeline_claims.c.status.in_(CHANGED))
             .order_by(timeline_claims.c.position.desc()).limit(limit * 4))
    return details(session, [row.card for row in session.execute(query)])


def reviewed_page(session: Session, *, limit: int = 50,
                  cursor: str | None = None) -> tuple[list[dict], str | None]:
    """Claims that have a verdict, in the all-claims timeline's date order, after an opaque cursor."""
    e = timeline_entries
    limit = max(1, min(limit, MAX_LIMIT))
    key = (e.c.said_unknown, e.c.said_start, e.c.said_end, e.c.position)
    query = (sa.select(timeline_claims.c.card, *key)
             .join(timeline_claims, timeline_claims.c.claim_id == e.c.claim_id)
             # The all-claims timeline's id is the only one of its kind: no other timeline shares it.
             .where(e.c.timeline_id == timeline_id(ALL, ALL_KEY), e.c.verdict.is_not(None)))
    if cursor is not None:
        query = query.where(sa.tuple_(*key) > sa.tuple_(*_decode(cursor)))
    rows = session.execute(query.order_by(*key).limit(limit + 1)).all()
    next_cursor = _encode(rows[limit - 1]) if len(rows) > limit else None
    return details(session, [row.card for row in rows[:limit]]), next_cursor


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _encode(row: Any) -> str:
    raw = json.dumps(["reviewed", row[1], _day(row[2]).isoformat(), _day(row[3]).isoformat(), row[4]])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int, date, date, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        tag, unknown, first, last, position = json.loads(raw)
        if tag != "reviewed":
            raise ValueError(tag)
        return int(unknown), date.fromisoformat(first), date.fromisoformat(last), int(position)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise InvalidCursor("this cursor was not handed out by factlog's claim-review list; start again "
                            "without one") from None
