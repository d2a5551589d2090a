"""A claim with its attribution as one row: what the CSV and NDJSON exports hold, field for field.

Structured values (the chains, outlets, verdict) stay structured in NDJSON; CSV writes them as readable
text beside their ids (see ``csv_file``).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factlog.exports.claimreview import schema_date


def chains(record: Mapping[str, Any]) -> list[list[dict[str, Any]]]:
    """Each report's chain, publication first and speaker last: source id, name, kind, relation, URL."""
    return [[{"source_id": link.get("source_id"), "name": link["name"], "kind": link.get("kind"),
              "publisher": (link.get("publisher") or {}).get("name"), "relation": link.get("relation"),
              "url": link.get("url"), "headline": link.get("headline"),
              "published_on": (link.get("published_on") or {}).get("value")}
             for link in chain] for chain in record["reports"]]


def chain_texts(record: Mapping[str, Any]) -> list[str]:
    """Each chain in words: "QiOSK quoting The New York Times citing Nick Brown"."""
    texts = []
    for chain in record["reports"]:
        words = []
        for number, link in enumerate(chain):
            words.append(link["name"])
            if number < len(chain) - 1:
                words.append(link.get("relation") or "via")
        texts.append(" ".join(words))
    return texts


def claim_row(record: Mapping[str, Any], claim_url: str) -> dict[str, Any]:
    """The claim as an export row (JSON-ready: dates and times as ISO text)."""
    verdict = record.get("verdict")
    speaker = record["speaker"]
    first = record.get("first_outlet")
    return {
        "claim_id": record["claim_id"], "url": claim_url, "summary": record["summary"],
        "quote": record.get("quote"), "cue": record.get("cue"),
        "speaker": {"id": speaker.get("id"), "name": speaker["name"], "kind": speaker.get("kind"),
                    "as_written": speaker.get("as_written")},
        "role": speaker.get("role"),
        "said_on": {"value": record["said_on"]["value"], "precision": record["said_on"]["precision"],
                    "display": record["said_on"]["display"], "date": schema_date(record["said_on"])},
        "happened_on": {key: record["happened_on"][key] for key in ("value", "precision", "display")},
        "topics": list(record.get("topics") or []),
        "chain_text": " | ".join(chain_texts(record)), "chains": chains(record),
        "outlets": [{"id": outlet["id"], "name": outlet["name"]} for outlet in record.get("outlets") or []],
        "first_outlet": None if first is None else {"id": first["id"], "name": first["name"],
                                                    "url": first.get("url")},
        "corroboration": record.get("independent_outlets"), "single_source": record.get("single_source"),
        "verdict": None if verdict is None else {
            "rating": verdict["rating"], "label": verdict["rating_label"],
            "value": verdict.get("normalized_value"), "scale": verdict.get("scale"),
            "given_at": verdict["given_at"].isoformat() if verdict.get("given_at") else None},
        "status": record.get("status"), "corrected": bool(record.get("corrections")),
        "retracted": record.get("retraction") is not None,
        "retraction_reason": (record.get("retraction") or {}).get("reason"),
        "recorded_at": record["recorded_at"].isoformat() if record.get("recorded_at") else None,
        "updated_at": record["updated_at"].isoformat() if record.get("updated_at") else None,
    }
