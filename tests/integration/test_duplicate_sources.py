""""NYT" beside The New York Times and "Nick  Brown" beside Nick Brown are not silently new sources: the API,
the record form, CSV and file import all offer the recorded source instead, and record nothing."""
from __future__ import annotations

import json
import uuid

import pytest

from factlog import claims, eventstore, sources
from factlog.database import get_database
from factlog.sources.commands import RegisterSource
from tests.conftest import bearer
from tests.support.web import field_errors, form


@pytest.fixture
def newsroom(session):
    ids = {}
    for name, kind in (("The New York Times", "outlet"), ("Nick Brown", "person"), ("QiOSK", "outlet")):
        ids[name] = uuid.uuid4()
        sources.run(session, RegisterSource(ids[name], kind, name, confirm_new=True), "setup")
    session.rollback()
    return ids


def events_in(app) -> int:
    with get_database(app).session() as session:
        return eventstore.count_events(session)


# --- JSON API ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, name, existing, match", [
    ("outlet", "NYT", "The New York Times", "initials"),
    ("outlet", "N.Y. Times", "The New York Times", "initials"),
    ("person", "Nick  Brown", "Nick Brown", "same name"),
    ("person", "NICK BROWN", "Nick Brown", "same name"),
])
def test_the_api_answers_409_with_the_recorded_source(app, client, make_token, newsroom, kind, name, existing,
                                                     match):
    editor, before = bearer(make_token("editor", "write")), events_in(app)
    response = client.post("/api/v1/sources", json={"kind": kind, "name": name}, headers=editor)
    assert response.status_code == 409
    (candidate,) = response.get_json()["candidates"]
    assert (candidate["id"], candidate["name"], candidate["match"]) == (str(newsroom[existing]), existing, match)
    assert candidate["why"] and "confirm_new" in response.get_json()["detail"]
    assert events_in(app) == before
    confirmed = client.post("/api/v1/sources", json={"kind": kind, "name": name, "confirm_new": True},
                            headers=editor)
    assert confirmed.status_code == 201


# --- the record form ---------------------------------------------------------------------------------------

def record(editor, **values):
    page = form(editor.get("/claims/new").text, "/claims/new")
    data = {"speaker__name": "Nick Brown", "cue": "said", "summary": "The Oreshnik was the longest-range weapon.",
            "links__0__source__name": "QiOSK", "links__0__relation": "quoting", **values}
    return editor.post("/claims/new", data=page.with_values(**data))


def test_a_name_typed_with_two_spaces_is_the_recorded_speaker(editor, session, newsroom):
    response = record(editor, speaker__name="Nick  Brown")
    assert response.status_code == 303
    (claim,) = claims.load_claims(session)
    assert claim.speaker_id == newsroom["Nick Brown"]
    session.rollback()


def test_initials_typed_in_a_picker_offer_the_outlet_they_stand_for(editor, session, newsroom):
    response = record(editor, links__1__source__name="NYT", links__1__relation="citing")
    assert response.status_code == 422
    assert field_errors(response.text)["links-1-source"].startswith(
        "No source is called “NYT”, but it looks like The New York Times.")
    assert f'value="{newsroom["The New York Times"]}"' in response.text
    assert "“NYT” may be the initials of “The New York Times”" in response.text
    chosen = form(response.text, "/claims/new").with_values(links__1__source__resolve=str(
        newsroom["The New York Times"]))
    assert editor.post("/claims/new", data=chosen).status_code == 303
    (claim,) = claims.load_claims(session)
    assert claim.reports[0].links[1].source_id == newsroom["The New York Times"]
    session.rollback()


def test_a_new_outlet_called_by_its_initials_is_warned_about_before_anything_is_written(app, editor, session,
                                                                                      newsroom):
    before = events_in(app)
    response = record(editor, links__1__source__name="NYT", links__1__source__new="1",
                      links__1__source__kind="outlet", links__1__relation="citing")
    assert response.status_code == 422
    assert "looks like a source already recorded" in field_errors(response.text)["links-1-source"]
    assert "Is it one of these?" in response.text and "may be the initials of" in response.text
    assert events_in(app) == before
    confirmed = form(response.text, "/claims/new").with_values(links__1__source__resolve="new")
    assert editor.post("/claims/new", data=confirmed).status_code == 303
    assert len(sources.load_source_index(session)) == 4
    session.rollback()


# --- CSV and file import -----------------------------------------------------------------------------------

def run_import(app, path, *args):
    return app.test_cli_runner().invoke(args=["import", str(path), *args, "--actor", "test:importer"])


def test_csv_import_refuses_nyt_as_a_new_outlet_and_suggests_the_recorded_one(app, tmp_path, newsroom):
    header = "speaker,new source kind,summary,cue,outlet,new outlet kind\r\n"
    registering = tmp_path / "registering.csv"
    registering.write_text(header + "Nick  Brown,,It was the longest-range weapon.,said,NYT,outlet\r\n",
                           encoding="utf-8")
    result = run_import(app, registering, "--dry-run")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1].startswith("  row 2, outlet: 'NYT' looks like a source already recorded: The New York "
                               f"Times (outlet, {newsroom['The New York Times']}, initials)")
    assert "(confirm new source: yes)" in lines[1]
    assert len(lines) == 2  # "Nick  Brown" is the recorded Nick Brown
    naming = tmp_path / "naming.csv"
    naming.write_text(header + "Nick Brown,,It was long-range.,said,NYT,\r\n", encoding="utf-8")
    result = run_import(app, naming, "--dry-run")
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "  row 2, outlet: no recorded source is named 'NYT'; did you mean The New York Times (“NYT” may be the "
        "initials of “The New York Times”)? Write its name or an alias; otherwise give new outlet kind to "
        "register it")
    assert events_in(app) == 3


def test_file_import_refuses_a_source_that_is_a_recorded_one_spaced_differently(app, tmp_path, newsroom):
    data = {"format": "factlog-import/1", "namespace": "dupes",
            "sources": [{"key": "brown", "kind": "person", "name": "Nick  Brown"},
                        {"key": "nyt", "kind": "outlet", "name": "NYT"}]}
    path = tmp_path / "dupes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 1
    assert "sources[0] 'brown': 'Nick  Brown' looks like a source already recorded: Nick Brown (person, " \
           f"{newsroom['Nick Brown']}, the same name)" in result.output
    assert "sources[1] 'nyt': 'NYT' looks like a source already recorded: The New York Times" in result.output
    assert events_in(app) == 3


def test_file_import_finds_existing_sources_spaced_differently_and_suggests_for_initials(app, tmp_path,
                                                                                       newsroom):
    data = {"format": "factlog-import/1", "namespace": "existing",
            "sources": [{"key": "brown", "existing": "Nick  Brown"}, {"key": "nyt", "existing": "NYT"}]}
    path = tmp_path / "existing.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "  sources[1] 'nyt': existing: no recorded source is named 'NYT'; did you mean The New York Times "
        "(“NYT” may be the initials of “The New York Times”)?"]
