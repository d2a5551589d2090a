"""Claim command schemas: every bad input is refused with a message on the field at fault."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from marshmallow import ValidationError

from factlog.claims import dates
from factlog.claims.schemas import (
    MAX_CHAIN_LINKS,
    QUOTE_MAX_LENGTH,
    AddReportSchema,
    CorrectClaimSchema,
    GiveVerdictSchema,
    LinkClaimsSchema,
    RecordClaimSchema,
    RetractClaimSchema,
)

CUE_CHOICES = ("Must be one of: said, told, reported, claimed, stated, denied, estimated, warned, found, "
               "confirmed, questioned, could_not_confirm, did_not_comment.")
CHAIN_LENGTH = f"A chain has 1 to {MAX_CHAIN_LINKS} links."
SPEAKER, OUTLET, CLAIM = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())


def claim_input(**overrides):
    data = {"summary": "Seoul has declined to provide weapons.", "speaker_id": SPEAKER, "cue": "said",
            "report": {"links": [{"source_id": OUTLET, "relation": "citing"}]}}
    data.update(overrides)
    return data


def errors_of(schema, data):
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return caught.value.messages


def test_a_valid_claim_loads_into_a_command_with_unknown_dates_by_default():
    command = RecordClaimSchema().load(claim_input())
    assert command.said_on == dates.unknown() and command.happened_on == dates.unknown()
    assert command.report.links[0].published_on == dates.unknown()
    assert isinstance(command.claim_id, uuid.UUID) and command.topics == ()


def test_the_quote_is_kept_byte_for_byte():
    quote = " “the damage to the facility is quite specific — no large explosions…”\u00a0"
    assert RecordClaimSchema().load(claim_input(quote=quote)).quote == quote


def test_dates_keep_their_precision_and_the_publications_wording():
    command = RecordClaimSchema().load(claim_input(said_on={"value": "2024-10", "as_written": "in October"}))
    assert command.said_on.display() == "October 2024" and command.said_on.as_written == "in October"


@pytest.mark.parametrize("overrides, field, message", [
    ({"summary": ""}, "summary", ["May not be blank."]),
    ({"summary": "   "}, "summary", ["May not be blank."]),
    ({"summary": "x" * 1001}, "summary", ["Longer than 1000 characters."]),
    ({"quote": "x" * (QUOTE_MAX_LENGTH + 1)}, "quote",
     ["A quote is at most 2000 characters; quote the part that carries the claim."]),
    ({"quote": " "}, "quote", ["May not be blank."]),
    ({"speaker_id": "Nick Brown"}, "speaker_id", ["Not a valid UUID."]),
    ({"speaker_id": None}, "speaker_id", ["Field may not be null."]),
    ({"cue": "yelled"}, "cue", [CUE_CHOICES]),
    ({"said_on": "last week"}, "said_on",
     [f"'last week' is not a date factlog can read. {dates.FORMAT_HELP}"]),
    ({"happened_on": "2024-02-30"}, "happened_on", ["'2024-02-30' is not a real date"]),
    ({"topics": ["ukraine", "Ukraine"]}, "topics", ["Listed twice: Ukraine."]),
    ({"quote_source_id": OUTLET}, "quote_source_id",
     ["Only a claim with a quote can say whose words the quote is."]),
    ({"speaker": "x"}, "speaker", ["Unknown field."]),
])
def test_a_bad_claim_is_refused_with_the_fields_message(overrides, field, message):
    assert errors_of(RecordClaimSchema(), claim_input(**overrides))[field] == message


def test_a_claim_without_summary_speaker_cue_or_report_names_each_missing_field():
    assert errors_of(RecordClaimSchema(), {}) == {
        "summary": ["Missing data for required field."], "speaker_id": ["Missing data for required field."],
        "cue": ["Missing data for required field."], "report": ["Missing data for required field."]}


@pytest.mark.parametrize("links, message", [
    ([], {"links": [CHAIN_LENGTH]}),
    ([{"source_id": OUTLET}] * (MAX_CHAIN_LINKS + 1), {"links": [CHAIN_LENGTH]}),
    ([{"source_id": OUTLET, "url": "javascript:alert(1)"}],
     {"links": {0: {"url": ["Not a valid http or https URL."]}}}),
    ([{"source_id": OUTLET, "relation": "overheard"}],
     {"links": {0: {"relation": ["Must be one of: citing, quoting, told, republishing."]}}}),
    ([{"source_id": OUTLET, "published_on": "Nov. 25"}],
     {"links": {0: {"published_on": [f"'Nov. 25' is not a date factlog can read. {dates.FORMAT_HELP}"]}}}),
])
def test_a_bad_chain_is_refused_with_the_links_message(links, message):
    assert errors_of(RecordClaimSchema(), claim_input(report={"links": links}))["report"] == message


def test_every_change_to_a_claim_must_carry_the_version_it_was_decided_on():
    base = {"claim_id": CLAIM, "reason": "Recorded from the wrong article."}
    assert errors_of(RetractClaimSchema(), base) == {"expected_version": ["Missing data for required field."]}
    assert errors_of(RetractClaimSchema(), {**base, "expected_version": 0}) == {
        "expected_version": ["Must be the claim's version you last saw (1 or more)."]}
    assert errors_of(RetractClaimSchema(), {**base, "expected_version": "2"}) == {
        "expected_version": ["Not a valid integer."]}


def test_a_retraction_needs_a_reason():
    assert errors_of(RetractClaimSchema(), {"claim_id": CLAIM, "expected_version": 2, "reason": ""}) == {
        "reason": ["May not be blank."]}


def correction(field, new_value):
    return {"claim_id": CLAIM, "expected_version": 2, "field": field, "new_value": new_value,
            "reason": "Misread."}


def test_a_corrected_value_is_loaded_like_the_field_it_replaces():
    assert CorrectClaimSchema().load(correction("said_on", "2024-10")).new_value == dates.parse("2024-10")
    assert CorrectClaimSchema().load(correction("speaker_id", SPEAKER)).new_value == uuid.UUID(SPEAKER)
    assert CorrectClaimSchema().load(correction("topics", ["iran"])).new_value == ("iran",)
    assert CorrectClaimSchema().load(correction("speaker_role", None)).new_value is None


@pytest.mark.parametrize("field, value, message", [
    ("summary", "", {"new_value": ["May not be blank."]}),
    ("summary", None, {"new_value": ["summary cannot be removed, only corrected."]}),
    ("said_on", "2024-13", {"new_value": ["'2024-13' is not a real date"]}),
    ("cue", "shouted", {"new_value": [CUE_CHOICES]}),
    ("report", {}, {"field": ["Must be one of: summary, quote, quote_source_id, speaker_id, speaker_role, "
                              "speaker_as_written, cue, said_on, happened_on, topics, note."]}),
])
def test_a_bad_correction_is_refused_with_a_message(field, value, message):
    assert errors_of(CorrectClaimSchema(), correction(field, value)) == message


def test_a_verdict_needs_an_explanation_and_web_evidence():
    data = {"claim_id": CLAIM, "expected_version": 2, "rating": "false", "explanation": "",
            "evidence": [{"url": "file:///etc/passwd"}]}
    assert errors_of(GiveVerdictSchema(), data) == {
        "explanation": ["May not be blank."], "evidence": {0: {"url": ["Not a valid http or https URL."]}}}
    command = GiveVerdictSchema().load({**data, "explanation": "The plant makes them.",
                                        "evidence": [{"url": "https://example.org/report"}]})
    assert command.scale == "factlog"


def test_a_link_between_claims_uses_the_known_relations():
    data = {"claim_id": CLAIM, "expected_version": 2, "relation": "refutes",
            "target_claim_id": str(uuid.uuid4())}
    assert errors_of(LinkClaimsSchema(), data) == {
        "relation": ["Must be one of: denies, contradicts, supports, same_as."]}


def test_a_further_report_carries_its_own_chain():
    command = AddReportSchema().load({"claim_id": CLAIM, "expected_version": 2, "report": {"links": [
        {"source_id": OUTLET, "url": "https://example.org/a", "headline": "H",
         "published_on": "2024-11-29"}]}})
    assert command.report.links[0].published_on.display() == "29 November 2024"


def _future():
    """A day after tomorrow, next month and next year, as the server sees today."""
    today = dates.today()
    later = today.replace(day=1) + timedelta(days=32)
    return (today + timedelta(days=2)).isoformat(), f"{later.year:04d}-{later.month:02d}", str(today.year + 1)


@pytest.mark.parametrize("value", _future() + ("~2100", "2100-01-01..2100-02-01"))
def test_a_claim_said_in_the_future_is_refused_with_the_fields_message(value):
    (message,) = errors_of(RecordClaimSchema(), claim_input(said_on=value))["said_on"]
    assert "is in the future (today is " in message
    assert message.endswith("a claim is recorded once it has been said. Check the year, or leave the date "
                            "unknown.")


@pytest.mark.parametrize("value", _future())
def test_a_report_published_in_the_future_is_refused_beside_its_link(value):
    links = [{"source_id": OUTLET, "relation": "citing", "published_on": value}]
    (message,) = errors_of(RecordClaimSchema(), claim_input(report={"links": links}))["report"]["links"][0][
        "published_on"]
    assert message.endswith("a publication is recorded once it has come out. Check the year, or leave the "
                            "date unknown.")
    add = {"claim_id": CLAIM, "expected_version": 1, "report": {"links": links}}
    assert "published_on" in errors_of(AddReportSchema(), add)["report"]["links"][0]


def test_a_correction_cannot_move_the_said_on_date_into_the_future_but_happened_on_may_be_ahead():
    correction = {"claim_id": CLAIM, "expected_version": 1, "field": "said_on", "new_value": "2100",
                  "reason": "typo"}
    (message,) = errors_of(CorrectClaimSchema(), correction)["new_value"]
    assert message.startswith("2100 is in the future")
    # What a claim describes may lie ahead: "the election will be held in 2100".
    assert CorrectClaimSchema().load({**correction, "field": "happened_on"}).new_value == dates.parse("2100")
    assert RecordClaimSchema().load(claim_input(happened_on="2100")).happened_on == dates.parse("2100")


def test_today_and_tomorrow_are_accepted_for_both_dates():
    tomorrow = (dates.today() + timedelta(days=1)).isoformat()
    links = [{"source_id": OUTLET, "relation": "citing", "published_on": tomorrow}]
    command = RecordClaimSchema().load(claim_input(said_on=dates.today().isoformat(), report={"links": links}))
    assert command.report.links[0].published_on == dates.parse(tomorrow)
