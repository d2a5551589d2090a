"""CSV import on SQLite and PostgreSQL, from the CLI, the API and the web page: a dry run writes nothing, a
real run writes everything or nothing, and a second run records nothing new."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from factlog import eventstore
from factlog.database import get_database
from factlog.readmodels import queries
from tests.conftest import bearer
from tests.support.web import form, forms, make_user, project, sign_in

SAMPLE = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "claims.csv"
SAMPLE_SUMMARY = "8 rows: recorded 9 sources, 8 claims; 0 already present"
HEADER = "speaker,new source kind,summary,cue,outlet,new outlet kind,outlet relation,said on,published on\r\n"
GOOD = "Andrey Rudenko,person,Relations would be destroyed.,said,QiOSK,outlet,quoting,,\r\n"
BAD_DATE = "Andrey Rudenko,person,Weapons would kill Russians.,said,QiOSK,outlet,quoting,last week,\r\n"
# Registering "Andrei Rudenko" as well: a likely duplicate, which only the domain's rule finds (on apply).
LIKELY_DUPLICATE = "Andrei Rudenko,person,Another claim.,said,QiOSK,outlet,quoting,,\r\n"


def events_in(app) -> int:
    with get_database(app).session() as session:
        return eventstore.count_events(session)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["import", *map(str, args), "--actor", "test:importer"])


def write(tmp_path, text: str, name="claims.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# --- CLI ---------------------------------------------------------------------------------------------------

def test_the_sample_imports_from_the_cli_once_and_a_second_run_records_nothing(app):
    dry = run(app, SAMPLE, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output == ("dry run of claims.csv: no problems; 8 rows: would record 9 sources, 8 claims; "
                          "0 already present (nothing was written)\n")
    assert events_in(app) == 0
    first = run(app, SAMPLE)
    assert first.exit_code == 0, first.output
    assert first.output == f"imported claims.csv: {SAMPLE_SUMMARY}\n"
    count = events_in(app)
    again = run(app, SAMPLE)
    assert again.exit_code == 0 and "recorded 0 sources, 0 claims" in again.output
    assert events_in(app) == count


def test_the_imported_sample_appears_in_the_timeline_read_models(app, db, session):
    assert run(app, SAMPLE).exit_code == 0
    project(db, session)
    page = queries.timeline(session, "all", limit=50)
    session.rollback()
    summaries = {entry["summary"] for entry in page.entries}
    assert len(summaries) == 8 and any(summary.startswith("The Oreshnik was the longest-range") for
                                       summary in summaries)
    [hit] = queries.search(session, "longest-range weapon Europe", kind="claim")
    view = queries.claim_attribution(session, hit["id"])
    session.rollback()
    [report] = view["reports"]
    assert [(link["name"], link["relation"], link["as_written"]) for link in report["chain"]] == [
        ("QiOSK", "quoting", None), ("The New York Times", "citing", "the Times"), ("Nick Brown", None, None)]
    assert report["chain"][0]["published_on"]["display"] == "27 November 2024 – 1 December 2024"


def test_a_dry_run_with_problems_lists_every_row_exits_1_and_writes_nothing(app, tmp_path):
    path = write(tmp_path, HEADER + GOOD + BAD_DATE + "Nobody,,,sayed,QiOSK,,,,\r\n")
    result = run(app, path, "--dry-run")
    assert result.exit_code == 1
    assert result.output == (
        "Error: claims.csv: 4 problems (dry run: nothing was written):\n"
        "  row 3, happened on: 'last week' counts from the day it was published: give the published on date\n"
        .replace("happened on", "said on") +
        "  row 4, speaker: no recorded source is named 'Nobody': give new source kind to register it\n"
        "  row 4, summary: Required.\n"
        "  row 4, cue: Must be one of: said, told, reported, claimed, stated, denied, estimated, warned, "
        "found, confirmed, questioned, could_not_confirm, did_not_comment.\n")
    assert events_in(app) == 0


def test_a_rule_broken_by_one_row_records_none_of_the_rows(app, tmp_path):
    path = write(tmp_path, HEADER + GOOD + LIKELY_DUPLICATE)
    result = run(app, path)
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: nothing was imported from claims.csv: 1 problem:\n"
        "  row 3, speaker: 'Andrei Rudenko' looks like a source already recorded: Andrey Rudenko (person")
    assert "(confirm new source: yes)" in result.output
    assert events_in(app) == 0
    confirmed = write(tmp_path, HEADER.replace("\r\n", ",confirm new source\r\n")
                      + GOOD.replace("\r\n", ",\r\n") + LIKELY_DUPLICATE.replace("\r\n", ",yes\r\n"))
    assert run(app, confirmed).exit_code == 0
    assert events_in(app) == 7  # 3 sources; 2 claims, each recorded and reported


def test_dry_run_is_for_csv_and_a_namespace_must_be_a_key(app, tmp_path):
    yaml_file = tmp_path / "file.yaml"
    yaml_file.write_text("format: factlog-import/1\n", encoding="utf-8")
    assert "--dry-run checks a CSV file" in run(app, yaml_file, "--dry-run").output
    result = run(app, write(tmp_path, HEADER + GOOD), "--namespace", "Not OK")
    assert result.exit_code == 2 and "lowercase letters" in result.output


def test_csv_is_read_from_standard_input_with_the_flag(app):
    result = app.test_cli_runner().invoke(args=["import", "--csv", "-", "--actor", "test:importer"],
                                          input=(HEADER + GOOD).encode())
    assert result.exit_code == 0, result.output
    assert result.output == ("imported standard input: 1 rows: recorded 2 sources, 1 claims; "
                             "0 already present\n")


# --- API ---------------------------------------------------------------------------------------------------

def post_csv(client, token, body: bytes, query: str = "", content_type="text/csv; charset=utf-8"):
    return client.post(f"/api/v1/imports/claims{query}", data=body, headers={**bearer(token),
                                                                            "Content-Type": content_type})


def test_the_api_dry_run_writes_nothing_then_the_import_records_once(app, client, make_token):
    token = make_token("editor", "write")
    sample = SAMPLE.read_bytes()
    dry = post_csv(client, token, sample, "?dry_run=true")
    assert dry.status_code == 200, dry.json
    assert dry.json == {"dry_run": True, "rows": 8, "recorded": {"sources": 9, "claims": 8, "reports": 0,
                                                                 "links": 0},
                        "already_present": 0, "problems": []}
    assert events_in(app) == 0
    created = post_csv(client, token, sample)
    assert created.status_code == 201 and created.json["recorded"]["claims"] == 8
    count = events_in(app)
    again = post_csv(client, token, sample)
    assert again.status_code == 200 and again.json["recorded"]["claims"] == 0
    assert again.json["already_present"] == 10 and events_in(app) == count


def test_the_api_answers_422_problem_details_listing_every_row(app, client, make_token):
    response = post_csv(client, make_token("editor", "write"), (HEADER + GOOD + BAD_DATE).encode())
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["detail"] == "1 problem in the file; nothing was imported"
    assert response.json["problems"] == [{"row": 3, "column": "said on", "message": "'last week' counts from "
                                          "the day it was published: give the published on date"}]
    message = response.json["problems"][0]["message"]
    assert response.json["errors"] == {"csv": {"row 3": {"said on": [message]}}}
    assert events_in(app) == 0


def test_the_api_needs_write_scope_csv_and_a_body_within_the_limit(app, client, make_token):
    body = (HEADER + GOOD).encode()
    assert post_csv(client, make_token("editor", "read"), body).status_code == 403
    anonymous = client.post("/api/v1/imports/claims", data=body, headers={"Content-Type": "text/csv"})
    assert anonymous.status_code == 401
    token = make_token("editor", "write")
    wrong = post_csv(client, token, body, content_type="text/plain")
    assert wrong.status_code == 415 and wrong.mimetype == "application/problem+json"
    assert post_csv(client, token, body, "?dry_run=maybe").status_code == 422
    app.config["MAX_CONTENT_LENGTH"] = len(body)
    too_big = post_csv(client, token, body + GOOD.encode())
    assert too_big.status_code == 413 and too_big.mimetype == "application/problem+json"
    assert events_in(app) == 0


def test_the_import_endpoint_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/imports/claims"]["post"]
    assert "text/csv" in operation["requestBody"]["content"]
    assert {"201", "200", "413", "415", "422"} <= set(operation["responses"])
    assert {parameter["name"] for parameter in operation["parameters"]} == {"dry_run", "namespace"}


# --- web page ----------------------------------------------------------------------------------------------

def upload(client, body: bytes, name="claims.csv"):
    page = form(client.get("/imports/csv").text, "/imports/csv")
    return client.post("/imports/csv", data={**page.fields, "file": (BytesIO(body), name)},
                       content_type="multipart/form-data")


def test_the_page_checks_first_shows_no_problems_and_imports_on_confirm(app, editor):
    checked = upload(editor, SAMPLE.read_bytes())
    assert checked.status_code == 200
    assert "claims.csv is ready to import" in checked.text
    assert "would record 9 sources, 8 claims" in checked.text
    assert events_in(app) == 0
    [confirm] = [found for found in forms(checked.text) if found.fields.get("action") == "import"]
    done = editor.post("/imports/csv", data=confirm.fields)
    assert done.status_code == 303 and events_in(app) == 25
    assert "recorded 9 sources, 8 claims" in editor.get(done.headers["Location"]).text
    again = editor.post("/imports/csv", data=confirm.fields, follow_redirects=True)
    assert "recorded 0 sources, 0 claims; 10 already present" in again.text and events_in(app) == 25


def test_the_page_shows_every_row_problem_in_a_table_and_writes_nothing(app, editor):
    response = upload(editor, (HEADER + GOOD + BAD_DATE + LIKELY_DUPLICATE).encode())
    assert response.status_code == 422
    assert "2 problems in claims.csv: nothing was imported" in response.text
    assert "<td>3</td><td>said on</td>" in response.text and "<td>4</td><td>speaker</td>" in response.text
    assert 'name="action" value="import"' not in response.text  # no confirm button
    assert events_in(app) == 0


def test_the_page_needs_a_signed_in_user_and_its_posts_the_csrf_token(app, client, db):
    assert client.get("/imports/csv").headers["Location"].startswith("/login")
    sign_in(client, make_user(db, "editor"))
    assert 'href="/imports/csv"' in client.get("/imports/csv").text  # the nav link
    forged = client.post("/imports/csv", data={"action": "check", "file": (BytesIO(SAMPLE.read_bytes()),
                                                                           "claims.csv")},
                         content_type="multipart/form-data")
    assert forged.status_code == 400 and events_in(app) == 0
    assert upload(client, b"", name="").status_code == 422
