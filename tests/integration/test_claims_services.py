"""Claim and source commands against a real log, on SQLite and PostgreSQL: load, decide, append, commit."""
from __future__ import annotations

import uuid

import pytest

from factlog import claims, eventstore, sources
from factlog.errors import DomainError
from factlog.eventstore import ConcurrencyError


def register(session, kind, name=None, actor="editor@newsroom", **fields):
    command = sources.RegisterSourceSchema().load({"kind": kind, "name": name, **fields})
    sources.run(session, command, actor)
    return command.source_id


def record(session, speaker_id, *relay_ids, actor="editor@newsroom", **fields):
    links = [{"source_id": str(relay), "relation": "citing"} for relay in relay_ids]
    command = claims.RecordClaimSchema().load({"summary": "A neutral summary.", "speaker_id": str(speaker_id),
                                               "cue": "said", "report": {"links": links}, **fields})
    claims.run(session, command, actor)
    return command.claim_id


@pytest.fixture
def seed_sources(session):
    return {"qiosk": register(session, "outlet", "QiOSK"),
            "nyt": register(session, "outlet", "The New York Times"),
            "brown": register(session, "person", "Nick Brown"),
            "reuters": register(session, "outlet", "Reuters")}


def test_every_event_records_its_actor_and_the_time(session, seed_sources):
    claim_id = record(session, seed_sources["brown"], seed_sources["qiosk"], actor="kim@newsroom")
    (recorded, reported) = eventstore.read_stream(session, claims.stream_id(claim_id))
    assert recorded.actor == reported.actor == "kim@newsroom"
    assert recorded.metadata["command"] == "RecordClaim" and recorded.recorded_at.tzinfo is not None


def test_a_command_without_an_actor_is_refused(session, seed_sources):
    command = claims.RetractClaimSchema().load({"claim_id": str(uuid.uuid4()), "expected_version": 1,
                                                "reason": "x"})
    with pytest.raises(DomainError) as caught:
        claims.run(session, command, " ")
    assert str(caught.value) == "every change needs an actor: a user name of 1 to 200 characters"


def test_correction_and_retraction_keep_the_original_wording_in_the_history(session, seed_sources):
    claim_id = record(session, seed_sources["brown"], seed_sources["qiosk"], summary="Longest range in Asia.")
    claims.run(session, claims.CorrectClaimSchema().load({
        "claim_id": str(claim_id), "expected_version": 2, "field": "summary",
        "new_value": "Longest range in Europe.", "reason": "Misread the Times."}), "copy@newsroom")
    claims.run(session, claims.RetractClaimSchema().load({
        "claim_id": str(claim_id), "expected_version": 3, "reason": "Duplicate of another claim."}),
        "chief@newsroom")
    claim = claims.load_claim(session, claim_id)
    assert claim.retracted and claim.summary == "Longest range in Europe."
    history = claims.claim_history(session, claim_id)
    assert [(entry.type, entry.actor) for entry in history] == [
        ("ClaimRecorded", "editor@newsroom"), ("ClaimReported", "editor@newsroom"),
        ("ClaimCorrected", "copy@newsroom"), ("ClaimRetracted", "chief@newsroom")]
    assert history[0].event.summary == "Longest range in Asia."
    correction = history[2].event
    assert (correction.old_value, correction.reason) == ("Longest range in Asia.", "Misread the Times.")


def test_a_wrong_expected_version_is_refused_and_writes_nothing(session, seed_sources):
    claim_id = record(session, seed_sources["brown"], seed_sources["qiosk"])
    command = claims.RetractClaimSchema().load({"claim_id": str(claim_id), "expected_version": 1,
                                                "reason": "x"})
    with pytest.raises(ConcurrencyError) as caught:
        claims.run(session, command, "editor@newsroom")
    assert str(caught.value) == (f"stream 'claim-{claim_id}' is at version 2, not the expected version 1; "
                                 "reload it and try again")
    session.rollback()
    assert claims.load_claim(session, claim_id).version == 2


def test_an_unknown_source_is_refused_by_the_service(session, seed_sources):
    ghost = uuid.uuid4()
    with pytest.raises(DomainError) as caught:
        record(session, ghost, seed_sources["qiosk"])
    assert str(caught.value) == f"no source {ghost} has been registered (the speaker)"
    session.rollback()
    assert claims.load_claims(session) == []


def test_linking_to_a_claim_that_does_not_exist_is_refused(session, seed_sources):
    claim_id = record(session, seed_sources["brown"], seed_sources["qiosk"])
    missing = uuid.uuid4()
    command = claims.LinkClaimsSchema().load({"claim_id": str(claim_id), "expected_version": 2,
                                              "relation": "denies", "target_claim_id": str(missing)})
    with pytest.raises(DomainError) as caught:
        claims.run(session, command, "editor@newsroom")
    assert str(caught.value) == f"no claim {missing} has been recorded"


def test_a_denial_is_visible_from_the_claim_it_denies(session, seed_sources):
    report = record(session, seed_sources["reuters"], seed_sources["qiosk"])
    denial = record(session, seed_sources["brown"], seed_sources["qiosk"], cue="denied")
    command = claims.LinkClaimsSchema().load({"claim_id": str(denial), "expected_version": 2,
                                              "relation": "denies", "target_claim_id": str(report)})
    claims.run(session, command, "ed")
    (linked,) = claims.links_to(session, report)
    assert (linked.claim_id, linked.relation) == (denial, "denies")


def test_a_later_verdict_supersedes_the_earlier_and_both_stay(session, seed_sources):
    claim_id = record(session, seed_sources["brown"], seed_sources["qiosk"])
    for version, rating in ((2, "unproven"), (3, "mostly-true")):
        claims.run(session, claims.GiveVerdictSchema().load({
            "claim_id": str(claim_id), "expected_version": version, "rating": rating,
            "explanation": "Checked against Janes.", "evidence": [{"url": "https://example.org/janes"}]}),
            "fc@desk")
    claim = claims.load_claim(session, claim_id)
    assert [(v.rating, v.normalized_value) for v in claim.verdicts] == [("unproven", None),
                                                                        ("mostly-true", 0.8)]
    assert claim.verdicts[1].supersedes_verdict_id == claim.verdicts[0].verdict_id


def test_a_further_report_is_added_and_the_first_stays_first(session, seed_sources):
    claim_id = record(session, seed_sources["brown"], seed_sources["qiosk"], seed_sources["nyt"])
    claims.run(session, claims.AddReportSchema().load({
        "claim_id": str(claim_id), "expected_version": 2,
        "report": {"links": [{"source_id": str(seed_sources["nyt"]), "published_on": "2024-11-22",
                              "url": "https://www.nytimes.com/2024/11/22/world/europe/oreshnik.html"}]}}),
        "ed")
    claim = claims.load_claim(session, claim_id)
    assert claim.first_report.links[0].source_id == seed_sources["qiosk"]
    assert claim.earliest_report.links[0].source_id == seed_sources["nyt"]


def test_repeating_a_command_with_its_idempotency_key_records_nothing_new(session, seed_sources):
    command = claims.RetractClaimSchema().load({
        "claim_id": str(record(session, seed_sources["brown"], seed_sources["qiosk"])), "expected_version": 2,
        "reason": "x"})
    first = claims.run(session, command, "ed", idempotency_key="req-42")
    again = claims.run(session, command, "ed", idempotency_key="req-42")
    assert again.duplicate and again.positions == first.positions


def test_registering_a_likely_duplicate_surfaces_the_existing_source(session):
    zelenskyy = register(session, "person", "Volodymyr Zelenskyy")
    with pytest.raises(sources.LikelyDuplicateSource) as caught:
        register(session, "person", "Volodomir Zelenskyy")
    assert [c.source_id for c in caught.value.candidates] == [zelenskyy]
    session.rollback()
    assert len(sources.load_source_index(session)) == 1


def test_merging_two_recorded_sources_keeps_both_histories(session):
    zelenskyy = register(session, "person", "Volodymyr Zelenskyy")
    misspelt = register(session, "person", "Volodomir Zelenskyy", confirm_new=True)
    sources.run(session, sources.MergeSourcesSchema().load({
        "source_id": str(misspelt), "into_id": str(zelenskyy), "reason": "Same man, misspelt in a digest.",
        "expected_version": 1, "into_expected_version": 1}), "desk@newsroom")
    assert [e.type for e in eventstore.read_stream(session, sources.stream_id(misspelt))] == [
        "SourceRegistered", "SourceMerged"]
    assert [e.type for e in eventstore.read_stream(session, sources.stream_id(zelenskyy))] == [
        "SourceRegistered", "SourceAbsorbed"]
    index = sources.load_source_index(session)
    assert index.resolve(misspelt).source_id == zelenskyy
    assert [s.source_id for s in index.named("Volodomir Zelenskyy")] == [zelenskyy]


def test_a_merge_with_a_stale_version_writes_to_neither_stream(session):
    first = register(session, "person", "Tim Lenderking")
    second = register(session, "person", "Tom Lenderking", confirm_new=True)
    command = sources.MergeSourcesSchema().load({"source_id": str(second), "into_id": str(first),
                                                 "reason": "x", "expected_version": 1,
                                                 "into_expected_version": 3})
    with pytest.raises(ConcurrencyError):
        sources.run(session, command, "ed")
    session.rollback()
    assert eventstore.count_events(session) == 2
