"""A claim said, or a report published, in the future is refused the same way by the web form, the JSON API,
CSV import and file import, with the message beside the field; nothing is written."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from factlog import claims, eventstore, sources
from factlog.claims import dates
from factlog.database import get_database
from factlog.sources.commands import RegisterSource
from tests.conftest import bearer
from tests.support.web import field_errors, form, make_user, sign_in

SAID = "a claim is recorded once it has been said. Check the year, or leave the date unknown."
PUBLISHED = "a publication is recorded once it has come out. Check the year, or leave the date unknown."


def next_month() -> str:
    later = dates.today().replace(day=1) + timedelta(days=32)
    return f"{later.year:04d}-{later.month:02d}"


def in_two_days() -> str:
    return (dates.today() + timedelta(days=2)).isoformat()


def events_in(app) -> int:
    with get_database(app).session() as session:
        return eventstore.count_events(session)


@pytest.fixture
def newsroom(session):
    ids = {}
    for name, kind in (("QiOSK", "outlet"), ("Andrey Rudenko", "person")):
        ids[name] = uuid.uuid4()
        sources.run(session, RegisterSource(ids[name], kind, name, confirm_new=True), "setup")
    session.rollback()
    return ids


# --- JSON API ----------------------------------------------------------------------------------------------

def claim_body(newsroom, said_on="2024-11", published_on="2024-11-27") -> dict:
    return {"summary": "Relations would be destroyed.", "speaker_id": str(newsroom["Andrey Rudenko"]),
            "cue": "said", "said_on": said_on,
            "report": {"links": [{"source_id": str(newsroom["QiOSK"]), "relation": "quoting",
                                  "published_on": published_on}]}}


@pytest.mark.parametrize("said_on", [in_two_days(), next_month(), str(dates.today().year + 1), "~2100",
                                     "2100-01-01..2100-12-31"])
def test_the_api_refuses_a_claim_said_in_the_future(app, client, make_token, newsroom, said_on):
    before = events_in(app)
    response = client.post("/api/v1/claims", json=claim_body(newsroom, said_on=said_on),
                           headers=bearer(make_token("editor", "write")))
    assert response.status_code == 422
    (message,) = response.get_json()["errors"]["json"]["said_on"]
    assert message.endswith(SAID) and "is in the future (today is " in message
    assert events_in(app) == before


def test_the_api_refuses_a_report_published_in_the_future_and_a_correction_into_the_future(
        app, client, make_token, newsroom):
    editor = bearer(make_token("editor", "write"))
    response = client.post("/api/v1/claims", json=claim_body(newsroom, published_on=next_month()),
                           headers=editor)
    assert response.status_code == 422
    (message,) = response.get_json()["errors"]["json"]["report"]["links"]["0"]["published_on"]
    assert message.endswith(PUBLISHED)

    created = client.post("/api/v1/claims", json=claim_body(newsroom), headers=editor)
    assert created.status_code == 201
    claim_id, before = created.get_json()["id"], events_in(app)
    correction = client.post(f"/api/v1/claims/{claim_id}/corrections", headers={**editor, "If-Match": '"2"'},
                             json={"field": "said_on", "new_value": in_two_days(), "reason": "typo"})
    assert correction.status_code == 422
    assert correction.get_json()["errors"]["json"]["new_value"][0].endswith(SAID)
    report = client.post(f"/api/v1/claims/{claim_id}/reports", headers={**editor, "If-Match": '"2"'},
                         json={"report": {"links": [{"source_id": str(newsroom["QiOSK"]), "url":
                                                     "https://example.org/a", "published_on": "2100"}]}})
    assert report.status_code == 422
    assert report.get_json()["errors"]["json"]["report"]["links"]["0"]["published_on"][0].endswith(PUBLISHED)
    assert events_in(app) == before


# --- web form ----------------------------------------------------------------------------------------------

def test_the_form_shows_the_future_dates_beside_their_fields_and_records_nothing(app, client, db, newsroom):
    sign_in(client, make_user(db, "editor"))
    page = form(client.get("/claims/new").text, "/claims/new")
    data = page.with_values(
        speaker__name="Andrey Rudenko", cue="said", summary="Relations would be destroyed.",
        said_on__precision="month", said_on__value=next_month(),
        links__0__source__name="QiOSK", links__0__relation="quoting",
        links__0__published_on__precision="day", links__0__published_on__value=in_two_days())
    response = client.post("/claims/new", data=data)
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert errors["said_on"].endswith(SAID)
    assert errors["links-0-published_on"].endswith(PUBLISHED)
    assert events_in(app) == 2  # the two sources only


def test_the_correction_form_refuses_a_said_on_date_in_the_future(app, client, db, session, newsroom):
    command = claims.RecordClaimSchema().load(claim_body(newsroom))
    claims.run(session, command, "setup")
    session.rollback()
    sign_in(client, make_user(db, "editor"))
    url = f"/claims/{command.claim_id}/corrections"
    page = form(client.get(url, query_string={"field": "said_on"}).text, url)
    response = client.post(url, data=page.with_values(
        field="said_on", new_value__precision="year", new_value__value="2100", reason="typo"))
    assert response.status_code == 422
    assert field_errors(response.text)["new_value"].endswith(SAID)
    assert claims.load_claim(session, command.claim_id).version == 2
    session.rollback()


# --- CSV and file import -----------------------------------------------------------------------------------

def run_import(app, path, *args):
    return app.test_cli_runner().invoke(args=["import", str(path), *args, "--actor", "test:importer"])


def test_csv_import_names_the_row_and_column_of_each_future_date(app, tmp_path, newsroom):
    path = tmp_path / "claims.csv"
    path.write_text("speaker,summary,cue,outlet,said on,published on\r\n"
                    f"Andrey Rudenko,Relations would be destroyed.,said,QiOSK,{next_month()},\r\n"
                    f"Andrey Rudenko,Weapons would kill Russians.,said,QiOSK,,{in_two_days()}\r\n"
                    "Andrey Rudenko,Seoul must realize.,said,QiOSK,2024-11,2024-11-27\r\n", encoding="utf-8")
    result = run_import(app, path, "--dry-run")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Error: claims.csv: 2 problems (dry run: nothing was written):"
    assert lines[1].startswith("  row 2, said on: ") and lines[1].endswith(SAID)
    assert lines[2].startswith("  row 3, published on: ") and lines[2].endswith(PUBLISHED)
    assert events_in(app) == 2


def test_file_import_names_the_record_and_field_of_each_future_date(app, tmp_path):
    data = {"format": "factlog-import/1", "namespace": "future",
            "sources": [{"key": "qiosk", "kind": "outlet", "name": "QiOSK"},
                        {"key": "rudenko", "kind": "person", "name": "Andrey Rudenko"}],
            "publications": [{"key": "digest", "source": "qiosk", "published_on": next_month()}],
            "claims": [{"key": "ties", "summary": "Relations would be destroyed.", "speaker": "rudenko",
                        "cue": "said", "said_on": "2100-05",
                        "reports": [{"chain": [{"source": "qiosk", "relation": "quoting"}]}]}]}
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Error: nothing was imported from future.json:"
    assert lines[1].startswith("  publications[0] 'digest': published_on: ") and lines[1].endswith(PUBLISHED)
    assert lines[2] == f"  claims[0] 'ties': said_on: May 2100 is in the future (today is " \
                       f"{dates.parse(dates.today().isoformat()).display()}): {SAID}"
    assert events_in(app) == 0
