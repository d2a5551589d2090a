"""A claim's timeline rows (pure): the timelines it belongs to, its card row and its entries with sort keys.

The timelines projector writes them; as-of views compute them for claims folded up to a past position.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factlog.readmodels import timelines as model
from factlog.readmodels.cards import claim_card, source
from factlog.readmodels.claim_state import current_verdict, date_info, status
from factlog.readmodels.source_info import SourceInfo


def timeline_keys(state: Mapping[str, Any], sources: Mapping[str, SourceInfo]) -> list[tuple[str, str]]:
    """The timelines a claim belongs to: all claims, its speaker, each topic, each outlet that carried it."""
    speaker = source(sources, state["speaker_id"]).source_id
    keys = [(model.ALL, model.ALL_KEY), (model.SPEAKER, speaker)]
    keys += [(model.TOPIC, topic) for topic in dict.fromkeys(state.get("topics") or ())]
    carriers = dict.fromkeys(source(sources, link["source_id"]).source_id
                             for report in state["reports"] for link in report["links"])
    keys += [(model.OUTLET, outlet) for outlet in carriers if outlet != speaker]
    return keys


def rows_for(state: Mapping[str, Any], sources: Mapping[str, SourceInfo],
             card: dict[str, Any] | None = None) -> tuple[dict, list[dict]]:
    """The claim's ``timeline_claims`` row and its ``timeline_entries`` rows (pure); ``card``: its
    ``claim_card``, when already computed."""
    said, happened = date_info(state.get("said_on")), date_info(state.get("happened_on"))
    verdict = current_verdict(state)
    claim_status = status(state)
    card = claim_card(state, sources) if card is None else card
    claim = {"claim_id": state["claim_id"], "position": state["position"], "status": claim_status,
             "card": card, "said_on": card["said_on"], "happened_on": card["happened_on"]}
    common = {"claim_id": state["claim_id"], "said_unknown": said.unknown, "said_start": said.start,
              "said_end": said.end, "happened_unknown": happened.unknown, "happened_start": happened.start,
              "happened_end": happened.end, "position": state["position"], "status": claim_status,
              "verdict": verdict["rating"] if verdict else None}
    entries = [{"timeline_id": model.timeline_id(timeline, key), "timeline": timeline, "key": key, **common}
               for timeline, key in timeline_keys(state, sources)]
    return claim, entries
