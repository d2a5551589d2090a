"""OpenAPI links: what a client (or schemathesis' stateful tests) can do next with what a write answered.

A created claim's or source's id fills the path of the operations on it, and the claim's version goes back
as If-Match, the version a change must name (docs/api.md, "Versions").
"""
from __future__ import annotations

from typing import Any

IF_MATCH = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
            "description": 'The version you last saw, e.g. "3" (or send expected_version in the body); '
                        "a change made since is refused with 409."}


def _ref(path: str, method: str) -> str:
    """An operationRef: a JSON pointer to the operation in this spec."""
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def _links(prefix: str, parameter: str, reads: dict[str, str], changes: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, suffix in reads.items():
        found[name] = {"operationRef": _ref(f"{prefix}/{{{parameter}}}{suffix}", "get"),
                       "parameters": {parameter: "$response.body#/id"}}
    for name, suffix in changes.items():
        found[name] = {"operationRef": _ref(f"{prefix}/{{{parameter}}}{suffix}", "post"),
                       "parameters": {parameter: "$response.body#/id",
                                      "header.If-Match": "$response.body#/version"}}
    return found


def claim_links() -> dict[str, Any]:
    """From a recorded claim to reading it (state, history, attribution, ClaimReview) and changing it."""
    return _links("/api/v1/claims", "claim_id",
                  {"GetClaim": "", "GetClaimHistory": "/events", "GetClaimAttribution": "/attribution",
                   "GetClaimReview": "/claimreview"},
                  {"AddReport": "/reports", "CorrectClaim": "/corrections", "RetractClaim": "/retraction",
                   "GiveVerdict": "/verdicts", "LinkClaims": "/links"})


def source_links() -> dict[str, Any]:
    """From a registered source to reading it and adding an alias."""
    return _links("/api/v1/sources", "source_id", {"GetSource": ""}, {"AddAlias": "/aliases"})


def after_write(status: int, links: dict[str, Any]) -> dict[str, Any]:
    """``@blp.doc`` keywords adding ``links`` to the ``status`` answer of a write."""
    return {"responses": {str(status): {"links": links}}}
