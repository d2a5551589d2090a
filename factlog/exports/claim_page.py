"""The export record of one claim from the claim page's state (its own stream, current the moment a change
commits) and the attribution read model when it has caught up (chains with publishers, the first outlet)."""
from __future__ import annotations

from typing import Any

from factlog.claims.events import ClaimRetracted, VerdictGiven


def _date(value) -> dict[str, str]:
    return {"value": value.value, "precision": str(value.precision), "display": value.display()}


def _chains(view) -> list[list[dict[str, Any]]]:
    """Each report's chain: the read model's (publishers known) once it has the claim, else from labels."""
    if view.attribution is not None and len(view.attribution["reports"]) == len(view.claim.reports):
        return [report["chain"] for report in view.attribution["reports"]]
    chains = []
    for report in view.claim.reports:
        chain = []
        for link in report.links:
            label = view.source(link.source_id)
            chain.append({"source_id": label.id, "name": label.name, "kind": label.kind,
                          "publisher": {"id": label.id, "name": label.name}, "relation": link.relation,
                          "url": link.url, "headline": link.headline,
                          "published_on": _date(link.published_on)})
        if report.links[-1].source_id != view.claim.speaker_id:
            speaker = view.source(view.claim.speaker_id)
            chain.append({"source_id": speaker.id, "name": speaker.name, "kind": speaker.kind,
                          "publisher": {"id": speaker.id, "name": speaker.name}, "relation": None,
                          "url": None,
                          "headline": None, "published_on": None, "speaker": True})
        chains.append(chain)
    return chains


def from_claim_view(view) -> dict[str, Any]:
    """The record (``factlog.exports.records``) of a ``factlog.web.claim_view.ClaimView``."""
    claim, speaker = view.claim, view.source(view.claim.speaker_id)
    chains = _chains(view)
    outlets, seen = [], {speaker.id}
    for chain in chains:
        for link in chain:
            if link.get("source_id") not in seen and not link.get("speaker"):
                seen.add(link.get("source_id"))
                outlets.append({"id": link.get("source_id"), "name": link["name"]})
    attribution = view.attribution or {}
    first = attribution.get("first")
    verdict = None
    if view.verdict is not None:
        given = next((entry.recorded_at for entry in reversed(view.history)
                      if isinstance(entry.event, VerdictGiven) and entry.event == view.verdict), None)
        verdict = {"rating": view.verdict.rating, "rating_label": view.verdict.rating_label,
                   "normalized_value": view.verdict.normalized_value, "scale": view.verdict.scale,
                   "checker_id": None if view.verdict.checker_id is None else str(view.verdict.checker_id),
                   "explanation": view.verdict.explanation, "given_at": given}
    corroboration = attribution.get("corroboration") or {}
    retraction = None
    if claim.retraction is not None:
        when = next((entry.recorded_at for entry in view.history
                     if isinstance(entry.event, ClaimRetracted)), None)
        retraction = {"reason": claim.retraction.reason, "recorded_at": when.isoformat() if when else None}
    return {
        "claim_id": str(claim.claim_id), "summary": claim.summary, "quote": claim.quote, "cue": claim.cue,
        "topics": list(claim.topics),
        "speaker": {"id": speaker.id, "name": speaker.name, "kind": speaker.kind, "role": claim.speaker_role,
                    "as_written": claim.speaker_as_written},
        "said_on": _date(claim.said_on), "happened_on": _date(claim.happened_on),
        "recorded_at": view.history[0].recorded_at if view.history else None,
        "updated_at": view.history[-1].recorded_at if view.history else None,
        "chain_text": (attribution.get("claim") or {}).get("chain_text") or "",
        "reports": chains, "outlets": outlets,
        "first_outlet": None if not first else {"id": first["id"], "name": first["name"],
                                                "url": first.get("url")},
        "independent_outlets": corroboration.get("independent_outlets"),
        "single_source": corroboration.get("single_source"),
        "verdict": verdict, "status": view.status,
        "corrections": [{"field": c.field, "old_value": c.old_value, "new_value": c.new_value,
                         "reason": c.reason} for c in claim.corrections],
        "retraction": retraction,
    }
