"""A timeline as TimelineJS3 JSON (https://timeline.knightlab.com/docs/json-format.html).

Start dates carry only what is known: a month-precision claim has ``{"year", "month"}`` and no day, a year
just ``{"year"}``. Ranges get an ``end_date``; approximate dates, months, years and ranges also a
``display_date`` in factlog's words ("around 20 November 2024", "October 2024"). Claims with no known date
cannot be placed on a timeline and are left out (``undated`` counts them).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

GROUPS = ("outlet", "speaker")
_DATE_PARTS = ("year", "month", "day")


def _parts(value: str) -> dict[str, int]:
    return {name: int(part) for name, part in zip(_DATE_PARTS, value.split("-"))}


def date_objects(stored: Mapping[str, Any] | None) -> tuple[dict | None, dict | None, str | None]:
    """``(start_date, end_date, display_date)`` of a precise date; ``(None, None, None)`` when unknown."""
    if not stored or stored.get("precision") in (None, "unknown"):
        return None, None, None
    precision, value, display = stored["precision"], stored["value"], stored.get("display")
    if precision == "day":
        return _parts(value), None, None
    if precision in ("month", "year"):
        return _parts(value), None, display
    if precision == "range":
        first, last = value.split("..")
        return _parts(first), _parts(last), display
    if precision == "approximate":
        return _parts(value.lstrip("~")), None, display
    raise ValueError(f"not a precision factlog records: {precision!r}")


def group_of(record: Mapping[str, Any], group_by: str) -> str:
    """The row a claim goes on: its speaker, or the outlet that carried it first (its first chain's
    publication when no first carrier is known yet)."""
    if group_by == "speaker":
        return record["speaker"]["name"]
    if group_by != "outlet":
        raise ValueError(f"timelines group by {' or '.join(GROUPS)}, not {group_by!r}")
    return _outlet(record) or record["speaker"]["name"]


def _outlet(record: Mapping[str, Any]) -> str | None:
    if record.get("first_outlet"):
        return record["first_outlet"]["name"]
    return record["outlets"][0]["name"] if record.get("outlets") else None


def event(record: Mapping[str, Any], claim_url: str, *, by: str = "said_on",
          group_by: str = "outlet") -> dict | None:
    """One claim as a TimelineJS event, or None when its date is unknown."""
    start, end, display = date_objects(record.get(by))
    if start is None:
        return None
    speaker = record["speaker"]
    who = escape(speaker["name"]) + (f", {escape(speaker['role'])}" if speaker.get("role") else "")
    body = [f"<p>{who} ({escape((record.get('cue') or 'said').replace('_', ' '))})</p>"]
    if record.get("quote"):
        body.append(f"<blockquote>{escape(record['quote'])}</blockquote>")
    if record.get("chain_text"):
        body.append(f"<p>{escape(record['chain_text'])}</p>")
    if record.get("verdict"):
        body.append(f"<p>Verdict: {escape(record['verdict']['rating_label'])}</p>")
    if record.get("status") and record["status"] != "active":
        body.append(f"<p>Status: {escape(record['status'])}</p>")
    body.append(f'<p><a href="{escape(claim_url)}">The claim in factlog</a></p>')
    found: dict[str, Any] = {"start_date": start, "text": {"headline": escape(record["summary"]),
                                                          "text": "".join(body)},
                             "group": group_of(record, group_by), "unique_id": f"claim-{record['claim_id']}"}
    if end is not None:
        found["end_date"] = end
    if display is not None:
        found["display_date"] = display
    page = _first_page(record)
    credit = _outlet(record) or speaker["name"]
    found["media"] = {"url": page or claim_url, "credit": credit, "link": claim_url}
    return found


def _first_page(record: Mapping[str, Any]) -> str | None:
    first = (record.get("first_outlet") or {}).get("url")
    if first:
        return first
    pages = (link["url"] for chain in record.get("reports") or () for link in chain if link.get("url"))
    return next(pages, None)


def timeline(title: str, records: Iterable[Mapping[str, Any]], claim_url: Callable[[str], str], *,
             by: str = "said_on", group_by: str = "outlet", description: str | None = None) -> dict[str, Any]:
    """The TimelineJS document of a timeline's claims; ``claim_url(claim_id)`` gives each claim's page."""
    events, undated = [], 0
    for record in records:
        found = event(record, claim_url(record["claim_id"]), by=by, group_by=group_by)
        if found is None:
            undated += 1
        else:
            events.append(found)
    text = description or f"{len(events)} claims from factlog"
    if undated:
        text += f" ({undated} without a known date left out)"
    return {"title": {"text": {"headline": escape(title), "text": escape(text)}}, "events": events,
            "undated": undated}
