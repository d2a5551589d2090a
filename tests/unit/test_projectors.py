"""The projectors' pure parts: folding claim events, timeline keys, chains, corroboration. No database."""
from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from factlog.eventstore import RecordedEvent
from factlog.readmodels.cards import chain_text
from factlog.readmodels.claim_state import ProjectionError, date_info, evolve, status
from workers.projectors import attribution, timelines
from workers.projectors.sources import SourceInfo

NOW = datetime(2024, 11, 27, tzinfo=UTC)
SOURCES = {
    "rs": SourceInfo("rs", "Responsible Statecraft", "outlet"),
    "nyt": SourceInfo("nyt", "The New York Times", "outlet"),
    "nick": SourceInfo("nick", "Nick Brown", "person"),
    "reuters": SourceInfo("reuters", "Reuters", "outlet"),
    "qiosk": SourceInfo("qiosk", "QiOSK", "outlet"),
    "nyt-dup": SourceInfo("nyt", "The New York Times", "outlet"),  # merged into nyt
}


def event(position: int, type_: str, **data) -> RecordedEvent:
    return RecordedEvent(position, uuid4(), "claim-c1", position, type_, 1, {"claim_id": "c1", **data}, {}, NOW)


def link(source_id: str, relation: str | None, published_on: str = "unknown") -> dict:
    return {"source_id": source_id, "relation": relation, "url": f"https://{source_id}.example/a", "headline": None,
            "published_on": {"value": published_on}, "as_written": None}


def recorded(said_on: str = "2024-10", speaker: str = "nick", topics=("ukraine",)) -> dict:
    state = evolve(None, event(1, "ClaimRecorded", summary="North Korea supplied missiles", speaker_id=speaker,
                                cue="said", said_on={"value": said_on}, happened_on={"value": "unknown"},
                                topics=list(topics)))
    return state


def reported(state: dict, position: int, *links: dict) -> dict:
    return evolve(state, event(position, "ClaimReported", report_id=f"r{position}", links=list(links)))


def test_a_month_precision_date_sorts_as_the_whole_month_and_displays_as_one():
    october = date_info({"value": "2024-10"})
    assert (october.unknown, october.start, october.end) == (0, date(2024, 10, 1), date(2024, 10, 31))
    assert october.display == "October 2024"
    key = lambda info: (info.unknown, info.start, info.end)
    assert key(date_info({"value": "2024-10-01"})) < key(october) < key(date_info({"value": "2024-10-02"}))
    assert date_info({"value": "unknown"}).unknown == 1


def test_events_about_a_claim_never_recorded_are_refused_loudly():
    with pytest.raises(ProjectionError, match="never recorded"):
        evolve(None, event(7, "ClaimRetracted", reason="x"))
    with pytest.raises(ProjectionError, match="recorded twice"):
        evolve(recorded(), event(8, "ClaimRecorded", summary="again"))


def test_status_follows_corrections_and_retraction():
    state = recorded()
    assert status(state) == "active"
    evolve(state, event(2, "ClaimCorrected", field="summary", old_value="a", new_value="b", reason="typo"))
    assert status(state) == "corrected" and state["summary"] == "b"
    evolve(state, event(3, "ClaimRetracted", reason="withdrawn"))
    assert status(state) == "retracted"


def test_a_claim_is_on_its_speaker_topic_outlet_and_all_timelines_keyed_by_surviving_sources():
    state = reported(recorded(), 2, link("rs", "citing"), link("nyt-dup", "quoting"))
    assert timelines.timeline_keys(state, SOURCES) == [
        ("all", "*"), ("speaker", "nick"), ("topic", "ukraine"), ("outlet", "rs"), ("outlet", "nyt")]


def test_the_chain_in_short_names_each_link_and_how_it_attributes():
    links = [{"name": "Responsible Statecraft", "relation": "citing"},
             {"name": "The New York Times", "relation": "quoting"}, {"name": "Nick Brown", "relation": None}]
    assert chain_text(links) == "Responsible Statecraft citing The New York Times quoting Nick Brown"


def test_a_relay_is_not_independent_and_the_cited_origin_is():
    state = reported(recorded(), 2, link("rs", "citing", "2024-11-20"), link("nyt", "quoting", "2024-11-18"))
    rows = attribution.rows_for(state, SOURCES)
    [report] = rows["reports"]
    assert (report["publication_id"], report["origin_id"], report["relay"]) == ("rs", "nyt", True)
    assert {row["source_id"]: (row["independent"], row["is_first"]) for row in rows["carriers"]} == {
        "rs": (False, False), "nyt": (True, True)}
    assert rows["claims"][0]["independent_outlets"] == 1 and rows["claims"][0]["single_source"]
    assert [(c["citing_id"], c["cited_id"]) for c in rows["citations"]] == [("rs", "nyt"), ("nyt", "nick")]


def test_two_outlets_reporting_on_their_own_corroborate_a_claim():
    state = reported(recorded(), 2, link("reuters", "quoting", "2024-10-15"))
    reported(state, 3, link("qiosk", "citing", "2024-10-16"), link("reuters", "quoting"))
    assert attribution.rows_for(state, SOURCES)["claims"][0]["independent_outlets"] == 1
    reported(state, 4, link("nyt", "quoting", "2024-10-15"))
    claim = attribution.rows_for(state, SOURCES)["claims"][0]
    assert (claim["independent_outlets"], claim["single_source"], claim["first_source_id"]) == (2, False, "reuters")


def test_an_outlet_speaking_for_itself_is_the_origin_of_the_chains_that_cite_it():
    state = reported(recorded(speaker="reuters"), 2, link("qiosk", "citing", "2024-10-16"))
    rows = attribution.rows_for(state, SOURCES)
    assert rows["reports"][0]["origin_id"] == "reuters"
    assert {row["source_id"] for row in rows["carriers"]} == {"qiosk", "reuters"}


def test_the_links_projection_keeps_one_row_per_link_readable_from_both_ends():
    from datetime import datetime
    from uuid import uuid4

    from factlog.eventstore import RecordedEvent
    from workers.projectors import links

    def recorded(position, event_type, data):
        return RecordedEvent(position, uuid4(), f"claim-{data['claim_id']}", 2, event_type, 1, data, {},
                             datetime.now(UTC))

    denial, denied = str(uuid4()), str(uuid4())
    rows = links.rows_for([
        recorded(7, "ClaimRetracted", {"claim_id": denied, "reason": "x"}),
        recorded(9, "ClaimsLinked", {"claim_id": denial, "relation": "denies", "target_claim_id": denied,
                                     "note": None}),
    ])
    assert rows == [{"position": 9, "claim_id": denial, "relation": "denies", "target_claim_id": denied,
                     "note": None}]
