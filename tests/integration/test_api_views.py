"""API reads from the read models: timelines, attribution, search, projection status."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from factlog.eventstore.tables import events
from tests.conftest import bearer
from tests.integration.test_api_commands import record_body, register
from tests.support.projections import wait_until_visible
from workers.projectors import all_projections
from workers.runner import catch_up, live


def project(db, session):
    # Every committed event, visible to log readers or not yet (a transaction elsewhere may hold them back).
    last = session.execute(sa.select(sa.func.max(events.c.position))).scalar()
    session.rollback()
    wait_until_visible(session, last)
    session.rollback()
    for projection in all_projections():
        catch_up(db, [live(projection)])


@pytest.fixture
def reader(make_token):
    return bearer(make_token("editor", "read"))


@pytest.fixture
def seeded(client, db, session, make_token):
    """Two claims through the API: Nick Brown via the Times via QiOSK; Reuters' own report, then denied."""
    editor = bearer(make_token("editor", "write"))
    ids = {
        "qiosk": register(client, editor, "outlet", "Responsible Statecraft", aliases=["QiOSK"]),
        "nyt": register(client, editor, "outlet", "The New York Times"),
        "reuters": register(client, editor, "outlet", "Reuters"),
        "brown": register(client, editor, "person", "Nick Brown"),
        "miller": register(client, editor, "person", "Matthew Miller"),
    }
    oreshnik = client.post("/api/v1/claims", headers=editor, json=record_body(ids)).get_json()["id"]
    plant = client.post("/api/v1/claims", headers=editor, json={
        "summary": "North Korea has begun to expand a plant that makes missiles used by Russia.",
        "speaker_id": ids["reuters"], "cue": "reported", "said_on": "2024-11", "topics": ["ukraine", "north-korea"],
        "report": {"links": [{"source_id": ids["qiosk"], "relation": "citing"}, {"source_id": ids["reuters"]}]},
    }).get_json()["id"]
    client.post(f"/api/v1/claims/{plant}/retraction", headers={**editor, "If-Match": '"2"'},
                json={"reason": "Demo: wrong plant named"})
    project(db, session)
    return {**ids, "oreshnik": oreshnik, "plant": plant}


def test_the_topic_timeline_lists_claims_with_chain_and_status(client, reader, seeded):
    body = client.get("/api/v1/timelines/topic/ukraine", headers=reader).get_json()
    by_id = {entry["claim_id"]: entry for entry in body["entries"]}
    assert by_id[seeded["oreshnik"]]["chain_text"] == (
        "Responsible Statecraft citing The New York Times quoting Nick Brown")
    assert by_id[seeded["plant"]]["status"] == "retracted"
    assert body["next_cursor"] is None


def test_timeline_pages_follow_the_cursor(client, reader, seeded):
    first = client.get("/api/v1/timeline?limit=1", headers=reader).get_json()
    second = client.get(f"/api/v1/timeline?limit=1&cursor={first['next_cursor']}", headers=reader).get_json()
    assert first["entries"][0]["claim_id"] != second["entries"][0]["claim_id"]
    assert client.get("/api/v1/timeline?cursor=garbage", headers=reader).status_code == 400


def test_timeline_pages_run_newest_first_and_go_back_by_the_previous_cursor(client, reader, seeded):
    def ids(body):
        return [entry["claim_id"] for entry in body["entries"]]

    both = [seeded["oreshnik"], seeded["plant"]]  # both said in November 2024: the one recorded first first
    assert ids(client.get("/api/v1/timelines/topic/ukraine", headers=reader).get_json()) == both
    newest = client.get("/api/v1/timelines/topic/ukraine?order=newest&limit=1", headers=reader).get_json()
    assert ids(newest) == [seeded["plant"]] and newest["previous_cursor"] is None
    second = client.get(f"/api/v1/timelines/topic/ukraine?order=newest&limit=1&cursor={newest['next_cursor']}",
                        headers=reader).get_json()
    assert ids(second) == [seeded["oreshnik"]] and second["next_cursor"] is None
    back = client.get(f"/api/v1/timelines/topic/ukraine?order=newest&limit=1&cursor={second['previous_cursor']}",
                      headers=reader).get_json()
    assert back == newest
    mixed = client.get(f"/api/v1/timelines/topic/ukraine?limit=1&cursor={newest['next_cursor']}", headers=reader)
    assert mixed.status_code == 400 and "newest first" in mixed.get_json()["detail"]
    wrong = client.get("/api/v1/timeline?order=upside-down", headers=reader)
    assert wrong.status_code == 422 and "order" in wrong.get_json()["errors"]["query"]


def test_timeline_filters_are_validated(client, reader, seeded):
    response = client.get("/api/v1/timeline?status=lost&start=2024-13-01", headers=reader)
    assert response.status_code == 422
    assert {"status", "start"} <= set(response.get_json()["errors"]["query"])
    retracted = client.get("/api/v1/timeline?status=retracted", headers=reader).get_json()["entries"]
    assert [entry["claim_id"] for entry in retracted] == [seeded["plant"]]


def test_claim_attribution_shows_the_chain_and_corroboration(client, reader, seeded):
    view = client.get(f"/api/v1/claims/{seeded['oreshnik']}/attribution", headers=reader).get_json()
    assert view["claim"]["claim_id"] == seeded["oreshnik"]
    assert view["corroboration"]["single_source"] is True
    assert client.get(f"/api/v1/claims/{seeded['qiosk']}/attribution", headers=reader).status_code == 404


def test_outlet_and_speaker_pages(client, reader, seeded):
    reuters = client.get(f"/api/v1/outlets/{seeded['reuters']}/attribution", headers=reader).get_json()
    assert seeded["plant"] in [card["claim_id"] for card in reuters["claims"]]
    brown = client.get(f"/api/v1/speakers/{seeded['brown']}/attribution", headers=reader).get_json()
    assert brown["roles"][0]["role"] == "analyst at Janes"


def test_search_finds_claims_and_sources(client, reader, seeded):
    hits = client.get("/api/v1/search?q=Oreshnik", headers=reader).get_json()
    assert seeded["oreshnik"] in [hit["id"] for hit in hits]
    sources = client.get("/api/v1/search?q=Reuters&kind=source", headers=reader).get_json()
    assert [hit["id"] for hit in sources] == [seeded["reuters"]]
    assert client.get("/api/v1/search", headers=reader).status_code == 422


def test_projection_status_reports_lag(client, reader, seeded):
    statuses = client.get("/api/v1/projections/status", headers=reader).get_json()
    assert statuses and all(status["lag_events"] == 0 for status in statuses)


def test_views_need_a_token(client, seeded):
    assert client.get("/api/v1/timeline").status_code == 401


def test_sources_are_found_by_alias(client, reader, seeded):
    hits = client.get("/api/v1/sources?q=QiOSK", headers=reader).get_json()
    assert [hit["id"] for hit in hits] == [seeded["qiosk"]]


def _documented_dump(schema_class, data):
    """What a field-by-field marshmallow dump of ``data`` gives: the documented shape, nothing more."""
    from marshmallow import Schema

    return Schema.dump(schema_class(), data)


def test_projected_views_are_exactly_their_documented_shape(client, reader, seeded):
    # Timeline pages and claim attribution are passed on without re-serialising (views_schemas.ProjectedOut):
    # that is only right while the documented schema keeps every field the read models hold, and adds none.
    from factlog.api import views_schemas as out

    for kind, key in (("topic", "ukraine"), ("speaker", seeded["brown"]), ("outlet", seeded["qiosk"])):
        page = client.get(f"/api/v1/timelines/{kind}/{key}?start=2024-01-01", headers=reader).get_json()
        assert page["entries"]
        assert _documented_dump(out.TimelinePageOut, page) == page
    for claim in (seeded["oreshnik"], seeded["plant"]):
        view = client.get(f"/api/v1/claims/{claim}/attribution", headers=reader).get_json()
        assert _documented_dump(out.ClaimAttributionOut, view) == view


def test_a_denial_shows_on_the_denied_claims_links_and_page(client, db, session, reader, seeded, make_token):
    from tests.support.web import make_user, sign_in

    editor = bearer(make_token("editor", "write"))
    denial = client.post("/api/v1/claims", headers=editor, json={
        "summary": "Moscow denied supplying the <b>Oreshnik</b> data.", "speaker_id": seeded["miller"],
        "cue": "denied", "said_on": "2024-11-26", "topics": ["ukraine"],
        "report": {"links": [{"source_id": seeded["reuters"]}]}}).get_json()["id"]
    response = client.post(f"/api/v1/claims/{denial}/links", headers={**editor, "If-Match": '"2"'},
                           json={"relation": "denies", "target_claim_id": seeded["oreshnik"], "note": "same day"})
    assert response.status_code == 200, response.get_json()
    project(db, session)

    denied = client.get(f"/api/v1/claims/{seeded['oreshnik']}/links", headers=reader).get_json()
    assert denied["outgoing"] == []
    (incoming,) = denied["incoming"]
    assert (incoming["claim_id"], incoming["relation"], incoming["note"], incoming["status"]) == (
        denial, "denies", "same day", "active")
    assert incoming["summary"] == "Moscow denied supplying the <b>Oreshnik</b> data."
    denying = client.get(f"/api/v1/claims/{denial}/links", headers=reader).get_json()
    assert [link["claim_id"] for link in denying["outgoing"]] == [seeded["oreshnik"]] and not denying["incoming"]
    assert client.get(f"/api/v1/claims/{uuid.uuid4()}/links", headers=reader).status_code == 404

    browser = client.application.test_client()
    assert sign_in(browser, make_user(db, "fact_checker")).status_code == 302
    page = browser.get(f"/claims/{seeded['oreshnik']}").text
    assert "Said about it" in page and f'href="/claims/{denial}"' in page and "denies this claim" in page
    assert "&lt;b&gt;Oreshnik&lt;/b&gt;" in page and "<b>Oreshnik</b>" not in page


def test_a_cached_timeline_page_follows_the_projection_and_a_rebuild(client, db, session, reader, seeded,
                                                                     make_token):
    """The page cache serves a page only while the timelines projection has not moved: a new claim shows on
    the next request once projected, and a rebuild (same position, new tables) is never answered from
    pages of the old tables."""
    from factlog.api.page_cache import page_cache
    from workers import rebuild

    url = "/api/v1/timelines/topic/ukraine?limit=50"
    first = client.get(url, headers=reader)
    again = client.get(url, headers=reader)
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    with client.application.app_context():
        cache = page_cache()
        assert cache.hits >= 1 and len(cache) >= 1
    assert client.get(url, headers={**reader, "If-None-Match": first.headers["ETag"]}).status_code == 304

    editor = bearer(make_token("editor", "write"))
    new_claim = client.post("/api/v1/claims", headers=editor, json={
        "summary": "A third claim about Ukraine.", "speaker_id": seeded["miller"], "cue": "said",
        "said_on": "2024-12-01", "topics": ["ukraine"],
        "report": {"links": [{"source_id": seeded["reuters"]}]}}).get_json()["id"]
    assert client.get(url, headers=reader).data == first.data  # recorded, not projected yet: same read model
    project(db, session)
    after = client.get(url, headers=reader).get_json()
    assert new_claim in {entry["claim_id"] for entry in after["entries"]}

    before_rebuild = client.get(url, headers=reader)
    rebuild.rebuild(db, all_projections(), restart=True)  # new tables, the same rows, at the same position
    with client.application.app_context():
        misses = page_cache().misses
    rebuilt = client.get(url, headers=reader)
    with client.application.app_context():
        assert page_cache().misses == misses + 1  # the old tables' page was not served
    assert rebuilt.get_json() == before_rebuild.get_json()


def test_a_cached_attribution_view_follows_the_projection_and_a_missing_claim_is_never_cached(
        client, db, session, reader, seeded, make_token):
    url = f"/api/v1/claims/{seeded['oreshnik']}/attribution"
    first = client.get(url, headers=reader)
    assert client.get(url, headers=reader).data == first.data
    editor = bearer(make_token("editor", "write"))
    version = client.get(f"/api/v1/claims/{seeded['oreshnik']}", headers=editor).get_json()["version"]
    corrected = client.post(f"/api/v1/claims/{seeded['oreshnik']}/corrections",
                            headers={**editor, "If-Match": f'"{version}"'},
                            json={"field": "summary", "new_value": "Russia fired an Oreshnik missile at Dnipro.",
                                  "reason": "Name the city"})
    assert corrected.status_code == 200, corrected.get_json()
    project(db, session)
    after = client.get(url, headers=reader).get_json()
    assert after["claim"]["summary"] == "Russia fired an Oreshnik missile at Dnipro."
    assert after["claim"]["status"] == "corrected"
    missing = f"/api/v1/claims/{uuid.uuid4()}/attribution"
    assert [client.get(missing, headers=reader).status_code for _ in range(2)] == [404, 404]


def test_a_page_cache_hit_is_answered_before_the_query_is_parsed_again(client, reader, seeded, monkeypatch):
    """A cached page was built from this very path and query, so a hit skips parsing them (webargs and
    marshmallow); a new query is still parsed, and still refused when invalid."""
    import marshmallow

    url = "/api/v1/timelines/topic/ukraine?limit=50"
    first = client.get(url, headers=reader)
    assert first.status_code == 200
    parsed = []
    original = marshmallow.Schema.load
    monkeypatch.setattr(marshmallow.Schema, "load",
                        lambda self, *args, **kwargs: parsed.append(type(self).__name__) or original(self, *args,
                                                                                                  **kwargs))
    hit = client.get(url, headers=reader)
    assert (hit.status_code, hit.data, hit.headers["ETag"]) == (200, first.data, first.headers["ETag"])
    assert parsed == []
    assert client.get(url, headers={**reader, "If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(url.replace("50", "20"), headers=reader).status_code == 200
    assert "TimelineQuery" in parsed
    assert client.get(url.replace("50", "5000"), headers=reader).status_code == 422
    assert client.get(url, headers={}).status_code == 401  # the token is still checked on a hit
