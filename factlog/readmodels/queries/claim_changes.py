"""What changed on one claim between two moments: reports added, corrections (original and new wording),
the retraction, verdicts given or re-rated. Folded from the claim's own stream: the cost is its events."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.readmodels.as_of import Moment
from factlog.readmodels.claim_state import (
    CLAIM_CORRECTED,
    CLAIM_EVENTS,
    CLAIM_RECORDED,
    CLAIM_REPORTED,
    CLAIM_RETRACTED,
    CLAIMS_LINKED,
    VERDICT_GIVEN,
    current_verdict,
    evolve,
    source_ids,
    status,
)
from factlog.readmodels.source_info import lookup
from factlog.readmodels.timelines import timeline_sources

SOURCE_FIELDS = ("speaker_id", "quote_source_id")


def claim_changes(session: Session, claim_id: str, since: Moment | None,
                  until: Moment | None) -> dict[str, Any] | None:
    """The claim's events after ``since`` up to ``until`` (None: from its start, up to now), each described,
    with the claim as it stood at both ends (None before it was recorded). None for an unknown claim."""
    stream = f"claim-{claim_id}"
    history = eventstore.read_stream(session, stream)
    if not history:
        return None
    start, end = version_at(session, stream, since, len(history)), version_at(session, stream, until, len(history))
    if start > end:
        raise ValueError("The second moment must not come before the first.")
    state: dict[str, Any] | None = None
    for event in history[:start]:
        state = evolve(state, event)
    before = _summary(state)
    changes: list[dict[str, Any]] = []
    ids: set[str] = set()
    for event in history[start:end]:
        change = _describe(state, event)
        state = evolve(state, event)
        ids |= source_ids(state)
        changes.append(change)
    names = {key: info.name for key, info in lookup(session, timeline_sources, ids).items()}
    for change in changes:
        if change["kind"] == "report_added":
            change["chain"] = [names.get(source_id, source_id) for source_id in change["chain"]]
        elif change["kind"] == "corrected" and change["field"] in SOURCE_FIELDS:
            for side in ("old_value", "new_value"):
                change[side] = names.get(change[side], change[side])
    return {"claim_id": claim_id, "from": _end(since), "to": _end(until), "before": before,
            "after": _summary(state), "changes": changes}


def version_at(session: Session, stream: str, moment: Moment | None, latest: int) -> int:
    """How many of the stream's events come at or before the moment in log order."""
    if moment is None:
        return latest
    if not moment.position:
        return 0
    return len(eventstore.read_streams(session, [stream], types=CLAIM_EVENTS, upto=moment.position))


def _describe(state: Mapping[str, Any] | None, event: eventstore.RecordedEvent) -> dict[str, Any]:
    data = event.data
    change: dict[str, Any] = {"position": event.position, "version": event.stream_version,
                              "recorded_at": event.recorded_at.isoformat(), "actor": event.actor}
    if event.type == CLAIM_RECORDED:
        return change | {"kind": "recorded", "summary": data["summary"], "quote": data.get("quote")}
    if event.type == CLAIM_REPORTED:
        return change | {"kind": "report_added", "chain": [link["source_id"] for link in data["links"]],
                         "url": (data["links"][0].get("url") if data["links"] else None)}
    if event.type == CLAIM_CORRECTED:
        return change | {"kind": "corrected", "field": data["field"], "old_value": data["old_value"],
                         "new_value": data["new_value"], "reason": data["reason"]}
    if event.type == CLAIM_RETRACTED:
        return change | {"kind": "retracted", "reason": data["reason"]}
    if event.type == VERDICT_GIVEN:
        previous = (state or {}).get("verdicts", {}).get(data.get("checker_id") or "")
        return change | {"kind": "re-rated" if previous else "verdict", "rating": data.get("rating"),
                         "rating_label": data.get("rating_label"), "explanation": data.get("explanation"),
                         "previous": None if previous is None else previous.get("rating_label")}
    if event.type == CLAIMS_LINKED:
        return change | {"kind": "linked", "relation": data["relation"], "target_claim_id": data["target_claim_id"]}
    return change | {"kind": event.type}


def _summary(state: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if state is None:
        return None
    verdict = current_verdict(state)
    return {"summary": state["summary"], "quote": state.get("quote"), "status": status(state),
            "reports": len(state["reports"]), "verdict": None if verdict is None else verdict["rating_label"]}


def _end(moment: Moment | None) -> dict[str, Any] | None:
    if moment is None:
        return None
    return {"position": moment.position, "described": moment.describe(),
            "time": None if moment.asked_time is None else moment.asked_time.isoformat()}
