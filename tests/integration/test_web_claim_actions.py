"""From a claim's page: add a report, correct, retract, link, issue a verdict; stale forms never overwrite."""
from __future__ import annotations

import uuid

import pytest

from factlog import claims
from tests.support.newsroom import Newsroom
from tests.support.web import field_errors, form, make_user, project, sign_in


@pytest.fixture
def newsroom(session):
    room = Newsroom(session)
    for name in ("Responsible Statecraft", "The New York Times", "Reuters"):
        room.source(name)
    room.person("Nick Brown")
    room.oreshnik = room.claim("The Oreshnik was the longest-range weapon used in Europe.", "Nick Brown",
                               room.chain(("Responsible Statecraft", "quoting", "2024-11-27"),
                                          ("The New York Times", "citing")),
                               said_on="2024-11", quote="longest-range weapon", topics=["russia"])
    room.plant = room.claim("North Korea is expanding a missile plant.", "Reuters",
                            room.chain(("Responsible Statecraft", "citing"), ("Reuters",)))
    session.rollback()
    return room


@pytest.fixture
def checker(client, db):
    sign_in(client, make_user(db, "fact_checker"))
    return client


def claim_page(client, claim_id):
    return client.get(f"/claims/{claim_id}").text


def state(session, claim_id):
    claim = claims.load_claim(session, claim_id)
    session.rollback()
    return claim


def test_an_editor_adds_a_report_from_the_claim_page(editor, session, newsroom):
    report = form(claim_page(editor, newsroom.oreshnik), "/reports")
    response = editor.post(report.action, data=report.with_values(
        links__0__source__name="Reuters", links__0__relation="citing",
        links__0__url="https://reuters.example/x"))
    assert response.status_code == 303, field_errors(response.text)
    assert len(state(session, newsroom.oreshnik).reports) == 2


def test_a_correction_keeps_the_old_value_and_the_reason_in_the_history(editor, session, newsroom):
    page = editor.get(f"/claims/{newsroom.oreshnik}/corrections?field=said_on")
    correction = form(page.text, "/corrections")
    fields = correction.fields
    assert (fields["new_value-precision"], fields["new_value-value"]) == ("month", "2024-11")
    response = editor.post(correction.action, data=correction.with_values(
        new_value__precision="day", new_value__value="2024-11-21", reason="The briefing was on the 21st"))
    assert response.status_code == 303
    assert str(state(session, newsroom.oreshnik).said_on) == "21 November 2024"
    history = claim_page(editor, newsroom.oreshnik)
    assert "The briefing was on the 21st" in history
    assert "<del>November 2024</del>" in history and "<ins>21 November 2024</ins>" in history


def test_a_correction_needs_a_reason_and_keeps_what_was_typed(editor, newsroom):
    correction = form(editor.get(f"/claims/{newsroom.oreshnik}/corrections?field=quote").text, "/corrections")
    typed = correction.with_values(new_value="longest-range weapon ever")
    response = editor.post(correction.action, data=typed)
    assert response.status_code == 422
    assert field_errors(response.text)["reason"] == "Required."
    assert form(response.text, "/corrections").fields["new_value"] == "longest-range weapon ever"
    assert editor.get(f"/claims/{newsroom.oreshnik}/corrections?field=version").status_code == 404


def test_a_retracted_claim_is_marked_and_offers_no_more_changes(editor, session, newsroom):
    retract = form(claim_page(editor, newsroom.plant), "/retraction")
    response = editor.post(retract.action, data=retract.with_values(reason="Wrong plant named"))
    assert response.status_code == 303
    page = claim_page(editor, newsroom.plant)
    assert "badge-retracted" in page and "Wrong plant named" in page
    assert "/retraction" not in page and "A retracted claim cannot be changed" in page


def test_linking_to_another_claim_by_its_address(editor, session, newsroom):
    link = form(claim_page(editor, newsroom.plant), "/links")
    address = f"http://localhost/claims/{newsroom.oreshnik}"
    response = editor.post(link.action, data=link.with_values(relation="contradicts", target=address))
    assert response.status_code == 303
    assert state(session, newsroom.plant).links[0].target_claim_id == newsroom.oreshnik
    refused = editor.post(link.action, data=link.with_values(relation="supports", target="no claim here"))
    assert refused.status_code == 422 and "Paste the other claim" in field_errors(refused.text)["target"]


def test_a_fact_checker_issues_a_verdict(checker, session, newsroom):
    verdict = form(claim_page(checker, newsroom.oreshnik), "/verdicts")
    response = checker.post(verdict.action, data=verdict.with_values(
        rating="mostly-true", explanation="Janes confirms the range.",
        evidence__0__url="https://janes.example/a"))
    assert response.status_code == 303
    [given] = state(session, newsroom.oreshnik).verdicts
    assert (given.rating, given.evidence[0].url) == ("mostly-true", "https://janes.example/a")
    assert "Mostly true" in claim_page(checker, newsroom.oreshnik)


def test_an_editor_cannot_issue_a_verdict(editor, session, newsroom):
    page = claim_page(editor, newsroom.oreshnik)
    assert "/verdicts" not in page
    report = form(page, "/reports")  # any form of the page, for its CSRF token and version
    response = editor.post(f"/claims/{newsroom.oreshnik}/verdicts", data={
        "csrf_token": report.fields["csrf_token"], "expected_version": "2", "rating": "false",
        "explanation": "x"})
    assert response.status_code == 403 and "Only fact-checkers" in response.text
    assert state(session, newsroom.oreshnik).verdicts == ()


def test_a_stale_form_says_what_changed_instead_of_overwriting(checker, session, newsroom):
    verdict = form(claim_page(checker, newsroom.oreshnik), "/verdicts")
    newsroom.correct(newsroom.oreshnik, "summary", "The Oreshnik had the longest range of any weapon used.",
                     reason="Closer to the source")
    session.rollback()
    response = checker.post(verdict.action, data=verdict.with_values(rating="false", explanation="Not so."))
    assert response.status_code == 409
    assert "Someone changed this claim after you opened the form" in response.text
    assert "Closer to the source" in response.text  # the change, listed
    again = form(response.text, "/verdicts")
    assert again.fields["explanation"] == "Not so." and again.fields["expected_version"] == "3"
    assert state(session, newsroom.oreshnik).verdicts == ()
    assert checker.post(again.action, data=again.fields).status_code == 303


def test_action_forms_on_a_claim_that_does_not_exist_are_not_found(editor, newsroom):
    token = form(claim_page(editor, newsroom.oreshnik), "/retraction").fields["csrf_token"]
    missing = uuid.uuid4()
    assert editor.get(f"/claims/{missing}").status_code == 404
    assert editor.post(f"/claims/{missing}/retraction", data={"csrf_token": token, "reason": "x",
                                                              "expected_version": "1"}).status_code == 404


def test_the_claim_page_shows_attribution_once_projected(editor, db, session, newsroom):
    project(db, session)
    page = claim_page(editor, newsroom.oreshnik)
    assert "Single source." in page and "First:" in page
    assert "Outlet statistics are being updated" not in page


def test_correcting_the_speaker_picks_an_existing_source(editor, session, newsroom):
    correction = form(editor.get(f"/claims/{newsroom.oreshnik}/corrections?field=speaker_id").text, "/corrections")
    assert correction.fields["new_value-name"] == "Nick Brown"
    unknown = editor.post(correction.action, data=correction.with_values(
        new_value__name="Nobody Known", new_value__id="", reason="Misattributed"))
    assert unknown.status_code == 422 and "No source is called" in field_errors(unknown.text)["new_value"]
    response = editor.post(correction.action, data=correction.with_values(
        new_value__name="Reuters", new_value__id="", reason="Misattributed"))
    assert response.status_code == 303, field_errors(response.text)
    assert state(session, newsroom.oreshnik).speaker_id == newsroom.ids["Reuters"]
    assert "<del>Nick Brown</del>" in claim_page(editor, newsroom.oreshnik)
