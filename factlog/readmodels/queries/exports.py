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
from factlog.readmodels.as_of import Past
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
from factlog.readmodels.queries import as_of_attribution, as_of_timelines
from factlog.readmodels.queries.timelines import MAX_LIMIT, InvalidCursor, TimelinePage, timeline
from factlog.readmodels.timelines import ALL, ALL_KEY, timeline_claims, timeline_entries, timeline_id
from factlog.sql import any_of

FEED_SIZE = 50
TIMELINES = "timelines"  # the projection whose cards the exports show
FOLDED = tuple(event_type for event_type in CLAIM_EVENTS if event_type != CLAIMS_LINKED)  # what it folds
CHANGED = ("corrected", "retracted")


def details(session: Session, cards: list[dict[str, Any]], past: Past | None = None) -> list[dict[str, Any]]:
    """Each card with what exports add: every report's chain, carriers, the first, corroboration, the
    claim's state (verdict explanation, positions) and ``recorded_at`` of each of its events by position;
    with ``past``, as of its moment (the cards given are then the moment's)."""
    ids = [card["claim_id"] for card in cards]
    if not ids:
        return []
    states, times = claim_states(session, ids, None if past is None else past.position)
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
        row = {"card": card, "state": states.get(claim_id) or {}, "reports": chains.get(claim_id, []),
               "first": first.get(claim_id),
               "independent_outlets": None if count is None else count.independent_outlets,
               "single_source": None if count is None else count.single_source, "times": times}
        if past is not None and claim_id in past.changed:
            row |= _then_attribution(session, past, claim_id)
        out.append(row)
    return out


def _then_attribution(session: Session, past: Past, claim_id: str) -> dict[str, Any]:
    """What ``details`` reads from the attribution tables, for a claim changed since the moment."""
    view = as_of_attribution.claim_attribution(session, past, claim_id)
    if view is None:
        return {}
    return {"reports": [{"report_id": report["report_id"], "chain": report["chain"]} for report in view["reports"]],
            "first": view["first"], "independent_outlets": view["corroboration"]["independent_outlets"],
            "single_source": view["corroboration"]["single_source"]}


def claim_states(session: Session, claim_ids: list[str],
                 upto: int | None = None) -> tuple[dict[str, dict], dict[int, datetime]]:
    """Each claim's state as the timelines projection folded it (its events up to the projection's
    checkpoint, so that it agrees with the card; or up to ``upto``, a past moment's position), and when
    each of those events was recorded."""
    if upto is None:
        upto = session.execute(sa.select(checkpoints.c.position).where(checkpoints.c.name == TIMELINES)).scalar()
    if not upto:
        return {}, {}
    found = eventstore.read_streams(session, [stream_id(claim_id) for claim_id in claim_ids], types=FOLDED,
                                    upto=upto)
    return fold({}, found), {event.position: event.recorded_at for event in found}


def export_page(session: Session, kind: str, key: str = ALL_KEY, past: Past | None = None,
                **filters: Any) -> tuple[list[dict], str | None]:
    """One timeline page (``queries.timeline``'s filters and cursor) with each claim's export details; with
    ``past``, as of its moment."""
    page: TimelinePage = timeline(session, kind, key, **filters) if past is None \
        else as_of_timelines.timeline(session, past, kind, key, **filters)
    return details(session, page.entries, past), page.next_cursor


def iter_export(session: Session, kind: str, key: str = ALL_KEY, past: Past | None = None,
                **filters: Any) -> Iterator[dict]:
    """Every claim of a timeline, page after page, for a streamed export (as of ``past``'s moment)."""
    filters = {**filters, "limit": MAX_LIMIT, "cursor": filters.get("cursor")}
    while True:
        rows, next_cursor = export_page(session, kind, key, past, **filters)
        session.rollback()  # no transaction (nor SQLite's lock) held while the client reads the page
        yield from rows
        if next_cursor is None:
            return
        filters["cursor"] = next_cursor


def recent(session: Session, kind: str, key: str = ALL_KEY, *, limit: int = FEED_SIZE,
           past: Past | None = None) -> list[dict]:
    """A timeline's most recently recorded claims, newest first: what a feed shows (as of ``past``)."""
    e, key = timeline_entries, ALL_KEY if kind == ALL else key
    query = (sa.select(timeline_claims.c.card, e.c.timeline, e.c.key)
             .join(timeline_claims, timeline_claims.c.claim_id == e.c.claim_id)
             .where(e.c.timeline_id == timeline_id(kind, key))
             .order_by(e.c.position.desc()).limit(limit))
    if past is not None and past.changed:
        query = query.where(sa.not_(any_of(session, e.c.claim_id, past.changed)))
    rows = session.execute(query).all()
    if any((row.timeline, row.key) != (kind, key) for row in rows):  # two timelines share the id (a hash)
        rows = session.execute(query.where(e.c.timeline == kind, e.c.key == key)).all()
    cards = [row.card for row in rows]
    if past is not None:  # the changed claims of this timeline, as they were then
        cards += [card for _, card in as_of_timelines.then_entries(
            session, past, kind=kind, key=key, by="said_on", start=None, end=None, verdict=None, status=None,
            outlet=None)]
        cards = sorted(cards, key=lambda card: card["position"], reverse=True)[:limit]
    return details(session, cards, past)


def recently_changed(session: Session, *, limit: int = FEED_SIZE, past: Past | None = None) -> list[dict]:
    """The corrected or retracted claims most recently recorded (whose changes the corrections feed lists),
    as of ``past``'s moment if given."""
    query = (sa.select(timeline_claims.c.card).where(timeline_claims.c.status.in_(CHANGED))
             .order_by(timeline_claims.c.position.desc()).limit(limit * 4))
    if past is not None and past.changed:
        query = query.where(sa.not_(any_of(session, timeline_claims.c.claim_id, past.changed)))
    cards = [row.card for row in session.execute(query)]
    if past is not None:
        cards += [card for _, card in as_of_timelines.then_entries(
            session, past, kind=ALL, key=ALL_KEY, by="said_on", start=None, end=None, verdict=None, status=None,
            outlet=None) if card["status"] in CHANGED]
        cards = sorted(cards, key=lambda card: card["position"], reverse=True)[:limit * 4]
    return details(session, cards, past)


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
