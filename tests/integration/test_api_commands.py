"""API writes: sources and claims through /api/v1, with every error status a client can cause."""
from __future__ import annotations

import uuid

import pytest

from factlog import eventstore
from tests.conftest import bearer

NICK_BROWN_QUOTE = ("Nick Brown, an analyst at Janes, the British-based defense intelligence firm, said it was the "
                    "longest-range weapon to ever have been used in conflict in Europe.")


@pytest.fixture
def editor(make_token):
    return bearer(make_token("editor", "write"))


def register(client, headers, kind, name=None, **extra) -> str:
    body = {"kind": kind, **({"name": name} if name else {}), **extra}
    response = client.post("/api/v1/sources", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def chain(client, editor):
    """QiOSK (Responsible Statecraft) citing The New York Times quoting Nick Brown of Janes."""
    return {
        "qiosk": register(client, editor, "outlet", "Responsible Statecraft", aliases=["QiOSK"]),
        "nyt": register(client, editor, "outlet", "The New York Times", aliases=["the Times"]),
        "janes": register(client, editor, "organization", "Janes"),
        "brown": register(client, editor, "person", "Nick Brown"),
    }


def record_body(chain, **overrides) -> dict:
    body = {
        "summary": "Russia's Oreshnik was the longest-range weapon ever used in conflict in Europe.",
        "quote": NICK_BROWN_QUOTE,
        "speaker_id": chain["brown"],
        "speaker_role": "analyst at Janes",
        "cue": "said",
        "said_on": "2024-11",
        "topics": ["ukraine", "oreshnik"],
        "report": {"links": [
            {"source_id": chain["qiosk"], "relation": "citing", "url": "https://responsiblestatecraft.org/x"},
            {"source_id": chain["nyt"], "relation": "quoting", "as_written": "the Times"},
            {"source_id": chain["brown"]},
        ]},
    }
    body.update(overrides)
    return body


def record(client, editor, chain, **overrides) -> str:
    response = client.post("/api/v1/claims", json=record_body(chain, **overrides), headers=editor)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_recording_a_claim_answers_201_with_its_location_and_version(client, editor, chain):
    response = client.post("/api/v1/claims", json=record_body(chain), headers=editor)
    assert response.status_code == 201
    body = response.get_json()
    # The claim and its first report: two events.
    assert body["version"] == 2 and not body["replayed"]
    assert response.headers["Location"].endswith(f"/api/v1/claims/{body['id']}")
    assert response.headers["ETag"] == '"2"'

    claim = client.get(response.headers["Location"], headers=editor).get_json()
    assert claim["quote"] == NICK_BROWN_QUOTE
    assert [link["source_id"] for link in claim["reports"][0]["links"]] == [chain["qiosk"], chain["nyt"],
                                                                             chain["brown"]]
    assert claim["said_on"]["precision"] == "month" and claim["status"] == "active"


def test_a_correction_keeps_the_original_wording_visible(client, editor, chain):
    claim_id = record(client, editor, chain)
    response = client.post(f"/api/v1/claims/{claim_id}/corrections", headers={**editor, "If-Match": '"2"'},
                           json={"field": "speaker_role", "new_value": "analyst at Janes (defense intelligence)",
                                 "reason": "Fuller description in the original"})
    assert response.status_code == 200, response.get_json()
    claim = client.get(f"/api/v1/claims/{claim_id}", headers=editor).get_json()
    assert claim["status"] == "corrected" and claim["version"] == 3
    assert claim["original"]["speaker_role"] == "analyst at Janes"
    assert claim["corrections"][0]["old_value"] == "analyst at Janes"
    history = client.get(f"/api/v1/claims/{claim_id}/events", headers=editor).get_json()
    assert [event["type"] for event in history] == ["ClaimRecorded", "ClaimReported", "ClaimCorrected"]


def test_a_stale_version_is_409_with_the_current_version(client, editor, chain):
    claim_id = record(client, editor, chain)
    first = client.post(f"/api/v1/claims/{claim_id}/retraction", json={"reason": "wrong outlet"},
                        headers={**editor, "If-Match": '"2"'})
    assert first.status_code == 200
    stale = client.post(f"/api/v1/claims/{claim_id}/corrections", headers={**editor, "If-Match": '"2"'},
                        json={"field": "summary", "new_value": "x", "reason": "y"})
    assert stale.status_code == 409
    assert stale.get_json()["current_version"] == 3
    assert "is at version 3, not the expected version 2" in stale.get_json()["detail"]


def test_correcting_a_retracted_claim_is_refused_with_the_rule(client, editor, chain):
    claim_id = record(client, editor, chain)
    client.post(f"/api/v1/claims/{claim_id}/retraction", json={"reason": "wrong", "expected_version": 2},
                headers=editor)
    response = client.post(f"/api/v1/claims/{claim_id}/corrections", headers={**editor, "If-Match": "3"},
                           json={"field": "summary", "new_value": "x", "reason": "y"})
    assert response.status_code == 422
    assert "retracted" in response.get_json()["detail"]


def test_verdicts_need_a_fact_checkers_write_token(client, editor, chain, make_token):
    claim_id = record(client, editor, chain)
    verdict = {"rating": "mostly-true", "explanation": "Janes confirms the range.", "expected_version": 2}
    assert client.post(f"/api/v1/claims/{claim_id}/verdicts", json=verdict, headers=editor).status_code == 403
    read_only = bearer(make_token("fact_checker", "read"))
    response = client.post(f"/api/v1/claims/{claim_id}/verdicts", json=verdict, headers=read_only)
    assert response.status_code == 403 and "read scope" in response.get_json()["detail"]
    checker = bearer(make_token("fact_checker", "write"))
    response = client.post(f"/api/v1/claims/{claim_id}/verdicts", json=verdict, headers=checker)
    assert response.status_code == 200, response.get_json()
    claim = client.get(f"/api/v1/claims/{claim_id}", headers=checker).get_json()
    assert claim["verdicts"][-1]["rating"] == "mostly-true"


def test_a_rating_outside_the_scale_is_422(client, editor, chain, make_token):
    claim_id = record(client, editor, chain)
    response = client.post(f"/api/v1/claims/{claim_id}/verdicts", headers=bearer(make_token("fact_checker", "write")),
                           json={"rating": "sort-of", "explanation": "x", "expected_version": 2})
    assert response.status_code == 422
    assert "sort-of" in response.get_json()["detail"]


def test_linking_claims_records_a_denial_and_refuses_an_unknown_target(client, editor, chain):
    reported = record(client, editor, chain)
    denial = record(client, editor, chain, summary="Moscow and Pyongyang denied the transfer.", quote=None,
                    cue="denied")
    response = client.post(f"/api/v1/claims/{denial}/links", headers={**editor, "If-Match": '"2"'},
                           json={"relation": "denies", "target_claim_id": reported})
    assert response.status_code == 200, response.get_json()
    response = client.post(f"/api/v1/claims/{denial}/links", headers={**editor, "If-Match": '"3"'},
                           json={"relation": "denies", "target_claim_id": str(uuid.uuid4())})
    assert response.status_code == 422


def test_a_likely_duplicate_source_is_409_with_the_candidates_unless_confirmed(client, editor):
    zelenskyy = register(client, editor, "person", "Volodymyr Zelenskyy")
    response = client.post("/api/v1/sources", json={"kind": "person", "name": "Volodomir Zelenskyy"}, headers=editor)
    assert response.status_code == 409
    candidates = response.get_json()["candidates"]
    assert candidates[0]["id"] == zelenskyy and candidates[0]["name"] == "Volodymyr Zelenskyy"
    confirmed = client.post("/api/v1/sources", headers=editor,
                            json={"kind": "person", "name": "Volodomir Zelenskyy", "confirm_new": True})
    assert confirmed.status_code == 201


def test_an_alias_resolves_the_misspelling_to_the_same_person(client, editor):
    zelenskyy = register(client, editor, "person", "Volodymyr Zelenskyy")
    response = client.post(f"/api/v1/sources/{zelenskyy}/aliases", headers={**editor, "If-Match": '"1"'},
                           json={"alias": "Volodomir Zelenskyy"})
    assert response.status_code == 200, response.get_json()
    source = client.get(f"/api/v1/sources/{zelenskyy}", headers=editor).get_json()
    assert source["aliases"] == ["Volodomir Zelenskyy"] and source["version"] == 2


@pytest.mark.parametrize("change, field", [
    ({"summary": ""}, "summary"),
    ({"quote": "x" * 2001}, "quote"),
    ({"said_on": "2024-13"}, "said_on"),
    ({"cue": "whispered"}, "cue"),
    ({"speaker_id": "not-a-uuid"}, "speaker_id"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_claim_fields_are_422_with_a_message_for_each(client, editor, chain, change, field):
    response = client.post("/api/v1/claims", json=record_body(chain, **change), headers=editor)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_an_unknown_speaker_is_422_naming_the_field(client, editor, chain):
    response = client.post("/api/v1/claims", json=record_body(chain, speaker_id=str(uuid.uuid4())), headers=editor)
    assert response.status_code == 422
    assert "speaker_id" in response.get_json()["errors"]["json"]


def test_malformed_json_is_400_and_a_body_over_the_limit_is_413(app, client, editor):
    response = client.post("/api/v1/sources", data="{not json", headers={**editor, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    big = '{"kind": "person", "name": "' + "x" * app.config["MAX_CONTENT_LENGTH"] + '"}'
    response = client.post("/api/v1/sources", data=big, headers={**editor, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["status"] == 413


def test_commands_on_a_claim_that_does_not_exist_are_404(client, editor):
    response = client.post(f"/api/v1/claims/{uuid.uuid4()}/retraction", json={"reason": "x", "expected_version": 1},
                           headers=editor)
    assert response.status_code == 404


def test_a_read_token_cannot_write(client, make_token):
    response = client.post("/api/v1/sources", json={"kind": "person", "name": "A"},
                           headers=bearer(make_token("editor", "read")))
    assert response.status_code == 403


def test_a_retry_with_the_same_key_and_body_gets_the_original_response(client, editor, chain, session):
    headers = {**editor, "Idempotency-Key": "claim-456"}
    body = record_body(chain, claim_id=str(uuid.uuid4()))
    first = client.post("/api/v1/claims", json=body, headers=headers)
    before = eventstore.count_events(session)
    session.rollback()  # end the read: on SQLite an open transaction holds the write lock
    again = client.post("/api/v1/claims", json=body, headers=headers)
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert eventstore.count_events(session) == before
    session.rollback()
    other = client.post("/api/v1/claims", json={**body, "summary": "something else"}, headers=headers)
    assert other.status_code == 422
    assert "already used for a different request" in other.get_json()["detail"]
