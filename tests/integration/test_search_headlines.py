"""Search finds a claim by the headline of a report that carried it, as projected live and as rebuilt."""
from __future__ import annotations

import uuid

from factlog.claims import dates
from factlog.claims.events import Link, Report
from factlog.readmodels import queries
from tests.support.newsroom import Newsroom, dump_read_models
from tests.support.projections import wait_until_visible
from workers import rebuild
from workers.projectors import all_projections
from workers.runner import catch_up, live

HEADLINE = "Diplomacy Watch: Will Seoul give artillery shells to Kyiv?"


def project(db, room):
    wait_until_visible(room.session, max(room.positions))
    for projection in all_projections():
        catch_up(db, [live(projection)])


def found(session, text):
    try:
        return [hit["id"] for hit in queries.search(session, text, kind="claim")]
    finally:
        session.rollback()


def test_a_claim_is_found_by_the_headline_of_any_of_its_reports(db, session):
    room = Newsroom(session)
    for outlet in ("QiOSK", "Reuters"):
        room.source(outlet)
    room.person("Nick Brown")
    link = Link(room.ids["QiOSK"], "citing", "https://example.org/qiosk", HEADLINE, dates.parse("2024-11-29"))
    claim = room.claim("Brown doubts the transfer", "Nick Brown",
                       Report(uuid.uuid4(), (link, Link(room.ids["Nick Brown"]))), said_on="2024-11")
    other = room.claim("Another claim", "Nick Brown", room.chain(("Reuters", None)))
    project(db, room)
    assert found(session, "artillery shells Seoul") == [str(claim)]
    assert found(session, "diplomacy watch") == [str(claim)]
    later = Link(room.ids["Reuters"], None, "https://example.org/reuters", "Pyongyang's munitions keep flowing")
    room.report(other, Report(uuid.uuid4(), (later,)))
    project(db, room)
    assert found(session, "munitions flowing") == [str(other)]
    live_rows = dump_read_models(session)
    assert rebuild.rebuild(db, all_projections(), batch_size=2) > 0
    assert dump_read_models(session) == live_rows
    assert found(session, "artillery shells Seoul") == [str(claim)]
