"""Timelines as of a past moment: the timeline's entries now, less the claims changed since, merged in sort
order with those claims' entries as they were then (re-folded: a correction of speaker, topic or chain after
the moment moves a claim back onto the timeline it was on).

A page reads up to a page of entries from the index after the cursor (skipping changed claims) and sorts in
the changed claims' entries of this timeline, which are computed once per request: the cost is the moment's
(the events after it), not the timeline's length.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import date
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.readmodels.as_of import Past
from factlog.readmodels.claim_state import source_ids
from factlog.readmodels.queries.timelines import (
    DATE_FIELDS,
    MAX_LIMIT,
    STATUSES,
    TIMELINES,
    InvalidCursor,
    TimelinePage,
)
from factlog.readmodels.source_info import lookup
from factlog.readmodels.timeline_rows import rows_for
from factlog.readmodels.timelines import (
    ALL,
    ALL_KEY,
    OUTLET,
    timeline_claims,
    timeline_entries,
    timeline_id,
    timeline_sources,
)
from factlog.sql import any_of

OLDEST, NEWEST = "oldest", "newest"
SortKey = tuple[int, date, date, int]


def timeline(session: Session, past: Past, kind: str, key: str = ALL_KEY, *, by: str = "said_on",
             order: str = OLDEST, start: date | None = None, end: date | None = None, verdict: str | None = None,
             status: str | None = None, outlet: str | None = None, limit: int = 50,
             cursor: str | None = None) -> TimelinePage:
    """One page of a timeline as of ``past.moment``; entries as ``queries.timeline`` gives them."""
    _check(kind, by, order, status)
    key = ALL_KEY if kind == ALL else key
    limit = max(1, min(limit, MAX_LIMIT))
    after = _decode(cursor, past, by, order) if cursor is not None else None
    window = start is not None or end is not None
    wanted = {"kind": kind, "key": key, "by": by, "start": start, "end": end, "verdict": verdict,
              "status": status, "outlet": outlet}
    then = [(sort_key, card) for sort_key, card in then_entries(session, past, **wanted)
            if after is None or _beyond(sort_key, after, order)]
    now = _present(session, past, after=after, order=order, limit=limit + 1, **wanted)
    merged = sorted(now + then, key=lambda item: _order_key(item[0], order))[:limit + 1]
    entries = []
    for sort_key, card in merged[:limit]:
        entry = dict(card)
        entry["date"] = entry[by]
        if window:
            entry["certain"] = (start or date.min) <= sort_key[1] and sort_key[2] <= (end or date.max)
        entries.append(entry)
    next_cursor = _encode(past, by, order, merged[limit - 1][0]) if len(merged) > limit else None
    return TimelinePage(entries, next_cursor)


def timeline_count(session: Session, past: Past, kind: str, key: str = ALL_KEY, *, by: str = "said_on",
                   start: date | None = None, end: date | None = None, verdict: str | None = None,
                   status: str | None = None, outlet: str | None = None) -> int:
    """How many entries the timeline had then, with these filters."""
    _check(kind, by, OLDEST, status)
    key = ALL_KEY if kind == ALL else key
    wanted = {"kind": kind, "key": key, "by": by, "start": start, "end": end, "verdict": verdict,
              "status": status, "outlet": outlet}
    query = _query(session, past, sa.select(sa.func.count()).select_from(timeline_entries), **wanted)
    return session.execute(query).scalar_one() + len(then_entries(session, past, **wanted))


def timeline_keys(session: Session, past: Past, kind: str) -> list[tuple[str, int]]:
    """The timelines of a kind then, with their number of claims then, largest first."""
    e = timeline_entries
    query = sa.select(e.c.key, sa.func.count()).where(e.c.timeline == kind).group_by(e.c.key)
    if past.changed:
        query = query.where(sa.not_(any_of(session, e.c.claim_id, past.changed)))
    counts: dict[str, int] = dict(session.execute(query).all())
    for _, entries in _then_rows(session, past):
        for entry in entries:
            if entry["timeline"] == kind:
                counts[entry["key"]] = counts.get(entry["key"], 0) + 1
    return sorted(((key, count) for key, count in counts.items() if count), key=lambda item: (-item[1], item[0]))


def then_entries(session: Session, past: Past, *, kind: str, key: str, by: str, start: date | None,
                 end: date | None, verdict: str | None, status: str | None,
                 outlet: str | None) -> list[tuple[SortKey, dict]]:
    """The changed claims' entries of this timeline as they were at the moment, with their sort keys."""
    prefix = DATE_FIELDS[by]
    found = []
    for claim, entries in _then_rows(session, past):
        keys = {(entry["timeline"], entry["key"]) for entry in entries}
        for entry in entries:
            if (entry["timeline"], entry["key"]) != (kind, key):
                continue
            sort_key = (entry[f"{prefix}_unknown"], entry[f"{prefix}_start"], entry[f"{prefix}_end"],
                        entry["position"])
            if (verdict is not None and entry["verdict"] != verdict) \
                    or (status is not None and entry["status"] != status) \
                    or (outlet is not None and (OUTLET, outlet) not in keys):
                continue
            if (start is not None or end is not None) and not (
                    sort_key[0] == 0 and sort_key[1] <= (end or date.max) and sort_key[2] >= (start or date.min)):
                continue
            found.append((sort_key, claim["card"]))
    return found


def _then_rows(session: Session, past: Past) -> list[tuple[dict, list[dict]]]:
    """``rows_for`` of every changed claim that existed at the moment (sources named as they are now)."""
    def compute() -> list[tuple[dict, list[dict]]]:
        ids = {i for state in past.states.values() for i in source_ids(state)}
        sources = lookup(session, timeline_sources, ids)
        return [rows_for(state, sources) for state in past.states.values()]

    return past.memo("timeline_rows", compute)


def _present(session: Session, past: Past, *, after: SortKey | None, order: str, limit: int, kind: str,
             by: str, **wanted: Any) -> list[tuple[SortKey, dict]]:
    e, prefix = timeline_entries, DATE_FIELDS[by]
    sort = [e.c[f"{prefix}_unknown"], e.c[f"{prefix}_start"], e.c[f"{prefix}_end"], e.c.position]
    query = _query(session, past, sa.select(timeline_claims.c.card, *sort).join(
        timeline_claims, timeline_claims.c.claim_id == e.c.claim_id), kind=kind, by=by, **wanted)
    if after is not None:
        if order == OLDEST:
            query = query.where(sa.tuple_(*sort) > sa.tuple_(*after))
        else:  # newest first: dated before undated, each backwards
            query = query.where(sa.or_(sort[0] > after[0], sa.and_(sort[0] == after[0],
                                                                   sa.tuple_(*sort[1:]) < sa.tuple_(*after[1:]))))
    ordering = sort if order == OLDEST else [sort[0], *(column.desc() for column in sort[1:])]
    rows = session.execute(query.order_by(*ordering).limit(limit)).all()
    return [((int(u), _day(s), _day(d), int(p)), card) for card, u, s, d, p in rows]


def _query(session: Session, past: Past, query: sa.Select, *, kind: str, key: str, by: str, start: date | None,
           end: date | None, verdict: str | None, status: str | None, outlet: str | None) -> sa.Select:
    """The timeline's entries in the read model whose claims did not change after the moment, filtered."""
    e, prefix = timeline_entries, DATE_FIELDS[by]
    query = query.where(e.c.timeline_id == timeline_id(kind, key), e.c.timeline == kind, e.c.key == key)
    if past.changed:
        query = query.where(sa.not_(any_of(session, e.c.claim_id, past.changed)))
    if start is not None or end is not None:
        query = query.where(e.c[f"{prefix}_unknown"] == 0, e.c[f"{prefix}_start"] <= (end or date.max),
                            e.c[f"{prefix}_end"] >= (start or date.min))
    if verdict is not None:
        query = query.where(e.c.verdict == verdict)
    if status is not None:
        query = query.where(e.c.status == status)
    if outlet is not None:
        carried = timeline_entries.alias("carried")
        query = query.where(sa.exists().where(carried.c.timeline == OUTLET, carried.c.key == outlet,
                                              carried.c.claim_id == e.c.claim_id))
    return query


def _check(kind: str, by: str, order: str, status: str | None) -> None:
    if kind not in TIMELINES:
        raise ValueError(f"timelines are by {', '.join(TIMELINES)}, not {kind!r}")
    if by not in DATE_FIELDS:
        raise ValueError(f"timelines sort by {' or '.join(DATE_FIELDS)}, not {by!r}")
    if order not in (OLDEST, NEWEST):
        raise ValueError(f"timelines run oldest or newest first, not {order!r}")
    if status is not None and status not in STATUSES:
        raise ValueError(f"status is one of {', '.join(STATUSES)}, not {status!r}")


def _order_key(sort_key: SortKey, order: str) -> tuple:
    if order == OLDEST:
        return sort_key
    unknown, first, last, position = sort_key
    return unknown, -first.toordinal(), -last.toordinal(), -position


def _beyond(sort_key: SortKey, after: SortKey, order: str) -> bool:
    return _order_key(sort_key, order) > _order_key(after, order)


def _encode(past: Past, by: str, order: str, sort_key: SortKey) -> str:
    unknown, first, last, position = sort_key
    document = {"as_of": past.position, "by": by, "order": order,
                "key": [unknown, first.isoformat(), last.isoformat(), position]}
    return base64.urlsafe_b64encode(orjson.dumps(document)).decode().rstrip("=")


def _decode(cursor: str, past: Past, by: str, order: str) -> SortKey:
    try:
        document: Mapping[str, Any] = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        unknown, first, last, position = document["key"]
        sort_key = (int(unknown), date.fromisoformat(first), date.fromisoformat(last), int(position))
    except (binascii.Error, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise InvalidCursor("not a cursor factlog handed out for this timeline as of this moment") from None
    if (document.get("as_of"), document.get("by"), document.get("order")) != (past.position, by, order):
        raise InvalidCursor("this cursor belongs to another moment or ordering of the timeline; start again "
                            "from the first page") from None
    return sort_key


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
