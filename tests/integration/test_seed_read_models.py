"""The seed digest, imported and projected: the views a fact-checker would expect from the text."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from factlog.importer import import_file
from factlog.readmodels import queries
from tests.support.projections import wait_until_visible
from workers.projectors import all_projections
from workers.runner import catch_up, live

DEMO = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "seed-digest.yaml"


@pytest.fixture
def seeded(db, session):
    import_file(session, DEMO, "test:importer")
    last = session.execute(sa.text("SELECT max(position) FROM events")).scalar_one()
    session.rollback()
    wait_until_visible(session, last)
    for projection in all_projections():
        catch_up(db, [live(projection)])
    return session


def read(session, function, *args, **kwargs):
    try:
        return function(session, *args, **kwargs)
    finally:
        session.rollback()


def source_id(session, name: str) -> str:
    [found] = [r for r in read(session, queries.search, name, kind="source") if r["title"] == name]
    return found["id"]


def claim(session, words: str) -> dict:
    [found] = read(session, queries.search, words, kind="claim")
    return read(session, queries.claim_attribution, found["id"])


def every_claim(session) -> list[dict]:
    page, cards = None, []
    while page is None or page.next_cursor:
        page = read(session, queries.timeline, "all", limit=200, cursor=page.next_cursor if page else None)
        cards += page.entries
    return cards


def test_the_chain_from_responsible_statecraft_through_the_times_to_nick_brown(seeded):
    view = claim(seeded, "longest-range weapon Europe")
    [report] = view["reports"]
    assert [link["publisher"]["name"] for link in report["chain"]] == [
        "Responsible Statecraft", "The New York Times", "Nick Brown"]
    assert [(link["name"], link["relation"]) for link in report["chain"]] == [
        ("QiOSK", "quoting"), ("The New York Times", "citing"), ("Nick Brown", None)]
    assert report["chain"][1]["as_written"] == "the Times"
    assert report["chain"][0]["published_on"]["display"] == "27 November 2024 – 1 December 2024"
    assert view["claim"]["chain_text"] == (
        "QiOSK (Responsible Statecraft) quoting The New York Times citing Nick Brown")
    assert view["first"]["name"] == "The New York Times"  # QiOSK relays the Times
    assert view["corroboration"]["single_source"] is True


def test_reuters_claims_are_on_the_reuters_outlet_page(seeded):
    page = read(seeded, queries.outlet_attribution, source_id(seeded, "Reuters"))
    assert sorted(card["summary"] for card in page["claims"]) == [
        "North Korea has begun to expand a plant that makes short-range missiles assumed to be used by Russia.",
        "The Iranian Revolutionary Guard Corps is warning vessels in the Persian Gulf by radio that no ship is "
        "allowed to pass the Strait of Hormuz.",
        "Ukraine launched American-supplied ATACMS missiles twice in the last week; both strikes targeted "
        "Russian operations in Kursk.",
    ]
    assert (page["claims_count"], page["first_count"]) == (3, 3)  # QiOSK only relays Reuters
    assert [(o["name"], o["claims"]) for o in page["cited_by"]] == [("QiOSK", 3)]
    assert [(s["name"], s["claims"]) for s in page["speakers"]] == [
        ("Reuters", 2), ("Islamic Revolutionary Guard Corps", 1)]
    qiosk = read(seeded, queries.outlet_attribution, source_id(seeded, "QiOSK"))
    assert ("Reuters", 3) in [(o["name"], o["claims"]) for o in qiosk["cites"]]


def test_every_claim_in_the_digest_rests_on_a_single_source(seeded):
    cards = every_claim(seeded)
    assert len(cards) == 48  # every claim of the file
    for card in cards:
        view = read(seeded, queries.claim_attribution, card["claim_id"])
        assert view["corroboration"]["independent_outlets"] == 1, card["summary"]
        assert view["corroboration"]["single_source"] is True


def test_a_relayed_report_counts_the_cited_outlet_not_the_relay(seeded):
    view = claim(seeded, "cope with the security threat")
    assert {(c["name"], c["independent"], c["first"]) for c in view["carriers"]} == {
        ("QiOSK", False, False), ("Associated Press", True, True)}
    houthi = claim(seeded, "constant contact")
    assert [c["name"] for c in houthi["carriers"] if c["independent"]] == ["Russian media (outlet not named)"]
    briefing = claim(seeded, "fault of the Kremlin")
    assert [c["name"] for c in briefing["carriers"] if c["first"]] == ["U.S. State Department"]


def test_the_month_precision_zelenskyy_request_reads_october_2024_on_the_ukraine_timeline(seeded):
    page = read(seeded, queries.timeline, "topic", "ukraine", limit=200)
    [zelenskyy] = [e for e in page.entries if e["speaker"]["name"] == "Volodymyr Zelenskyy"]
    assert zelenskyy["said_on"]["display"] == "October 2024"
    assert zelenskyy["speaker"]["as_written"] == "Volodomir Zelenskyy"
    said = [e["said_on"]["value"] for e in page.entries if e["said_on"]["precision"] != "unknown"]
    assert said[0] == "2024-10" and said[1:] == sorted(said[1:])  # October 2024, then 25 November...
