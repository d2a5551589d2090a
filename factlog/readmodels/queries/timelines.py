"""Timelines by topic, speaker, outlet (or all claims): filtered, in date order, keyset-paginated.

A page is read from an index in (unknown date, earliest day, latest day, position) order starting after
the cursor, so page 1,000 costs what page 1 costs. Cursors are opaque to callers.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.readmodels.timelines import (
    ALL,
    ALL_KEY,
    OUTLET,
    SPEAKER,
    TOPIC,
    timeline_claims,
    timeline_entries,
)

TIMELINES = (TOPIC, SPEAKER, OUTLET, ALL)
DATE_FIELDS = {"said_on": "said", "happened_on": "happened"}
STATUSES = ("active", "corrected", "retracted")
MAX_LIMIT = 200


class InvalidCursor(ValueError):
    """A cursor this server did not hand out (or for another ordering)."""


@dataclass(frozen=True)
class TimelinePage:
    entries: list[dict[str, Any]]
    next_cursor: str | None


def timeline(session: Session, kind: str, key: str = ALL_KEY, *, by: str = "said_on", start: date | None = None,
             end: date | None = None, verdict: str | None = None, status: str | None = None,
             outlet: str | None = None, limit: int = 50, cursor: str | None = None) -> TimelinePage:
    """One page of a timeline, oldest first; ``start``/``end`` keep claims whose date may fall in the window.

    Each entry is the claim's card plus ``date`` (the ``by`` date) and, with a window, ``certain``: whether
    the date surely lies inside it (a month-precision date only may lie in 1-15 October).
    """
    if kind not in TIMELINES:
        raise ValueError(f"timelines are by {', '.join(TIMELINES)}, not {kind!r}")
    if by not in DATE_FIELDS:
        raise ValueError(f"timelines sort by {' or '.join(DATE_FIELDS)}, not {by!r}")
    if status is not None and status not in STATUSES:
        raise ValueError(f"status is one of {', '.join(STATUSES)}, not {status!r}")
    limit = max(1, min(limit, MAX_LIMIT))
    e, prefix = timeline_entries, DATE_FIELDS[by]
    unknown, first, last = e.c[f"{prefix}_unknown"], e.c[f"{prefix}_start"], e.c[f"{prefix}_end"]
    query = (sa.select(timeline_claims.c.card, unknown, first, last, e.c.position)
             .join(timeline_claims, timeline_claims.c.claim_id == e.c.claim_id)
             .where(e.c.timeline == kind, e.c.key == (ALL_KEY if kind == ALL else key)))
    if start is not None or end is not None:
        query = query.where(unknown == 0, first <= (end or date.max), last >= (start or date.min))
    if verdict is not None:
        query = query.where(e.c.verdict == verdict)
    if status is not None:
        query = query.where(e.c.status == status)
    if outlet is not None:
        carried = timeline_entries.alias("carried")
        query = query.where(sa.exists().where(carried.c.timeline == OUTLET, carried.c.key == outlet,
                                              carried.c.claim_id == e.c.claim_id))
    if cursor is not None:
        after = _decode(cursor, by)
        query = query.where(sa.tuple_(unknown, first, last, e.c.position) > sa.tuple_(*after))
    rows = session.execute(query.order_by(unknown, first, last, e.c.position).limit(limit + 1)).all()
    entries = []
    for row in rows[:limit]:
        entry = dict(row.card)
        entry["date"] = entry[by]
        if start is not None or end is not None:
            entry["certain"] = (start or date.min) <= _day(row[2]) and _day(row[3]) <= (end or date.max)
        entries.append(entry)
    next_cursor = _encode(by, rows[limit - 1]) if len(rows) > limit else None
    return TimelinePage(entries, next_cursor)


def timeline_keys(session: Session, kind: str) -> list[tuple[str, int]]:
    """The timelines of a kind (topics, speakers, outlets) with their number of claims, largest first."""
    e = timeline_entries
    count = sa.func.count().label("claims")
    rows = session.execute(sa.select(e.c.key, count).where(e.c.timeline == kind).group_by(e.c.key)
                           .order_by(count.desc(), e.c.key))
    return [(row.key, row.claims) for row in rows]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _encode(by: str, row: Any) -> str:
    raw = json.dumps([by, row[1], _day(row[2]).isoformat(), _day(row[3]).isoformat(), row[4]])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, by: str) -> tuple[int, date, date, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_by, unknown, first, last, position = json.loads(raw)
        decoded = (int(unknown), date.fromisoformat(first), date.fromisoformat(last), int(position))
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise InvalidCursor("this cursor was not handed out by factlog; start again without one") from None
    if cursor_by != by:
        raise InvalidCursor(f"this cursor pages a timeline sorted by {cursor_by}, not {by}")
    return decoded
