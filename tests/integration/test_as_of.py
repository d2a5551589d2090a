"""Views as of a past moment: the read models now, with the claims changed since re-folded up to it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from factlog.eventstore.tables import events
from factlog.readmodels import as_of, queries
from factlog.readmodels.queries import as_of_attribution, as_of_timelines
from factlog.readmodels.queries.claim_changes import claim_changes
from factlog.web import claim_view
from tests.conftest import bearer
from tests.support.newsroom import Newsroom
from tests.support.projections import wait_until_visible
from tests.support.web import make_user, sign_in
from workers.projectors import all_projections
from workers.runner import catch_up, live


def project(db, room):
    wait_until_visible(room.session, max(room.positions))
    room.session.rollback()
    for projection in all_projections():
        catch_up(db, [live(projection)])


def head(room) -> int:
    """The position of the last event recorded (each command commits before the next starts)."""
    return room.positions[-1]


def past_at(room, position, projections=("timelines", "attribution", "links"), max_events=50_000):
    moment = as_of.resolve(room.session, position=position, max_events=max_events)
    return as_of.past(room.session, moment, projections)


def summaries(page):
    return [entry["summary"] for entry in page.entries]


@pytest.fixture
def room(session):
    newsroom = Newsroom(session)
    for outlet in ("Reuters", "The New York Times"):
        newsroom.source(outlet)
    for person in ("Nick Brown", "Matthew Miller"):
        newsroom.person(person)
    return newsroom


def test_a_timeline_as_of_before_a_correction_shows_the_original_wording_and_after_it_the_corrected(db, room):
    claim = room.claim("Russia fired an Oreshnik at Dnipro", "Nick Brown", room.chain(("Reuters", "citing")),
                       said_on="2024-11-21", topics=["ukraine"])
    before = head(room)
    room.correct(claim, "summary", "Russia fired an experimental Oreshnik missile at Dnipro")
    after = head(room)
    room.claim("A later claim", "Matthew Miller", room.chain(("Reuters",)), topics=["ukraine"])
    project(db, room)

    then = as_of_timelines.timeline(room.session, past_at(room, before), "topic", "ukraine")
    assert summaries(then) == ["Russia fired an Oreshnik at Dnipro"]
    assert then.entries[0]["status"] == "active" and then.entries[0]["corrections"] == []
    corrected = as_of_timelines.timeline(room.session, past_at(room, after), "topic", "ukraine")
    assert summaries(corrected) == ["Russia fired an experimental Oreshnik missile at Dnipro"]
    assert corrected.entries[0]["original"] == {"summary": "Russia fired an Oreshnik at Dnipro"}
    now = queries.timeline(room.session, "topic", "ukraine")
    assert len(now.entries) == 2  # the later claim exists now, not at either moment
    assert as_of_timelines.timeline_count(room.session, past_at(room, after), "topic", "ukraine") == 1
    view = claim_view.load(room.session, claim, past_at(room, before))
    assert view.claim.summary == "Russia fired an Oreshnik at Dnipro"
    assert [entry.type for entry in view.history] == ["ClaimRecorded", "ClaimReported"]


def test_verdict_history_as_of_any_moment(db, room):
    claim = room.claim("Kyiv was hit by ballistic missiles", "Matthew Miller", room.chain(("Reuters",)))
    recorded = head(room)
    room.verdict(claim, "false")
    rated = head(room)
    room.verdict(claim, "true", "new footage")
    rerated = head(room)
    project(db, room)

    def verdict_at(position):
        view = claim_view.load(room.session, claim, past_at(room, position))
        return view.verdict.rating if view.verdict else None, [entry.type for entry in view.history][2:]

    assert verdict_at(recorded) == (None, [])
    assert verdict_at(rated) == ("false", ["VerdictGiven"])
    assert verdict_at(rerated) == ("true", ["VerdictGiven", "VerdictGiven"])
    for position, rating in ((recorded, None), (rated, "false"), (rerated, "true")):
        card = as_of_timelines.timeline(room.session, past_at(room, position), "all").entries[0]
        assert (card["verdict"] or {}).get("rating") == rating
    changes = claim_changes(room.session, str(claim), as_of.resolve(room.session, position=rated), None)
    assert [(c["kind"], c["previous"], c["rating_label"]) for c in changes["changes"]] == [
        ("re-rated", "False", "True")]


def test_a_claim_retracted_after_the_moment_is_not_retracted_as_of_it(db, room):
    claim = room.claim("A plant makes the missiles", "Reuters", room.chain(("Reuters",)), topics=["ukraine"])
    before = head(room)
    room.retract(claim)
    project(db, room)

    past = past_at(room, before)
    assert claim_view.load(room.session, claim, past).status == "active"
    assert as_of_timelines.timeline(room.session, past, "all", status="retracted").entries == []
    assert summaries(as_of_timelines.timeline(room.session, past, "all", status="active")) == [
        "A plant makes the missiles"]
    assert queries.timeline(room.session, "all", status="retracted").entries[0]["status"] == "retracted"
    assert as_of_attribution.claim_attribution(room.session, past, str(claim))["claim"]["status"] == "active"


def test_a_speaker_corrected_after_the_moment_is_on_the_old_speakers_timeline_as_of_it(db, room):
    claim = room.claim("Troops are in Kursk", "Nick Brown", room.chain(("The New York Times", "quoting")))
    before = head(room)
    room.correct(claim, "speaker_id", room.ids["Matthew Miller"], "misattributed")
    project(db, room)
    brown, miller = str(room.ids["Nick Brown"]), str(room.ids["Matthew Miller"])

    past = past_at(room, before)
    assert summaries(as_of_timelines.timeline(room.session, past, "speaker", brown)) == ["Troops are in Kursk"]
    assert as_of_timelines.timeline(room.session, past, "speaker", miller).entries == []
    assert queries.timeline(room.session, "speaker", brown).entries == []
    assert dict(as_of_timelines.timeline_keys(room.session, past, "speaker")) == {brown: 1}
    said = as_of_attribution.speaker_attribution(room.session, past, brown)
    assert said["claims_count"] == 1 and said["outlets"][0]["name"] == "The New York Times"
    assert as_of_attribution.speaker_attribution(room.session, past, miller)["claims_count"] == 0
    assert queries.speaker_attribution(room.session, miller)["claims_count"] == 1


def test_an_outlet_as_of_a_moment_counts_the_reports_it_had_then(db, room):
    claim = room.claim("Strikes on Bryansk", "Matthew Miller", room.chain(("Reuters",)))
    before = head(room)
    room.report(claim, room.chain(("The New York Times", "citing"), ("Reuters",)))
    project(db, room)
    nyt = str(room.ids["The New York Times"])

    assert queries.outlet_attribution(room.session, nyt)["claims_count"] == 1
    then = as_of_attribution.outlet_attribution(room.session, past_at(room, before), nyt)
    assert then["claims_count"] == 0 and then["cites"] == []
    reuters = as_of_attribution.outlet_attribution(room.session, past_at(room, before), str(room.ids["Reuters"]))
    assert reuters["claims_count"] == 1 and reuters["cited_by"] == []


def test_a_time_is_the_last_event_recorded_at_or_before_it(db, room):
    room.claim("First", "Nick Brown", room.chain(("Reuters",)))
    first = head(room)
    recorded = room.session.execute(sa.select(events.c.recorded_at).where(events.c.position == first)).scalar()
    room.session.rollback()
    recorded = recorded if recorded.tzinfo else recorded.replace(tzinfo=UTC)
    assert as_of.resolve(room.session, time=recorded).position == first
    assert as_of.resolve(room.session, time=datetime(2000, 1, 1, tzinfo=UTC)).position == 0
    assert as_of.resolve(room.session, time=recorded + timedelta(days=1)).position == first


def test_a_moment_further_back_than_the_cap_is_refused(db, room):
    claim = room.claim("Capped", "Nick Brown", room.chain(("Reuters",)))
    before = head(room)
    room.correct(claim, "summary", "Capped, corrected")
    room.correct(claim, "summary", "Capped, corrected twice")
    project(db, room)
    with pytest.raises(as_of.TooFarBack, match="More than 1 events"):
        as_of.resolve(room.session, position=before, max_events=1)
    assert as_of.resolve(room.session, position=before, max_events=2).position == before
    with pytest.raises(as_of.AsOfError, match="No event has log position"):
        as_of.resolve(room.session, position=10 ** 9)


def test_the_api_answers_as_of_a_position_or_time_and_refuses_bad_moments(app, client, db, room, make_token):
    claim = room.claim("Original wording", "Nick Brown", room.chain(("Reuters",)), topics=["ukraine"])
    before = head(room)
    room.correct(claim, "summary", "Corrected wording")
    project(db, room)
    reader = bearer(make_token("editor", "read"))

    response = client.get(f"/api/v1/timelines/topic/ukraine?as_of_position={before}", headers=reader)
    body = response.get_json()
    assert [entry["summary"] for entry in body["entries"]] == ["Original wording"]
    assert response.headers["Factlog-As-Of-Position"] == str(before)
    now = client.get("/api/v1/timelines/topic/ukraine", headers=reader).get_json()
    assert [entry["summary"] for entry in now["entries"]] == ["Corrected wording"]
    attribution = client.get(f"/api/v1/claims/{claim}/attribution?as_of_position={before}", headers=reader)
    assert attribution.get_json()["claim"]["summary"] == "Original wording"
    early = client.get("/api/v1/timeline?as_of=2000-01-01T00:00Z", headers=reader)
    assert early.get_json()["entries"] == [] and early.headers["Factlog-As-Of-Position"] == "0"
    assert "before the first event" in early.headers["Factlog-As-Of"]

    bad = client.get("/api/v1/timeline?as_of=yesterday&as_of_position=x", headers=reader)
    assert bad.status_code == 400
    assert set(bad.get_json()["errors"]["query"]) == {"as_of", "as_of_position"}
    both = client.get(f"/api/v1/timeline?as_of=2024-11-28T12:00Z&as_of_position={before}", headers=reader)
    assert both.status_code == 400 and "not both" in both.get_json()["errors"]["query"]["as_of"][0]
    app.config["AS_OF_MAX_EVENTS"] = 0
    capped = client.get(f"/api/v1/timeline?as_of_position={before}", headers=reader)
    assert capped.status_code == 400 and "FACTLOG_AS_OF_MAX_EVENTS" in capped.get_json()["detail"]


def test_the_claim_page_as_of_a_moment_has_the_banner_and_the_original_wording(app, client, db, room):
    claim = room.claim("Page wording", "Nick Brown", room.chain(("Reuters",)), topics=["ukraine"])
    before = head(room)
    room.correct(claim, "summary", "Page wording, corrected")
    room.retract(claim)
    project(db, room)
    sign_in(client, make_user(db, "editor"))

    page = client.get(f"/claims/{claim}?as_of_position={before}")
    assert page.status_code == 200
    assert "As of " in page.text and f"log position {before}" in page.text and "Show it now" in page.text
    assert "<h1 id=\"claim-title\">Page wording</h1>" in page.text and "Retracted" not in page.text
    now = client.get(f"/claims/{claim}")
    assert "as-of-banner" not in now.text and "Page wording, corrected" in now.text
    assert 'type="datetime-local"' in now.text
    timeline = client.get(f"/timelines/topic/ukraine?as_of_position={before}")
    assert "as-of-banner" in timeline.text and "Page wording</a>" in timeline.text
    changes = client.get(f"/claims/{claim}/changes?from_position={before}")
    assert changes.status_code == 200
    assert "Corrected summary" in changes.text and "Page wording, corrected" in changes.text
    assert "Retracted" in changes.text
    bad = client.get("/timelines/topic/ukraine?as_of=soon")
    assert bad.status_code == 400 and "Not a date and time" in bad.text
    app.config["AS_OF_MAX_EVENTS"] = 0
    assert client.get(f"/claims/{claim}?as_of_position={before}").status_code == 400


def test_exports_and_feeds_answer_as_of_a_moment(client, db, room, make_token):
    claim = room.claim("Export wording", "Nick Brown", room.chain(("Reuters",)), topics=["ukraine"])
    room.verdict(claim, "false")
    before = head(room)
    room.correct(claim, "summary", "Export wording, corrected")
    room.retract(claim)
    project(db, room)
    reader = bearer(make_token("editor", "read"))
    moment = f"as_of_position={before}"

    csv = client.get(f"/api/v1/exports/claims.csv?kind=topic&key=ukraine&{moment}", headers=reader)
    assert csv.status_code == 200 and "wording, corrected" not in csv.text and "Export wording" in csv.text
    assert "Export wording, corrected" in client.get("/api/v1/exports/claims.csv", headers=reader).text
    ndjson = client.get(f"/api/v1/exports/claims.ndjson?{moment}", headers=reader).text
    assert '"status":"active"' in ndjson and '"retracted":false' in ndjson and "wording, corrected" not in ndjson
    timelinejs = client.get(f"/api/v1/exports/timelinejs?{moment}", headers=reader).get_json()
    assert "as of" in timelinejs["title"]["text"]["headline"]
    feed = client.get(f"/api/v1/feeds/timeline.atom?kind=topic&key=ukraine&{moment}", headers=reader).text
    assert "Export wording</title>" in feed and "as of" in feed
    corrections = client.get(f"/api/v1/feeds/corrections.atom?{moment}", headers=reader).text
    assert "Export wording" not in corrections
    assert "Export wording" in client.get("/api/v1/feeds/corrections.atom", headers=reader).text
    review = client.get(f"/api/v1/claims/{claim}/claimreview?{moment}", headers=reader).get_json()
    assert review["claimReviewed"] == "Export wording"
    assert client.get(f"/api/v1/claims/{claim}?{moment}", headers=reader).get_json()["summary"] == "Export wording"
    changes = client.get(f"/api/v1/claims/{claim}/changes?from_position={before}", headers=reader).get_json()
    assert [change["kind"] for change in changes["changes"]] == ["corrected", "retracted"]
    assert changes["changes"][0]["old_value"] == "Export wording"
    assert changes["before"]["status"] == "active" and changes["after"]["status"] == "retracted"
    backwards = client.get(f"/api/v1/claims/{claim}/changes?from_position={before}&to_position=1",
                           headers=reader)
    assert backwards.status_code == 400
    search = client.get(f"/api/v1/search?q=wording&{moment}", headers=reader)
    assert search.status_code == 400 and "now only" in search.get_json()["detail"]
    bad = client.get("/api/v1/exports/claims.csv?as_of=later", headers=reader)
    assert bad.status_code == 400 and "as_of" in bad.get_json()["errors"]["query"]


def test_the_openapi_document_describes_both_parameters(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/timeline", "/api/v1/claims/{claim_id}/attribution", "/api/v1/exports/claims.csv",
                 "/api/v1/feeds/corrections.atom", "/api/v1/outlets/{source_id}/attribution"):
        parameters = {parameter.get("name"): parameter for parameter in spec["paths"][path]["get"]["parameters"]}
        assert parameters["as_of"]["schema"] == {"type": "string", "format": "date-time"}
        assert parameters["as_of_position"]["schema"]["type"] == "integer"
        assert "400" in spec["paths"][path]["get"]["responses"]
