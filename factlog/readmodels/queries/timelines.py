"""Timelines by topic, speaker, outlet (or all claims): filtered, in date order, keyset-paginated.

A page is read from an index in (unknown date, earliest day, latest day, position) order, forwards or
backwards, starting next to the cursor's entry, so page 1,000 costs what page 1 costs. Oldest first is the
index's order (unknown dates last); newest first reads the dated entries backwards, then the undated ones
backwards (newest recorded first), so unknown dates come last in both orders and neither order sorts.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.claims.topics import topic_label
from factlog.hot_statements import HotStatement
from factlog.readmodels.queries.timeline_cursors import (
    AFTER,
    BEFORE,
    OLDEST,
    ORDERS,
    Cursor,
    InvalidCursor,
    SortKey,
    decode,
    encode,
)
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
    timeline_sources,
)

TIMELINES = (TOPIC, SPEAKER, OUTLET, ALL)
DATE_FIELDS = {"said_on": "said", "happened_on": "happened"}
STATUSES = ("active", "corrected", "retracted")
MAX_LIMIT = 200

__all__ = ["DATE_FIELDS", "InvalidCursor", "MAX_LIMIT", "ORDERS", "STATUSES", "TIMELINES", "TimelinePage",
           "timeline", "timeline_count", "timeline_encoded", "timeline_keys", "timeline_labels"]


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Any]
    next_cursor: str | None
    previous_cursor: str | None = None
    # How many entries of the timeline (as filtered, in this order) come before the page's first; None when
    # the page was asked for with a cursor handed out before cursors counted.
    offset: int | None = 0


def timeline(session: Session, kind: str, key: str = ALL_KEY, *, by: str = "said_on", order: str = OLDEST,
             start: date | None = None, end: date | None = None, verdict: str | None = None,
             status: str | None = None, outlet: str | None = None, limit: int = 50,
             cursor: str | None = None) -> TimelinePage:
    """One page of a timeline, ``order`` "oldest" or "newest" first; ``start``/``end`` keep claims whose date
    may fall in the window.

    Each entry is the claim's card plus ``date`` (the ``by`` date) and, with a window, ``certain``: whether
    the date surely lies inside it (a month-precision date only may lie in 1-15 October).
    """
    page = _Page(kind, key, by, order, start, end, verdict, status, outlet, limit, cursor)
    rows, links = page.read(session, encoded=False)
    entries = []
    for row in rows:
        entry = dict(row[0])
        entry["date"] = entry[by]
        if page.window:
            entry["certain"] = page.certain(row)
        entries.append(entry)
    return TimelinePage(entries, *links)


def timeline_encoded(session: Session, kind: str, key: str = ALL_KEY, *, by: str = "said_on",
                     order: str = OLDEST, start: date | None = None, end: date | None = None,
                     verdict: str | None = None, status: str | None = None, outlet: str | None = None,
                     limit: int = 50, cursor: str | None = None) -> TimelinePage:
    """``timeline``, each entry already JSON (an ``orjson.Fragment``) for the API to write as it is.

    The card is read as the text the projector wrote and the entry's ``date`` (the card's ``by`` date,
    kept in its own column) and ``certain`` are added to it as text: decoding 50 cards only to encode them
    again was most of what a page cost the web process.
    """
    page = _Page(kind, key, by, order, start, end, verdict, status, outlet, limit, cursor)
    rows, links = page.read(session, encoded=True)
    entries = []
    for row in rows:
        extra = f',"date":{row[1]}'
        if page.window:
            extra += ',"certain":true' if page.certain(row) else ',"certain":false'
        entries.append(orjson.Fragment(_add_to_object(row[0], extra)))
    return TimelinePage(entries, *links)


def timeline_count(session: Session, kind: str, key: str = ALL_KEY, *, by: str = "said_on",
                   start: date | None = None, end: date | None = None, verdict: str | None = None,
                   status: str | None = None, outlet: str | None = None) -> int:
    """How many entries a timeline has with these filters (for the pages' "26-50 of 372"; the API does
    not count: it reads every entry of the timeline, where a page reads a page)."""
    page = _Page(kind, key, by, OLDEST, start, end, verdict, status, outlet, 1, None)
    e = timeline_entries
    # A kind's code is in its ids, so only timelines of one kind can share an id: the key tells them apart.
    query = _filtered(sa.select(sa.func.count()).select_from(e), by, page.window, verdict is not None,
                      status is not None, outlet is not None).where(e.c.key == sa.bindparam("key"))
    return session.execute(query, page.params).scalar_one()


def _add_to_object(document: str, members: str) -> str:
    """A JSON object's text with more members (``,"name":value...``) written before its closing brace."""
    document = document.rstrip()
    if not document.endswith("}") or document == "{}":
        raise ValueError(f"not a non-empty JSON object: {document[:80]!r}")
    return document[:-1] + members + "}"


class _Page:
    """A page request, checked: its parameters, and how to read it from the index."""

    def __init__(self, kind: str, key: str, by: str, order: str, start: date | None, end: date | None,
                 verdict: str | None, status: str | None, outlet: str | None, limit: int, cursor: str | None):
        if kind not in TIMELINES:
            raise ValueError(f"timelines are by {', '.join(TIMELINES)}, not {kind!r}")
        if by not in DATE_FIELDS:
            raise ValueError(f"timelines sort by {' or '.join(DATE_FIELDS)}, not {by!r}")
        if order not in ORDERS:
            raise ValueError(f"timelines run {' or '.join(ORDERS)} first, not {order!r}")
        if status is not None and status not in STATUSES:
            raise ValueError(f"status is one of {', '.join(STATUSES)}, not {status!r}")
        self.by, self.order, self.start, self.end = by, order, start, end
        self.window = start is not None or end is not None
        self.limit = max(1, min(limit, MAX_LIMIT))
        self.filters = (by, self.window, verdict is not None, status is not None, outlet is not None)
        self.cursor = decode(cursor, by, order) if cursor is not None else None
        key = ALL_KEY if kind == ALL else key
        self.params: dict[str, Any] = {"timeline_id": timeline_id(kind, key), "timeline": kind, "key": key,
                                       "verdict": verdict, "status": status, "outlet": outlet,
                                       "window_start": start or date.min, "window_end": end or date.max}

    def read(self, session: Session, *, encoded: bool) -> tuple[list, tuple[str | None, str | None, int | None]]:
        """The page's rows in order, and its next cursor, previous cursor and offset."""
        cursor = self.cursor
        if cursor is not None and cursor.direction != AFTER:
            rows = self._scan(session, encoded, forward=False, boundary=cursor.key, want=self.limit + 1)
            if len(rows) > self.limit:  # entries remain before this page
                rows = rows[:self.limit][::-1]
                offset = None if cursor.offset is None else max(cursor.offset - self.limit, 1)
                return rows, (self._cursor(AFTER, rows[-1], offset, len(rows)),
                              self._cursor(BEFORE, rows[0], offset, 0), offset)
            cursor = None  # fewer than a page before it: show the first page, whole
        rows = self._scan(session, encoded, forward=True, boundary=cursor.key if cursor else None,
                          want=self.limit + 1)
        offset = 0 if cursor is None else cursor.offset
        more, rows = len(rows) > self.limit, rows[:self.limit]
        next_cursor = self._cursor(AFTER, rows[-1], offset, len(rows)) if more else None
        previous = self._cursor(BEFORE, rows[0], offset, 0) if cursor is not None and rows else None
        return rows, (next_cursor, previous, offset)

    def _cursor(self, direction: str, row: Any, offset: int | None, add: int) -> str:
        key: SortKey = (int(row[-4]), _day(row[-3]), _day(row[-2]), int(row[-1]))
        return encode(Cursor(self.by, self.order, direction, key, None if offset is None else offset + add))

    def _scan(self, session: Session, encoded: bool, *, forward: bool, boundary: SortKey | None,
              want: int) -> list:
        """Up to ``want`` rows next to ``boundary`` (or from an end), nearest first: forward in the page's
        order, or backward."""
        ascending = (self.order == OLDEST) == forward  # the index's direction
        if self.order == OLDEST:
            return self._run(session, encoded, ascending, boundary, None, want)
        # Newest first: dated entries (unknown = 0) backwards, then undated ones backwards; each is one range
        # of the index, read in one direction (one index, whichever order: no sort).
        parts = (0, 1) if forward else (1, 0)
        if boundary is not None:
            parts = parts[parts.index(boundary[0]):]
        if self.window:
            parts = tuple(part for part in parts if part == 0)  # a window keeps dated claims only
        rows: list = []
        for part in parts:
            bound = boundary if boundary is not None and boundary[0] == part else None
            rows += self._run(session, encoded, ascending, bound, part, want - len(rows))
            if len(rows) >= want:
                break
        return rows

    def _run(self, session: Session, encoded: bool, ascending: bool, bound: SortKey | None,
             unknown: int | None, limit: int) -> list:
        params = {**self.params, "page_size": limit, "unknown": unknown}
        if bound is not None:
            params.update(zip(("after_unknown", "after_start", "after_end", "after_position"), bound))
        shape = (encoded, *self.filters, bound is not None, ascending, unknown is not None)
        rows = _page_statement(*shape, False).all(session, params)
        timeline = (self.params["timeline"], self.params["key"])
        if not all((row[-6], row[-5]) == timeline for row in rows):
            rows = _page_statement(*shape, True).all(session, params)  # see _page_query
        return rows

    def certain(self, row: Any) -> bool:
        """Whether the entry's date surely lies in the window (rows end with unknown, earliest and latest
        day, position)."""
        return (self.start or date.min) <= _day(row[-3]) and _day(row[-2]) <= (self.end or date.max)


@functools.lru_cache(maxsize=512)
def _page_statement(*shape: Any) -> HotStatement:
    return HotStatement(lambda: _page_query(*shape))


def _filtered(query: sa.Select, by: str, window: bool, verdict: bool, status: bool, outlet: bool) -> sa.Select:
    """``query`` over timeline entries, kept to one timeline's id and the filters asked for (values bound
    by name: see ``_Page.params``)."""
    e, prefix = timeline_entries, DATE_FIELDS[by]
    unknown, first, last = e.c[f"{prefix}_unknown"], e.c[f"{prefix}_start"], e.c[f"{prefix}_end"]
    query = query.where(e.c.timeline_id == sa.bindparam("timeline_id", type_=sa.BigInteger()))
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
    return query


def _page_query(encoded: bool, by: str, window: bool, verdict: bool, status: bool, outlet: bool,
                bound: bool, ascending: bool, one_part: bool, exact: bool) -> sa.Select:
    """The page query for one shape of request: built once (building the statement cost more than running
    it), so the driver can also prepare it on the server.

    It selects the card (as the text stored, when ``encoded``; then also the ``by`` date's text), the
    entry's timeline and key, then the sort key: unknown, earliest day, latest day, position; up to
    ``page_size`` rows read in index order (``ascending``) or backwards, after (or before) the bound's sort
    key. With ``one_part``, only entries whose date is known (``unknown`` = 0) or not (1).

    Entries are found by timeline id. Two timelines may share one (a hash): then, and only then (``exact``),
    the query also compares timeline and key. Not always: the planner would take the three conditions for
    independent, expect a handful of rows, and sort the whole timeline instead of reading the index in
    order (ten times slower on a large timeline)."""
    e, c, prefix = timeline_entries, timeline_claims, DATE_FIELDS[by]
    unknown, first, last = e.c[f"{prefix}_unknown"], e.c[f"{prefix}_start"], e.c[f"{prefix}_end"]
    columns = (sa.cast(c.c.card, sa.Text), sa.cast(c.c[by], sa.Text)) if encoded else (c.c.card,)
    query = _filtered(sa.select(*columns, e.c.timeline, e.c.key, unknown, first, last, e.c.position)
                      .join(c, c.c.claim_id == e.c.claim_id), by, window, verdict, status, outlet)
    if exact:
        query = query.where(e.c.timeline == sa.bindparam("timeline"), e.c.key == sa.bindparam("key"))
    sort = [unknown, first, last, e.c.position]
    if one_part:
        query = query.where(unknown == sa.bindparam("unknown", type_=sa.SmallInteger()))
    if bound:
        after = [sa.bindparam("after_unknown", type_=sa.SmallInteger()),
                 sa.bindparam("after_start", type_=sa.Date()), sa.bindparam("after_end", type_=sa.Date()),
                 sa.bindparam("after_position", type_=sa.BigInteger())]
        # Within one part, unknown is fixed: comparing (day, day, position) is the same range of the index.
        compared, to = (sort[1:], after[1:]) if one_part else (sort, after)
        beyond = sa.tuple_(*compared) > sa.tuple_(*to) if ascending else sa.tuple_(*compared) < sa.tuple_(*to)
        query = query.where(beyond)
    page_size = sa.bindparam("page_size", type_=sa.Integer())
    return query.order_by(*(sort if ascending else [column.desc() for column in sort])).limit(page_size)


def timeline_keys(session: Session, kind: str) -> list[tuple[str, int]]:
    """The timelines of a kind (topics, speakers, outlets) with their number of claims, largest first."""
    e = timeline_entries
    count = sa.func.count().label("claims")
    first, last = kind_ids(kind)  # the kind's ids: a range of the page index, which holds the keys too
    rows = session.execute(sa.select(e.c.key, count).where(e.c.timeline_id.between(first, last))
                           .group_by(e.c.key).order_by(count.desc(), e.c.key))
    return [(row.key, row.claims) for row in rows]


def timeline_labels(session: Session, kind: str, keys: list[str]) -> dict[str, str]:
    """What readers call these timelines: a topic's label ("US foreign policy"), a source's name (by id;
    a source the read model lacks is left out)."""
    if kind == TOPIC:
        return {key: topic_label(key) for key in keys}
    if not keys:
        return {}
    sources = timeline_sources
    rows = session.execute(sa.select(sources.c.source_id, sources.c.name).where(sources.c.source_id.in_(keys)))
    return dict(rows.all())


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
