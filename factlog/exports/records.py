"""One plain record per claim, the shape every export format is built from.

``from_read_models`` turns a row of ``readmodels.queries.exports`` (a timeline card plus the attribution
read model's chains) into it; ``factlog.exports.claim_page.from_claim_view`` does the same for the claim
page's state. Both are pure.

A record: ``claim_id, summary, quote, cue, topics, speaker{id, name, kind, role, as_written}, said_on,
happened_on`` (``{value, precision, display}``), ``recorded_at, updated_at`` (datetimes), ``chain_text``,
``reports`` (each a chain of links, publication first, speaker last: ``name, kind, publisher{id, name},
relation, url, headline, published_on``), ``outlets`` (``[{id, name}]``), ``first_outlet`` (``{id, name,
url}`` or None), ``independent_outlets``, ``single_source``, ``verdict`` (``rating, rating_label,
normalized_value, scale, explanation, given_at`` or None), ``status``, ``corrections``, ``retraction``.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

UNKNOWN_DATE = {"value": "unknown", "precision": "unknown", "display": "date unknown"}


def _at(times: Mapping[int, datetime], position: int | None, fallback: str | None = None) -> datetime | None:
    if position is not None and position in times:
        return times[position]
    return datetime.fromisoformat(fallback) if fallback else None


def from_read_models(row: Mapping[str, Any]) -> dict[str, Any]:
    """The record of one ``queries.exports.details`` row."""
    card, state, times = row["card"], row["state"], row["times"]
    verdict = None
    if card.get("verdict"):
        latest = max((state.get("verdicts") or {}).values(), key=lambda v: v["position"], default={})
        verdict = {**card["verdict"], "explanation": latest.get("explanation"),
                   "given_at": _at(times, latest.get("position"))}
    retraction = card.get("retraction")
    stamps = [_at(times, position) for position in event_positions(state)]
    recorded_at = _at(times, state.get("position"), state.get("recorded_at"))
    first = row.get("first")
    return {
        "claim_id": card["claim_id"], "summary": card["summary"], "quote": card.get("quote"),
        "cue": card.get("cue"), "topics": list(card.get("topics") or []), "speaker": dict(card["speaker"]),
        "said_on": card.get("said_on") or UNKNOWN_DATE,
        "happened_on": card.get("happened_on") or UNKNOWN_DATE,
        "recorded_at": recorded_at,
        "updated_at": max([stamp for stamp in stamps if stamp is not None], default=recorded_at),
        "chain_text": card.get("chain_text") or "",
        "reports": [report["chain"] for report in row.get("reports") or []],
        "outlets": list(card.get("outlets") or []),
        "first_outlet": None if first is None else {"id": first["id"], "name": first["name"],
                                                    "url": first.get("url")},
        "independent_outlets": row.get("independent_outlets"), "single_source": row.get("single_source"),
        "verdict": verdict, "status": card.get("status", "active"),
        "corrections": [dict(correction) for correction in card.get("corrections") or []],
        "retraction": None if retraction is None else {"reason": retraction["reason"],
                                                       "recorded_at": retraction.get("recorded_at")},
    }


def event_positions(state: Mapping[str, Any]) -> list[int]:
    """The log positions of the claim's events that a projector's state remembers."""
    found = [state.get("position")] + [report.get("position") for report in state.get("reports", ())]
    found += [correction.get("position") for correction in state.get("corrections", ())]
    found += [verdict.get("position") for verdict in (state.get("verdicts") or {}).values()]
    found.append((state.get("retraction") or {}).get("position"))
    return [position for position in found if position is not None]


def appearances(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every page that carried the claim: each link of each chain that has a URL, once per URL, with the
    outlet, its publisher and the headline and date of that page."""
    seen, found = set(), []
    for chain in record["reports"]:
        for link in chain:
            url = link.get("url")
            if url and url not in seen:
                seen.add(url)
                found.append({"url": url, "name": link["name"], "kind": link.get("kind"),
                              "publisher": (link.get("publisher") or {}).get("name") or link["name"],
                              "headline": link.get("headline"),
                              "published_on": link.get("published_on") or UNKNOWN_DATE})
    return found
