"""Timelines, source attribution and search, projected from claims recorded through the domain."""
from __future__ import annotations

from datetime import date

import orjson
import pytest
import sqlalchemy as sa

from factlog.readmodels import queries
from factlog.readmodels.queries import exports
from factlog.readmodels.queries import timelines as timeline_queries
from factlog.readmodels.timelines import timeline_entries, timeline_id
from tests.support.newsroom import Newsroom, dump_read_models
from tests.support.projections import wait_until_visible
from workers import rebuild
from workers.projectors import all_projections
from workers.runner import catch_up, live


def project(db, newsroom):
    if newsroom.positions:
        wait_until_visible(newsroom.session, max(newsroom.positions))
    for projection in all_projections():
        catch_up(db, [live(projection)])


@pytest.fixture
def newsroom(session):
    room = Newsroom(session)
    for outlet in ("Responsible Statecraft", "The New York Times", "Reuters", "QiOSK"):
        room.source(outlet)
    for person in ("Nick Brown", "Matthew Miller"):
        room.person(person)
    return room


@pytest.fixture
def scenario(db, newsroom):
    room = newsroom
    ids = {
        "missiles": room.claim(
            "North Korea supplied KN-23 missiles to Russia", "Nick Brown",
            room.chain(("Responsible Statecraft", "citing", "2024-11-20"), ("The New York Times", "quoting",
                                                                              "2024-11-18")),
            said_on="2024-10", quote="the longest range of any missile", topics=["ukraine", "north-korea"]),
        "troops": room.claim(
            "Miller could not confirm North Korean troops in Kursk", "Matthew Miller",
            room.chain(("Reuters", "quoting", "2024-10-15")), said_on="2024-10-15", topics=["ukraine"],
            role="State Department spokesperson"),
        "reuters": room.claim(
            "Reuters saw satellite images of the transfer", "Reuters", room.chain(("Reuters", None, "2024-10-01")),
            said_on="2024-10-01", topics=["ukraine"]),
    }
    room.report(ids["troops"], room.chain(("QiOSK", "citing", "2024-10-16"), ("Reuters", "quoting")))
    project(db, room)
    return ids


def session_read(session, function, *args, **kwargs):
    try:
        return function(session, *args, **kwargs)
    finally:
        session.rollback()


def titles(page):
    return [entry["summary"].split()[0] for entry in page.entries]


def test_a_topic_timeline_orders_by_precise_date_with_a_month_sorting_as_a_month(session, scenario):
    page = session_read(session, queries.timeline, "topic", "ukraine")
    assert titles(page) == ["Reuters", "North", "Miller"]  # 1 Oct, October 2024 (1-31 Oct), 15 Oct
    assert page.entries[1]["said_on"] == {"value": "2024-10", "precision": "month", "display": "October 2024"}
    assert page.next_cursor is None


def test_an_entry_carries_summary_quote_speaker_role_chain_verdict_and_status(session, scenario):
    assert session_read(session, queries.timeline, "speaker", "no-such-speaker").entries == []
    [troops] = session_read(session, queries.timeline, "topic", "ukraine").entries[2:]
    assert troops["speaker"]["name"] == "Matthew Miller"
    assert troops["speaker"]["role"] == "State Department spokesperson"
    assert troops["chain_text"] == "Reuters quoting Matthew Miller"
    assert (troops["status"], troops["verdict"], troops["reports"]) == ("active", None, 2)
    [missiles] = session_read(session, queries.timeline, "topic", "north-korea").entries
    assert missiles["quote"] == "the longest range of any missile"
    assert missiles["chain_text"] == ("Responsible Statecraft citing The New York Times quoting Nick Brown")


def test_speaker_and_outlet_timelines(session, newsroom, scenario):
    miller = str(newsroom.ids["Matthew Miller"])
    assert titles(session_read(session, queries.timeline, "speaker", miller)) == ["Miller"]
    nyt = str(newsroom.ids["The New York Times"])
    assert titles(session_read(session, queries.timeline, "outlet", nyt)) == ["North"]
    reuters = str(newsroom.ids["Reuters"])
    assert titles(session_read(session, queries.timeline, "outlet", reuters)) == ["Miller"]  # its own is by it
    assert titles(session_read(session, queries.timeline, "all")) == ["Reuters", "North", "Miller"]


def test_two_timelines_sharing_an_id_keep_their_own_entries(db, session, newsroom, scenario, monkeypatch):
    """Ids are 56 bits of a hash: should two outlets' timelines share one, pages still tell them apart."""
    nyt, reuters = str(newsroom.ids["The New York Times"]), str(newsroom.ids["Reuters"])
    shared = timeline_id("outlet", reuters)
    with db.session() as writer:
        writer.execute(sa.update(timeline_entries).where(timeline_entries.c.key == nyt).values(
            timeline_id=shared))
        writer.commit()
    monkeypatch.setattr(timeline_queries, "timeline_id", lambda kind, key: shared if kind == "outlet"
                        and key in (nyt, reuters) else timeline_id(kind, key))
    assert titles(session_read(session, queries.timeline, "outlet", nyt)) == ["North"]
    assert titles(session_read(session, queries.timeline, "outlet", reuters)) == ["Miller"]
    counts = dict(session_read(session, queries.timeline_keys, "outlet"))
    assert counts[nyt] == 1 and counts[reuters] == 1
    monkeypatch.setattr(exports, "timeline_id", timeline_queries.timeline_id)
    recent = session_read(session, exports.recent, "outlet", nyt)
    assert [item["card"]["summary"].split()[0] for item in recent] == ["North"]


def test_keyset_pages_follow_each_other_without_gaps_or_repeats(session, scenario):
    seen, cursor = [], None
    while True:
        page = session_read(session, queries.timeline, "topic", "ukraine", limit=1, cursor=cursor)
        seen += titles(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == ["Reuters", "North", "Miller"]
    with pytest.raises(queries.InvalidCursor):
        session_read(session, queries.timeline, "topic", "ukraine", cursor="not-a-cursor")


def test_filters_by_date_window_verdict_status_and_outlet(db, session, newsroom, scenario):
    window = session_read(session, queries.timeline, "topic", "ukraine", start=date(2024, 10, 10),
                          end=date(2024, 10, 20))
    assert [(e["summary"].split()[0], e["certain"]) for e in window.entries] == [("North", False), ("Miller", True)]
    newsroom.verdict(scenario["missiles"], "false")
    project(db, newsroom)
    assert titles(session_read(session, queries.timeline, "all", verdict="false")) == ["North"]
    qiosk = str(newsroom.ids["QiOSK"])
    assert titles(session_read(session, queries.timeline, "topic", "ukraine", outlet=qiosk)) == ["Miller"]
    assert titles(session_read(session, queries.timeline, "all", status="active")) == ["Reuters", "North", "Miller"]
    [entry] = session_read(session, queries.timeline, "all", verdict="false").entries
    assert entry["verdict"]["rating_label"] == "False"


def test_a_correction_shows_with_the_original_wording_and_moves_the_entry(db, session, newsroom, scenario):
    newsroom.correct(scenario["troops"], "summary", "Miller could not confirm troops in Kursk")
    newsroom.correct(scenario["missiles"], "said_on", "2024-09")
    project(db, newsroom)
    page = session_read(session, queries.timeline, "topic", "ukraine")
    assert titles(page) == ["North", "Reuters", "Miller"]
    troops = page.entries[2]
    assert troops["status"] == "corrected" and troops["summary"] == "Miller could not confirm troops in Kursk"
    assert troops["original"] == {"summary": "Miller could not confirm North Korean troops in Kursk"}
    moved = page.entries[0]["corrections"][0]
    assert (moved["field"], moved["old_display"], moved["new_display"]) == ("said_on", "October 2024",
                                                                            "September 2024")
    assert titles(session_read(session, queries.timeline, "all", status="corrected")) == ["North", "Miller"]


def test_a_retraction_shows_with_its_reason(db, session, newsroom, scenario):
    newsroom.retract(scenario["reuters"], "Reuters withdrew the story")
    project(db, newsroom)
    [entry] = session_read(session, queries.timeline, "all", status="retracted").entries
    assert entry["retraction"]["reason"] == "Reuters withdrew the story"
    attribution = session_read(session, queries.claim_attribution, str(scenario["reuters"]))
    assert attribution["claim"]["status"] == "retracted"


def test_claim_attribution_shows_the_chain_the_carriers_and_who_was_first(session, newsroom, scenario):
    view = session_read(session, queries.claim_attribution, str(scenario["missiles"]))
    [report] = view["reports"]
    assert [(link["name"], link["relation"]) for link in report["chain"]] == [
        ("Responsible Statecraft", "citing"), ("The New York Times", "quoting"), ("Nick Brown", None)]
    assert report["chain"][0]["published_on"]["display"] == "20 November 2024"
    assert report["chain"][0]["url"].startswith("https://example.org/Responsible-Statecraft/")
    assert report["relay"] is True and report["origin_id"] == str(newsroom.ids["The New York Times"])
    assert [(c["name"], c["first"]) for c in view["carriers"]] == [("The New York Times", True),
                                                                   ("Responsible Statecraft", False)]
    assert view["corroboration"] == {"independent_outlets": 1, "single_source": True,
                                     "origins": [str(newsroom.ids["The New York Times"])]}


def test_corroboration_counts_independent_outlets_not_relays(db, session, newsroom, scenario):
    view = session_read(session, queries.claim_attribution, str(scenario["troops"]))
    assert view["corroboration"]["independent_outlets"] == 1  # QiOSK only relays Reuters
    newsroom.report(scenario["troops"], newsroom.chain(("The New York Times", "quoting", "2024-10-15")))
    project(db, newsroom)
    view = session_read(session, queries.claim_attribution, str(scenario["troops"]))
    assert view["corroboration"]["independent_outlets"] == 2 and not view["corroboration"]["single_source"]


def test_an_outlet_page_lists_its_claims_firsts_citations_and_speakers(session, newsroom, scenario):
    reuters = session_read(session, queries.outlet_attribution, str(newsroom.ids["Reuters"]))
    assert sorted(card["summary"].split()[0] for card in reuters["claims"]) == ["Miller", "Reuters"]
    assert sorted(card["summary"].split()[0] for card in reuters["first"]) == ["Miller", "Reuters"]
    assert [(o["name"], o["claims"]) for o in reuters["cited_by"]] == [("QiOSK", 1)]
    assert reuters["cites"] == []
    assert [(s["name"], s["claims"]) for s in reuters["speakers"]] == [("Matthew Miller", 1), ("Reuters", 1)]
    qiosk = session_read(session, queries.outlet_attribution, str(newsroom.ids["QiOSK"]))
    assert [(o["name"], o["claims"]) for o in qiosk["cites"]] == [("Reuters", 1)] and qiosk["first"] == []
    rs = session_read(session, queries.outlet_attribution, str(newsroom.ids["Responsible Statecraft"]))
    assert [(o["name"], o["claims"]) for o in rs["cites"]] == [("The New York Times", 1)]


def test_a_speaker_page_lists_claims_roles_over_time_and_outlets(db, session, newsroom, scenario):
    newsroom.claim("Miller said the US was consulting allies", "Matthew Miller",
                   newsroom.chain(("The New York Times", "quoting", "2024-12-02")), said_on="2024-12-01",
                   role="State Department spokesperson")
    newsroom.claim("Miller, now at a think tank, said otherwise", "Matthew Miller",
                   newsroom.chain(("Reuters", "quoting", "2025-03")), said_on="2025-03",
                   role="former spokesperson")
    project(db, newsroom)
    page = session_read(session, queries.speaker_attribution, str(newsroom.ids["Matthew Miller"]))
    assert page["claims_count"] == 3
    assert [(r["role"], r["from"]["display"], r["until"]["display"], r["claims"]) for r in page["roles"]] == [
        ("State Department spokesperson", "15 October 2024", "1 December 2024", 2),
        ("former spokesperson", "March 2025", "March 2025", 1)]
    assert [(o["name"], o["claims"]) for o in page["outlets"]] == [("Reuters", 2), ("QiOSK", 1),
                                                                  ("The New York Times", 1)]


def test_a_merged_outlet_s_claims_move_to_the_surviving_outlet(db, session, newsroom, scenario):
    newsroom.source("NYTimes")
    claim = newsroom.claim("Pyongyang denied the transfer", "Nick Brown",
                           newsroom.chain(("NYTimes", "quoting", "2024-11-21")), said_on="2024-11-21")
    newsroom.merge("NYTimes", "The New York Times")
    project(db, newsroom)
    nyt = str(newsroom.ids["The New York Times"])
    assert sorted(titles(session_read(session, queries.timeline, "outlet", nyt))) == ["North", "Pyongyang"]
    via_duplicate = session_read(session, queries.outlet_attribution, str(newsroom.ids["NYTimes"]))
    assert via_duplicate["outlet"]["id"] == nyt and via_duplicate["claims_count"] == 2
    view = session_read(session, queries.claim_attribution, str(claim))
    assert view["carriers"][0]["id"] == nyt


def test_search_finds_claims_by_summary_quote_and_names_and_sources_by_name(session, newsroom, scenario):
    assert [r["id"] for r in session_read(session, queries.search, "KN-23 missiles")] == [
        str(scenario["missiles"])]
    assert [r["id"] for r in session_read(session, queries.search, "longest range")] == [str(scenario["missiles"])]
    found = session_read(session, queries.search, "Nick Brown")
    assert {(r["kind"], r["title"]) for r in found} >= {("source", "Nick Brown"),
                                                        ("claim", "North Korea supplied KN-23 missiles to Russia")}
    assert [r["title"] for r in session_read(session, queries.search, "Brown", kind="source")] == ["Nick Brown"]
    assert session_read(session, queries.search, "   ") == []


def test_a_rebuild_produces_the_same_rows_as_the_incremental_projection(db, session, newsroom, scenario):
    newsroom.correct(scenario["troops"], "summary", "Miller could not confirm troops")
    newsroom.retract(scenario["reuters"])
    newsroom.verdict(scenario["missiles"], "mostly-true")
    project(db, newsroom)
    incremental = dump_read_models(session)
    assert rebuild.rebuild(db, all_projections(), batch_size=3) > 0
    assert dump_read_models(session) == incremental
    assert [r["title"] for r in session_read(session, queries.search, "Nick Brown", kind="source")] == ["Nick Brown"]


def test_encoded_pages_are_the_same_entries_as_decoded_ones_for_every_shape_of_request(db, session, newsroom,
                                                                                       scenario):
    """The API's pages (cards passed on as text, the date added as text) hold exactly the entries the pages
    decode, whatever the filters, the sort and the cursor."""
    newsroom.verdict(scenario["missiles"], "false")
    project(db, newsroom)
    qiosk = str(newsroom.ids["QiOSK"])
    requests = [("topic", "ukraine", {}), ("all", "*", {"by": "happened_on"}),
                ("topic", "ukraine", {"start": date(2024, 10, 10), "end": date(2024, 10, 20)}),
                ("topic", "ukraine", {"start": date(2024, 10, 10)}), ("all", "*", {"verdict": "false"}),
                ("all", "*", {"status": "active"}), ("topic", "ukraine", {"outlet": qiosk}),
                ("topic", "ukraine", {"limit": 1})]
    for kind, key, args in requests:
        cursor = None
        while True:
            decoded = session_read(session, queries.timeline, kind, key, cursor=cursor, **args)
            encoded = session_read(session, queries.timeline_encoded, kind, key, cursor=cursor, **args)
            assert [orjson.loads(orjson.dumps(entry)) for entry in encoded.entries] == decoded.entries, args
            assert encoded.next_cursor == decoded.next_cursor
            if decoded.next_cursor is None:
                break
            cursor = decoded.next_cursor
    assert len(session_read(session, queries.timeline_encoded, "topic", "ukraine").entries) == 3


def test_merging_the_outlet_a_desk_publishes_under_re_renders_the_claims_the_desk_carried(
        db, session, newsroom, scenario):
    """A desk's claims name the outlet it belongs to as their publisher ("QiOSK (Responsible Statecraft)"):
    when that outlet is merged into another, they name the survivor, as a rebuild of the same log does."""
    newsroom.source("Resp. Statecraft")
    newsroom.source("The Desk", affiliation_id=newsroom.ids["Resp. Statecraft"])
    claim = newsroom.claim("The desk's claim", "Nick Brown",
                           newsroom.chain(("The Desk", "citing", "2024-11-22"), ("The New York Times", "quoting")),
                           said_on="2024-11-22")
    project(db, newsroom)

    def publishers() -> tuple[list, list]:
        entries = session_read(session, queries.timeline, "all").entries
        (card,) = [entry for entry in entries if entry["claim_id"] == str(claim)]
        view = session_read(session, queries.claim_attribution, str(claim))
        return ([link["publisher"] for link in card["chain"]],
                [link["publisher"]["name"] for link in view["reports"][0]["chain"]])

    assert publishers() == (["Resp. Statecraft", "The New York Times", "Nick Brown"],
                            ["Resp. Statecraft", "The New York Times", "Nick Brown"])
    newsroom.merge("Resp. Statecraft", "Responsible Statecraft")
    project(db, newsroom)
    assert publishers() == (["Responsible Statecraft", "The New York Times", "Nick Brown"],
                            ["Responsible Statecraft", "The New York Times", "Nick Brown"])
    incremental = dump_read_models(session)
    rebuild.rebuild(db, all_projections(), batch_size=2)
    assert dump_read_models(session) == incremental
