"""A claim's state as the read models see it: plain JSON, folded from stored event data without the ORM.

Nothing stores it: projectors fold the claims a batch touches from their streams in the log, and exports
the claims of a page. It follows ``factlog.claims.claim.evolve`` but keeps what read models show: positions,
the original wording, every correction, the retraction, the current verdict of each checker.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from factlog.claims import dates
from factlog.eventstore import RecordedEvent

CLAIM_RECORDED, CLAIM_REPORTED, CLAIM_CORRECTED = "ClaimRecorded", "ClaimReported", "ClaimCorrected"
CLAIM_RETRACTED, VERDICT_GIVEN, CLAIMS_LINKED = "ClaimRetracted", "VerdictGiven", "ClaimsLinked"
SOURCE_REGISTERED, SOURCE_ALIAS_ADDED = "SourceRegistered", "SourceAliasAdded"
SOURCE_MERGED, SOURCE_ABSORBED = "SourceMerged", "SourceAbsorbed"
CLAIM_EVENTS = (CLAIM_RECORDED, CLAIM_REPORTED, CLAIM_CORRECTED, CLAIM_RETRACTED, VERDICT_GIVEN, CLAIMS_LINKED)

ACTIVE, CORRECTED, RETRACTED = "active", "corrected", "retracted"
_RECORDED_FIELDS = ("summary", "speaker_id", "cue", "said_on", "happened_on", "quote", "quote_source_id",
                    "speaker_role", "speaker_as_written", "topics", "note")
OUTLET = "outlet"


class ProjectionError(Exception):
    """An event the projector cannot apply: it names the event so the poison is easy to find."""


def evolve(state: dict[str, Any] | None, event: RecordedEvent) -> dict[str, Any]:
    """Apply one claim event to the state (mutated in place and returned; a new dict for ClaimRecorded)."""
    data = event.data
    if event.type == CLAIM_RECORDED:
        if state is not None:
            raise ProjectionError(f"claim {data['claim_id']} is recorded twice (position {event.position})")
        return {"claim_id": data["claim_id"], "position": event.position,
                "recorded_at": event.recorded_at.isoformat(), **{f: data.get(f) for f in _RECORDED_FIELDS},
                "topics": list(data.get("topics") or ()), "reports": [], "corrections": [], "retraction": None,
                "verdicts": {}, "links": []}
    if state is None:
        raise ProjectionError(f"{event.type} at position {event.position} is about claim {data['claim_id']}, "
                              "which was never recorded")
    if event.type == CLAIM_REPORTED:
        state["reports"].append({"report_id": data["report_id"], "position": event.position,
                                 "links": [dict(link) for link in data["links"]]})
    elif event.type == CLAIM_CORRECTED:
        state["corrections"].append({"field": data["field"], "old_value": data["old_value"],
                                     "new_value": data["new_value"], "reason": data["reason"],
                                     "position": event.position, "recorded_at": event.recorded_at.isoformat()})
        state[data["field"]] = list(data["new_value"]) if data["field"] == "topics" else data["new_value"]
    elif event.type == CLAIM_RETRACTED:
        state["retraction"] = {"reason": data["reason"], "position": event.position,
                               "recorded_at": event.recorded_at.isoformat()}
    elif event.type == VERDICT_GIVEN:
        state["verdicts"][data.get("checker_id") or ""] = {
            key: data.get(key) for key in ("verdict_id", "scale", "rating", "rating_label", "normalized_value",
                                           "explanation", "checker_id")} | {"position": event.position}
    elif event.type == CLAIMS_LINKED:
        state["links"].append({"relation": data["relation"], "target_claim_id": data["target_claim_id"],
                               "note": data.get("note")})
    else:
        raise ProjectionError(f"not a claim event: {event.type} at position {event.position}")
    return state


def fold(states: dict[str, dict[str, Any]], events: Iterable[RecordedEvent]) -> dict[str, dict[str, Any]]:
    """Fold claim events into ``states`` (by claim id, changed in place and returned), in the order given."""
    for event in events:
        claim_id = event.data["claim_id"]
        states[claim_id] = evolve(states.get(claim_id), event)
    return states


def status(state: Mapping[str, Any]) -> str:
    if state["retraction"] is not None:
        return RETRACTED
    return CORRECTED if state["corrections"] else ACTIVE


def current_verdict(state: Mapping[str, Any]) -> dict[str, Any] | None:
    """The most recent verdict given by anyone (each checker's latest is kept in the state)."""
    verdicts = state["verdicts"].values()
    return max(verdicts, key=lambda verdict: verdict["position"]) if verdicts else None


def chain(state: Mapping[str, Any], report: Mapping[str, Any]) -> list[str]:
    """Source ids from the publication back to the speaker, the speaker last (as ``Claim.chain``)."""
    ids = [link["source_id"] for link in report["links"]]
    return ids if ids and ids[-1] == state["speaker_id"] else ids + [state["speaker_id"]]


def source_ids(state: Mapping[str, Any]) -> set[str]:
    """Every source a claim's rows mention: speaker, quote source, every link."""
    ids = {state["speaker_id"]} | {link["source_id"] for report in state["reports"] for link in report["links"]}
    if state.get("quote_source_id"):
        ids.add(state["quote_source_id"])
    return ids


@dataclass(frozen=True)
class DateInfo:
    """A precise date as rows store it: sort key (unknown last, earliest day, latest day) and its display."""

    unknown: int
    start: date
    end: date
    precision: str
    value: str
    display: str

    def to_json(self) -> dict[str, str]:
        """The date as documents show it: one dict per (cached) date, shared by every row that shows it
        (rows are only encoded, never changed)."""
        try:
            return self.__dict__["_json"]
        except KeyError:
            json = {"value": self.value, "precision": self.precision, "display": self.display}
            object.__setattr__(self, "_json", json)
            return json


def date_info(stored: Mapping[str, Any] | None) -> DateInfo:
    if not stored:
        return _date_info("unknown", None)
    return _date_info(stored["value"], stored.get("margin_days"))


@lru_cache(maxsize=65536)
def _date_info(value: str, margin_days: int | None) -> DateInfo:
    parsed = dates.parse(value, margin_days=margin_days)
    unknown, start, end = parsed.sort_key()
    return DateInfo(unknown, start, end, str(parsed.precision), parsed.value, parsed.display())
