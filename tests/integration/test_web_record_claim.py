"""Recording a claim through the web form: the API's schema, errors beside fields, nothing typed lost."""
from __future__ import annotations

import uuid

import pytest

from factlog import claims, sources
from factlog.sources.commands import RegisterSource
from tests.support.web import field_errors, form, make_user, sign_in

QUOTE = ("“It was the longest-range weapon to ever have been used in conflict in Europe,” — "
         "<script>alert(1)</script>")


@pytest.fixture
def newsroom(session):
    """Outlets and a speaker already recorded, as an editor would find them."""
    ids = {}
    recorded = (("Responsible Statecraft", "outlet", ("QiOSK",)), ("Nick Brown", "person", ()),
                ("The New York Times", "outlet", ("the Times",)))
    for name, kind, aliases in recorded:
        ids[name] = uuid.uuid4()
        command = RegisterSource(ids[name], kind, name, aliases=aliases, confirm_new=True)
        sources.run(session, command, "setup")
    session.rollback()
    return ids


def record_form(client):
    return form(client.get("/claims/new").text, "/claims/new")


# The record form as an editor fills it in; "__" stands for "-" in field names (links-0-url).
FILLED = {
    "speaker__name": "Nick Brown", "speaker_role": "an analyst at Janes", "cue": "said",
    "summary": "The Oreshnik was the longest-range weapon ever used in conflict in Europe.", "quote": QUOTE,
    "said_on__precision": "month", "said_on__value": "2024-11",
    "links__0__source__name": "QiOSK", "links__0__relation": "quoting",
    "links__0__url": "https://responsiblestatecraft.org/diplomacy-watch",
    "links__0__headline": "Diplomacy Watch",
    "links__0__published_on__precision": "day", "links__0__published_on__value": "2024-11-27",
    "links__1__source__name": "the Times", "links__1__relation": "citing", "topics": "russia, weapons",
}


def filled(client, **overrides) -> dict:
    return record_form(client).with_values(**{**FILLED, **overrides})


def test_an_editor_records_a_claim_with_a_two_link_chain(editor, session, newsroom):
    response = editor.post("/claims/new", data=filled(editor))
    assert response.status_code == 303
    claim_id = uuid.UUID(response.headers["Location"].rsplit("/", 1)[1])
    claim = claims.load_claim(session, claim_id)
    assert claim.quote == QUOTE  # verbatim: typographic quotes, dash and trailing comma kept
    assert str(claim.said_on) == "November 2024"
    assert [link.source_id for link in claim.reports[0].links] == [
        newsroom["Responsible Statecraft"], newsroom["The New York Times"]]
    assert claim.topics == ("russia", "weapons") and claim.speaker_role == "an analyst at Janes"
    session.rollback()  # SQLite: a test's open read transaction would hold the write lock
    page = editor.get(response.headers["Location"])  # before any projection ran: from the claim's stream
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert(1)" not in page.text
    assert "Outlet statistics are being updated" in page.text
    assert "Responsible Statecraft" in page.text and "<svg" in page.text


def test_a_field_error_is_shown_beside_the_field_and_everything_typed_comes_back(editor, newsroom):
    response = editor.post("/claims/new", data=filled(
        editor, summary="", said_on__value="2024-11-27", links__1__url="javascript:alert(1)"))
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert errors["summary"] == "Required."
    assert "has precision day, not month" in errors["said_on"]
    assert errors["links-1-url"] == "Not a valid http or https URL."
    again = form(response.text, "/claims/new")
    assert again.fields["quote"] == QUOTE
    assert again.fields["links-0-headline"] == "Diplomacy Watch"
    assert again.fields["links-1-source-name"] == "the Times"
    assert again.fields["said_on-precision"] == "month"
    fixed = editor.post("/claims/new", data=again.with_values(
        summary="The Oreshnik was long-range.", said_on__value="2024-11", links__1__url=""))
    assert fixed.status_code == 303


def test_sending_the_form_twice_records_the_claim_once(editor, session, newsroom):
    data = filled(editor)
    first, second = editor.post("/claims/new", data=data), editor.post("/claims/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(claims.load_claims(session)) == 1
    session.rollback()


def test_an_unknown_name_asks_for_a_choice_or_a_new_source(editor, newsroom):
    response = editor.post("/claims/new", data=filled(editor, speaker__name="Nick"))
    assert response.status_code == 422
    assert "No source is called “Nick” yet" in field_errors(response.text)["speaker"]
    assert f'value="{newsroom["Nick Brown"]}"' in response.text  # offered as a choice
    chosen = form(response.text, "/claims/new").with_values(speaker__resolve=str(newsroom["Nick Brown"]))
    assert editor.post("/claims/new", data=chosen).status_code == 303


def test_a_new_speaker_is_registered_with_the_claim(editor, session, newsroom):
    response = editor.post("/claims/new", data=filled(editor, speaker__name="Jeffrey Lewis", speaker__new="1",
                                                      speaker__kind="person"))
    assert response.status_code == 303
    claim = claims.load_claims(session)[0]
    assert sources.load_source(session, claim.speaker_id).name == "Jeffrey Lewis"
    session.rollback()


def test_a_likely_duplicate_is_shown_before_anything_is_created(editor, session, newsroom):
    response = editor.post("/claims/new", data=filled(editor, speaker__name="Nik Brown", speaker__new="1",
                                                      speaker__kind="person"))
    assert response.status_code == 422
    assert "looks like a source already recorded" in field_errors(response.text)["speaker"]
    assert "Is it one of these?" in response.text and "Nick Brown" in response.text
    assert claims.load_claims(session) == [] and len(sources.load_source_index(session)) == 3
    session.rollback()
    confirmed = form(response.text, "/claims/new").with_values(speaker__resolve="new")
    assert editor.post("/claims/new", data=confirmed).status_code == 303
    assert len(sources.load_source_index(session)) == 4
    session.rollback()


def test_the_chain_grows_and_shrinks_without_javascript(editor, newsroom):
    page = editor.post("/claims/new", data=filled(editor, action="add_link"))
    assert page.status_code == 200 and 'id="links-2"' in page.text
    assert form(page.text, "/claims/new").fields["links-0-source-name"] == "QiOSK"
    page = editor.post("/claims/new", data=form(page.text, "/claims/new").with_values(action="remove_link-0"))
    assert 'id="links-0"' not in page.text and 'id="links-1"' in page.text


def test_names_typed_by_editors_are_escaped_everywhere(editor, session, newsroom):
    response = editor.post("/claims/new", data=filled(editor, speaker__name="<script>alert('x')</script>",
                                                      speaker__new="1", speaker__kind="person",
                                                      links__0__headline="<img src=x onerror=alert(1)>"))
    assert response.status_code == 303
    page = editor.get(response.headers["Location"]).text
    assert "<script>alert('x')" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_a_fact_checker_may_record_and_a_signed_out_visitor_may_not(client, db, newsroom):
    assert client.get("/claims/new").status_code == 302
    sign_in(client, make_user(db, "fact_checker"))
    assert client.get("/claims/new").status_code == 200
