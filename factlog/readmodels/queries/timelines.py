"""Timelines by topic, speaker, outlet (or all claims): filtered, in date order, keyset-paginated.

A page is read from an index in (unknown date, earliest day, latest day, position) order starting after
the cursor, so page 1,000 costs what page 1 costs. Cursors are opaque to callers.
"""
from __future__ import annotations

import base64
import binascii
import functools
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.hot_statements import HotStatement
from factlog.readmodels.timelines import (
    ALL,
    ALL_KEY,
    OUTLET,
    SPEAKER,
    TOPIC,
    kind_ids,
    timeline_claims,
    timeline_entries,
    timeline_id,
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
    page = _Page(kind, key, by, start, end, verdict, status, outlet, limit, cursor)
    rows = page.rows(session, encoded=False)
    entries = []
    for row in rows[:page.limit]:
        entry = dict(row[0])
        entry["date"] = entry[by]
        if page.window:
            entry["certain"] = page.certain(row)
        entries.append(entry)
    return TimelinePage(entries, page.next_cursor(rows))


def timeline_encoded(session: Session, kind: str, key: str = ALL_KEY, *, by: str = "said_on",
                     start: date | None = None, end: date | None = None, verdict: str | None = None,
                     status: str | None = None, outlet: str | None = None, limit: int = 50,
                     cursor: str | None = None) -> TimelinePage:
    """``timeline``, each entry already JSON (an ``orjson.Fragment``) for the API to write as it is.

    The card is read as the text the projector wrote and the entry's ``date`` (the card's ``by`` date,
    kept in its own column) and ``certain`` are added to it as text: decoding 50 cards only to encode them
    again was most of what a page cost the web process.
    """
    page = _Page(kind, key, by, start, end, verdict, status, outlet, limit, cursor)
    rows = page.rows(session, encoded=True)
    entries = []
    for row in rows[:page.limit]:
        extra = f',"date":{row[1]}'
        if page.window:
            extra += ',"certain":true' if page.certain(row) else ',"certain":false'
        entries.append(orjson.Fragment(_add_to_object(row[0], extra)))
    return TimelinePage(entries, page.next_cursor(rows))


def _add_to_object(document: str, members: str) -> str:
    """A JSON object's text with more members (``,"name":value...``) written before its closing brace."""
    document = document.rstrip()
    if not document.endswith("}") or document == "{}":
        raise ValueError(f"not a non-empty JSON object: {document[:80]!r}")
    return document[:-1] + members + "}"


class _Page:
    """A page request, checked: its statement (one per shape of request, built once) and its parameters."""

    def __init__(self, kind: str, key: str, by: str, start: date | None, end: date | None, verdict: str | None,
                 status: str | None, outlet: str | None, limit: int, cursor: str | None):
        if kind not in TIMELINES:
            raise ValueError(f"timelines are by {', '.join(TIMELINES)}, not {kind!r}")
        if by not in DATE_FIELDS:
            raise ValueError(f"timelines sort by {' or '.join(DATE_FIELDS)}, not {by!r}")
        if status is not None and status not in STATUSES:
            raise ValueError(f"status is one of {', '.join(STATUSES)}, not {status!r}")
        self.by, self.start, self.end = by, start, end
        self.window = start is not None or end is not None
        self.limit = max(1, min(limit, MAX_LIMIT))
        self.shape = (by, self.window, verdict is not None, status is not None, outlet is not None,
                      cursor is not None)
        key = ALL_KEY if kind == ALL else key
        self.params: dict[str, Any] = {"timeline_id": timeline_id(kind, key), "timeline": kind, "key": key,
                                       "page_size": self.limit + 1, "verdict": verdict, "status": status,
                                       "outlet": outlet, "window_start": start or date.min,
                                       "window_end": end or date.max}
        if cursor is not None:
            names = ("after_unknown", "after_start", "after_end", "after_position")
            self.params.update(zip(names, _decode(cursor, by)))

    def rows(self, session: Session, *, encoded: bool) -> list:
        rows = _page_statement(encoded, *self.shape, False).all(session, self.params)
        timeline = (self.params["timeline"], self.params["key"])
        if not all((row[-6], row[-5]) == timeline for row in rows):
            rows = _page_statement(encoded, *self.shape, True).all(session, self.params)  # see _page_query
        return rows

    def certain(self, row: Any) -> bool:
        """Whether the entry's date surely lies in the window (rows end with unknown, earliest and latest
        day, position)."""
        return (self.start or date.min) <= _day(row[-3]) and _day(row[-2]) <= (self.end or date.max)

    def next_cursor(self, rows: list) -> str | None:
        return _encode(self.by, rows[self.limit - 1]) if len(rows) > self.limit else None


@functools.lru_cache(maxsize=256)
def _page_statement(*shape: Any) -> HotStatement:
    return HotStatement(lambda: _page_query(*shape))


def _page_query(encoded: bool, by: str, window: bool, verdict: bool, status: bool, outlet: bool,
                cursor: bool, exact: bool) -> sa.Select:
    """The page query for one shape of request, values bound by name (see ``_Page.params``): built once
    (building the statement cost more than running it), so the driver can also prepare it on the server.

    It selects the card (as the text stored, when ``encoded``; then also the ``by`` date's text), the
    entry's timeline and key, then the sort key: unknown, earliest day, latest day, position; one row more
    than the page, to know whether a next page exists.

    Entries are found by timeline id. Two timelines may share one (a hash): then, and only then (``exact``),
    the query also compares timeline and key. Not always: the planner would take the three conditions for
    independent, expect a handful of rows, and sort the whole timeline instead of reading the index in
    order (ten times slower on a large timeline)."""
    e, c, prefix = timeline_entries, timeline_claims, DATE_FIELDS[by]
    unknown, first, last = e.c[f"{prefix}_unknown"], e.c[f"{prefix}_start"], e.c[f"{prefix}_end"]
    columns = (sa.cast(c.c.card, sa.Text), sa.cast(c.c[by], sa.Text)) if encoded else (c.c.card,)
    query = (sa.select(*columns, e.c.timeline, e.c.key, unknown, first, last, e.c.position)
             .join(c, c.c.claim_id == e.c.claim_id)
             .where(e.c.timeline_id == sa.bindparam("timeline_id", type_=sa.BigInteger())))
    if exact:
        query = query.where(e.c.timeline == sa.bindparam("timeline"), e.c.key == sa.bindparam("key"))
    if window:
        query = query.where(unknown == 0, first <= sa.bindparam("window_end", type_=sa.Date()),
                            last >= sa.bindparam("window_start", type_=sa.Date()))
    if verdict:
        query = query.where(e.c.verdict == sa.bindparam("verdict"))
    if status:
        query = query.where(e.c.status == sa.bindparam("status"))
    if outlet:
        carried = timeline_entries.alias("carried")
        query = query.where(sa.exists().where(carried.c.timeline == OUTLET,
                                              carried.c.key == sa.bindparam("outlet"),
                                              carried.c.claim_id == e.c.claim_id))
    if cursor:
        after = (sa.bindparam("after_unknown", type_=sa.SmallInteger()),
                 sa.bindparam("after_start", type_=sa.Date()), sa.bindparam("after_end", type_=sa.Date()),
                 sa.bindparam("after_position", type_=sa.BigInteger()))
        query = query.where(sa.tuple_(unknown, first, last, e.c.position) > sa.tuple_(*after))
    page_size = sa.bindparam("page_size", type_=sa.Integer())
    return query.order_by(unknown, first, last, e.c.position).limit(page_size)


def timeline_keys(session: Session, kind: str) -> list[tuple[str, int]]:
    """The timelines of a kind (topics, speakers, outlets) with their number of claims, largest first."""
    e = timeline_entries
    count = sa.func.count().label("claims")
    first, last = kind_ids(kind)  # the kind's ids: a range of the page index, which holds the keys too
    rows = session.execute(sa.select(e.c.key, count).where(e.c.timeline_id.between(first, last))
                           .group_by(e.c.key).order_by(count.desc(), e.c.key))
    return [(row.key, row.claims) for row in rows]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _encode(by: str, row: Any) -> str:
    raw = json.dumps([by, row[-4], _day(row[-3]).isoformat(), _day(row[-2]).isoformat(), row[-1]])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, by: str) -> tuple[int, date, date, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_by, unknown, first, last, position = json.loads(raw)
        decoded = (int(unknown), date.fromisoformat(first), date.fromisoformat(last), int(position))
        if decoded[0] not in (0, 1) or not 0 <= decoded[3] < 2 ** 63:
            raise ValueError("out of range")
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise InvalidCursor("this cursor was not handed out by factlog; start again without one") from None
    if cursor_by != by:
        raise InvalidCursor(f"this cursor pages a timeline sorted by {cursor_by}, not {by}")
    return decoded
