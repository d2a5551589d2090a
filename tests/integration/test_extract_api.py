"""POST /api/v1/extract: an article's proposed claims, matched against the recorded sources; nothing recorded.

On SQLite and PostgreSQL. Bad input (empty, binary, too large, a date ahead, a URL that is not one) gets a
4xx whose message names the field.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from factlog import eventstore, sources
from factlog.claims.article_schema import TEXT_MAX_LENGTH
from factlog.importer import import_file
from tests.conftest import bearer

DEMO = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "seed-digest.yaml"
SEED_TEXT = (Path(__file__).resolve().parents[1] / "fixtures" / "qiosk-diplomacy-watch.txt").read_text("utf-8")
RUDENKO = ("“Seoul must realize that the possible use of South Korean weapons to kill Russian citizens will fully "
           "destroy relations between our countries,”")
SHORT = f"For its part, Moscow has responded harshly. {RUDENKO} said Russian Deputy Foreign Minister Andrey Rudenko."


@pytest.fixture
def writer(make_token):
    return bearer(make_token("editor", "write"))


@pytest.fixture
def seeded(session):
    """The seed digest's sources and claims, as a newsroom that recorded it would have them."""
    import_file(session, DEMO, "test:importer")
    session.commit()
    index = sources.load_source_index(session)
    session.rollback()
    return {name: str(index.named(name)[0].source_id) for name in (
        "QiOSK", "Andrey Rudenko", "The New York Times", "Nick Brown", "Gallup")}


def events_in(db) -> int:
    with db.session() as session:
        return eventstore.count_events(session)


def proposals(client, headers, **body) -> list[dict]:
    response = client.post("/api/v1/extract", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["proposals"]


def field_error(response, status: int, field: str) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    return " ".join(response.get_json()["errors"]["json"][field])


def test_the_seed_digest_yields_its_attributions_matched_to_the_recorded_sources(client, db, writer, seeded):
    before = events_in(db)
    found = proposals(client, writer, text=SEED_TEXT, outlet="QiOSK", published_on="2024-11-27",
                      url="https://responsiblestatecraft.org/diplomacy-watch-south-korea")
    assert len(found) >= 10
    by_speaker = {}
    for proposal in found:
        by_speaker.setdefault((proposal["speaker"]["match"] or {}).get("source_id"), []).append(proposal)
    [rudenko] = by_speaker[seeded["Andrey Rudenko"]]
    assert "Seoul must realize" in rudenko["quote"]
    start, end = rudenko["quote_span"]
    assert SEED_TEXT[start:end] == rudenko["quote"]  # verbatim, at its place in the text
    assert rudenko["cue"] == "said" and "Deputy Foreign Minister" in rudenko["speaker"]["role"]
    assert rudenko["chain"][0]["match"]["source_id"] == seeded["QiOSK"]
    [brown] = by_speaker[seeded["Nick Brown"]]
    assert [link["match"]["source_id"] for link in brown["chain"]] == [seeded["QiOSK"], seeded["The New York Times"]]
    assert "Janes" in brown["speaker"]["role"]
    assert any(proposal["speaker"]["kind"] == "poll" and "Gallup" in proposal["speaker"]["name"] for proposal in found)
    assert len({proposal["proposal_id"] for proposal in found}) == len(found)
    assert events_in(db) == before  # proposing records nothing


def test_the_same_text_gets_the_same_proposals(client, writer):
    first = proposals(client, writer, text=SHORT, outlet="QiOSK")
    assert first and proposals(client, writer, text=SHORT, outlet="QiOSK") == first


def test_the_outlet_may_be_a_recorded_sources_id(client, writer, seeded):
    [proposal] = [p for p in proposals(client, writer, text=SHORT, outlet=seeded["QiOSK"])
                  if "Rudenko" in p["speaker"]["name"]]
    assert proposal["chain"][0]["match"]["source_id"] == seeded["QiOSK"]


def test_an_article_with_no_attribution_has_no_proposals(client, writer):
    assert proposals(client, writer, text="The weather was mild. Markets were closed for the holiday.") == []


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"text": ""}, "text", "this is empty"),
    ({"text": " \n\t "}, "text", "this is empty"),
    ({}, "text", "Missing data"),
    ({"text": "\x01\x02\x03\x04" * 10 + "abc"}, "text", "binary data"),
    ({"text": "x" * (TEXT_MAX_LENGTH + 1)}, "text", f"at most {TEXT_MAX_LENGTH:,} characters"),
    ({"text": SHORT, "published_on": "2999-01-01"}, "published_on", "is in the future"),
    ({"text": SHORT, "published_on": "27/11/2024"}, "published_on", "2024-11-27"),
    ({"text": SHORT, "url": "responsiblestatecraft.org/x"}, "url", "Not a valid http or https URL"),
    ({"text": SHORT, "url": "javascript:alert(1)"}, "url", "Not a valid http or https URL"),
    ({"text": SHORT, "outlet": str(uuid.uuid4())}, "outlet", "is recorded"),
    ({"text": SHORT, "author": "me"}, "author", "Unknown field"),
])
def test_bad_input_is_422_with_a_message_for_its_field(client, db, writer, body, field, words):
    before = events_in(db)
    assert words in field_error(client.post("/api/v1/extract", json=body, headers=writer), 422, field)
    assert events_in(db) == before


def test_nul_bytes_and_bytes_that_are_not_utf8_are_refused_as_not_text(client, writer):
    assert "U+0000" in field_error(client.post("/api/v1/extract", json={"text": "ab\x00cd"}, headers=writer),
                                   422, "text")
    response = client.post("/api/v1/extract", data=b'{"text": "caf\xe9 \xff\xfe"}', headers={
        **writer, "Content-Type": "application/json"})
    assert response.status_code == 400 and "not UTF-8" in response.get_json()["detail"]


def test_five_megabytes_of_text_is_413_saying_what_fits(client, writer):
    body = '{"text": "' + "An article. " * (5 * 1024 * 1024 // 12) + '"}'
    response = client.post("/api/v1/extract", data=body, headers={**writer, "Content-Type": "application/json"})
    assert response.status_code == 413 and response.mimetype == "application/problem+json"
    detail = response.get_json()["detail"]
    assert "1,048,576 bytes" in detail and f"{TEXT_MAX_LENGTH:,} characters" in detail


def test_a_few_stray_control_characters_become_spaces_and_offsets_still_hold(client, writer):
    text = SHORT.replace("For its part,", "For its part,\x0c")
    [proposal] = [p for p in proposals(client, writer, text=text) if "Rudenko" in p["speaker"]["name"]]
    start, end = proposal["quote_span"]
    assert text[start:end] == proposal["quote"]


def test_extracting_needs_a_write_token(client, make_token):
    assert client.post("/api/v1/extract", json={"text": SHORT}).status_code == 401
    read = client.post("/api/v1/extract", json={"text": SHORT}, headers=bearer(make_token("editor", "read")))
    assert read.status_code == 403 and read.mimetype == "application/problem+json"


def test_the_endpoint_is_documented_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/extract"]["post"]
    assert {"200", "401", "403", "413", "422"} <= set(operation["responses"])
    request_schema = spec["components"]["schemas"]["Article"]
    assert set(request_schema["properties"]) == {"text", "outlet", "url", "published_on"}
    assert request_schema["properties"]["text"]["maxLength"] == TEXT_MAX_LENGTH
    proposal = spec["components"]["schemas"]["ProposalOut"]
    assert {"proposal_id", "quote", "quote_span", "summary", "cue", "speaker", "said_on", "chain",
            "sentence_span", "confidence", "notes"} <= set(proposal["properties"])
