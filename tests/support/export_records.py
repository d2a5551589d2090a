"""Export records (factlog.exports.records' shape) for unit tests, without a database."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

GIVEN = datetime(2024, 12, 2, 9, 30, tzinfo=UTC)


def record(**overrides: Any) -> dict[str, Any]:
    """Nick Brown's Oreshnik claim, relayed by QiOSK from the Times, rated mostly true."""
    base = {
        "claim_id": "11111111-1111-1111-1111-111111111111",
        "summary": "The Oreshnik was the longest-range weapon used in a European conflict.",
        "quote": "the longest-range weapon to ever have been used in conflict in Europe",
        "cue": "said", "topics": ["ukraine", "weapons"],
        "speaker": {"id": "b", "name": "Nick Brown", "kind": "person", "role": "analyst at Janes",
                    "as_written": None},
        "said_on": {"value": "2024-11", "precision": "month", "display": "November 2024"},
        "happened_on": {"value": "unknown", "precision": "unknown", "display": "date unknown"},
        "recorded_at": datetime(2024, 11, 30, 12, 0, tzinfo=UTC),
        "updated_at": GIVEN,
        "chain_text": "QiOSK (Responsible Statecraft) quoting The New York Times citing Nick Brown",
        "reports": [[
            {"source_id": "q", "name": "QiOSK", "kind": "outlet",
             "publisher": {"id": "rs", "name": "Responsible Statecraft"}, "relation": "quoting",
             "url": "https://responsiblestatecraft.org/diplomacy-watch", "headline": "Diplomacy Watch",
             "published_on": {"value": "2024-11-27", "precision": "day", "display": "27 November 2024"}},
            {"source_id": "t", "name": "The New York Times", "kind": "outlet",
             "publisher": {"id": "t", "name": "The New York Times"}, "relation": "citing",
             "url": "https://www.nytimes.com/oreshnik", "headline": None,
             "published_on": {"value": "2024-11-22", "precision": "day", "display": "22 November 2024"}},
            {"source_id": "b", "name": "Nick Brown", "kind": "person",
             "publisher": {"id": "b", "name": "Nick Brown"},
             "relation": None, "url": None, "headline": None, "published_on": None, "speaker": True},
        ]],
        "outlets": [{"id": "q", "name": "QiOSK"}, {"id": "t", "name": "The New York Times"}],
        "first_outlet": {"id": "t", "name": "The New York Times", "url": "https://www.nytimes.com/oreshnik"},
        "independent_outlets": 1, "single_source": True,
        "verdict": {"rating": "mostly-true", "rating_label": "Mostly true", "normalized_value": 0.8,
                    "scale": "factlog", "checker_id": None, "explanation": "Matches estimates.",
                    "given_at": GIVEN},
        "status": "active", "corrections": [], "retraction": None,
    }
    return {**base, **overrides}


def claim_url(claim_id: str) -> str:
    return f"https://factlog.example/claims/{claim_id}"
