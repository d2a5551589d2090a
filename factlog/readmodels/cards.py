"""What read models show of a claim, computed once when it changes: names, dates, chain in short, verdict."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factlog.readmodels.claim_state import chain, current_verdict, date_info, status
from factlog.readmodels.source_info import SourceInfo, unknown_source

DATE_FIELDS = ("said_on", "happened_on")


def source(sources: Mapping[str, SourceInfo], source_id: str | None) -> SourceInfo | None:
    if source_id is None:
        return None
    return sources.get(source_id) or unknown_source(source_id)


def chain_links(state: Mapping[str, Any], report: Mapping[str, Any],
                sources: Mapping[str, SourceInfo]) -> list[dict[str, Any]]:
    """The report's chain, publication first and speaker last, each link with outlet, URL and date."""
    links = []
    for link in report["links"]:
        info = source(sources, link["source_id"])
        links.append({"source_id": info.source_id, "name": info.name, "kind": info.kind,
                      "publisher": {"id": info.publisher_id, "name": info.publisher_name},
                      "relation": link.get("relation"), "url": link.get("url"), "headline": link.get("headline"),
                      "published_on": date_info(link.get("published_on")).to_json(),
                      "as_written": link.get("as_written")})
    ids = chain(state, report)
    if len(ids) > len(report["links"]):
        speaker = source(sources, ids[-1])
        links.append({"source_id": speaker.source_id, "name": speaker.name, "kind": speaker.kind,
                      "publisher": {"id": speaker.publisher_id, "name": speaker.publisher_name}, "relation": None, "url": None, "headline": None, "published_on": None,
                      "as_written": state.get("speaker_as_written"), "speaker": True})
    return links


def chain_text(links: list[Mapping[str, Any]]) -> str:
    """"QiOSK (Responsible Statecraft) quoting The New York Times citing Nick Brown"."""
    words = []
    for number, link in enumerate(links):
        publisher = (link.get("publisher") or {}).get("name")
        words.append(link["name"] if publisher in (None, link["name"]) else f"{link['name']} ({publisher})")
        if number < len(links) - 1:
            words.append(link.get("relation") or "via")
    return " ".join(words)


def correction_view(correction: Mapping[str, Any]) -> dict[str, Any]:
    view = {key: correction[key] for key in ("field", "old_value", "new_value", "reason", "recorded_at")}
    if correction["field"] in DATE_FIELDS:
        view["old_display"] = date_info(correction["old_value"]).display
        view["new_display"] = date_info(correction["new_value"]).display
    return view


def claim_card(state: Mapping[str, Any], sources: Mapping[str, SourceInfo]) -> dict[str, Any]:
    """The claim as a timeline entry or an attribution page shows it."""
    speaker = source(sources, state["speaker_id"])
    first_report = state["reports"][0] if state["reports"] else None
    links = chain_links(state, first_report, sources) if first_report else []
    verdict = current_verdict(state)
    original = {}
    for correction in state["corrections"]:
        if correction["field"] in ("summary", "quote") and correction["field"] not in original:
            original[correction["field"]] = correction["old_value"]
    outlets, seen = [], {speaker.source_id}
    for report in state["reports"]:
        for link in report["links"]:
            info = source(sources, link["source_id"])
            if info.source_id not in seen:
                seen.add(info.source_id)
                outlets.append({"id": info.source_id, "name": info.name})
    return {
        "claim_id": state["claim_id"], "position": state["position"], "summary": state["summary"],
        "quote": state.get("quote"), "cue": state.get("cue"), "topics": state.get("topics") or [],
        "speaker": {"id": speaker.source_id, "name": speaker.name, "kind": speaker.kind,
                    "role": state.get("speaker_role"), "as_written": state.get("speaker_as_written")},
        "said_on": date_info(state.get("said_on")).to_json(),
        "happened_on": date_info(state.get("happened_on")).to_json(),
        "chain": [{"id": link["source_id"], "name": link["name"], "publisher": link["publisher"]["name"],
                   "relation": link["relation"]} for link in links],
        "chain_text": chain_text(links),
        "reports": len(state["reports"]), "outlets": outlets,
        "verdict": None if verdict is None else {key: verdict[key] for key in (
            "rating", "rating_label", "normalized_value", "scale", "checker_id")},
        "status": status(state),
        "corrections": [correction_view(c) for c in state["corrections"]],
        "original": original or None,
        "retraction": state["retraction"],
    }
