"""TimelineJS3 JSON: dates only as precise as known, ranges, groups, media credit, markup escaped."""
from __future__ import annotations

import pytest

from factlog.exports.timelinejs import date_objects, event, timeline
from tests.support.export_records import claim_url, record


def test_start_dates_carry_only_what_is_known():
    assert date_objects({"value": "2024-11-27", "precision": "day"}) == (
        {"year": 2024, "month": 11, "day": 27}, None, None)
    assert date_objects({"value": "2024-10", "precision": "month", "display": "October 2024"}) == (
        {"year": 2024, "month": 10}, None, "October 2024")
    assert date_objects({"value": "2025", "precision": "year", "display": "2025"}) == (
        {"year": 2025}, None, "2025")
    ranged = {"value": "2024-11-18..2024-11-24", "precision": "range", "display": "18–24 November 2024"}
    assert date_objects(ranged) == (
        {"year": 2024, "month": 11, "day": 18}, {"year": 2024, "month": 11, "day": 24}, "18–24 November 2024")
    around = {"value": "~2024-11-20", "precision": "approximate", "display": "around 20 November 2024"}
    assert date_objects(around) == ({"year": 2024, "month": 11, "day": 20}, None, "around 20 November 2024")
    assert date_objects({"value": "unknown", "precision": "unknown"}) == (None, None, None)


def test_an_event_names_the_claim_its_group_and_credits_the_outlet():
    found = event(record(), claim_url(record()["claim_id"]))
    assert found["unique_id"] == "claim-11111111-1111-1111-1111-111111111111"
    assert found["group"] == "The New York Times"
    assert found["media"] == {"url": "https://www.nytimes.com/oreshnik", "credit": "The New York Times",
                              "link": claim_url(record()["claim_id"])}
    assert found["display_date"] == "November 2024"
    assert "Verdict: Mostly true" in found["text"]["text"]
    assert event(record(), "u", group_by="speaker")["group"] == "Nick Brown"
    with pytest.raises(ValueError):
        event(record(), "u", group_by="topic")


def test_markup_in_a_quote_is_escaped():
    found = event(record(quote="<script>alert(1)</script>", summary="<b>bold</b>"), "u")
    assert "<script>" not in found["text"]["text"] and "&lt;script&gt;" in found["text"]["text"]
    assert found["text"]["headline"] == "&lt;b&gt;bold&lt;/b&gt;"


def test_undated_claims_are_left_out_and_counted():
    undated = record(claim_id="2",
                     said_on={"value": "unknown", "precision": "unknown", "display": "date unknown"})
    document = timeline("Weapons", [record(), undated], claim_url)
    assert [e["unique_id"] for e in document["events"]] == ["claim-11111111-1111-1111-1111-111111111111"]
    assert document["undated"] == 1 and "1 without a known date" in document["title"]["text"]["text"]
    by_happened = timeline("Weapons", [record()], claim_url, by="happened_on")
    assert by_happened["events"] == []
