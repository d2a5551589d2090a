"""The rules of claims, decided without a database: which events a command produces, or why it cannot."""
from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from factlog.claims import dates
from factlog.claims.claim import evolve, fold
from factlog.claims.commands import AddReport, CorrectClaim, GiveVerdict, LinkClaims, RetractClaim
from factlog.claims.decide import add_report, correct, give_verdict, link, record, retract
from factlog.claims.events import ClaimCorrected, ClaimRecorded, ClaimReported, Link, Report
from factlog.claims.verdict_scales import DEFAULT_SCALES
from factlog.errors import DomainError
from tests.support.claims import by_id, record_claim, recorded, source

QIOSK, NYT, BROWN = source("QiOSK", "outlet"), source("The New York Times", "outlet"), source("Nick Brown")
REUTERS = source("Reuters", "outlet")
SOURCES = by_id(QIOSK, NYT, BROWN, REUTERS)


def refused(decide, *args) -> DomainError:
    with pytest.raises(DomainError) as caught:
        decide(*args)
    return caught.value


def test_recording_a_claim_records_it_and_its_first_report():
    command = record_claim(BROWN, QIOSK, NYT, quote="“Nick Brown ... in Europe.”",
                           quote_source_id=NYT.source_id)
    recorded_event, reported = record(command, None, SOURCES)
    assert isinstance(recorded_event, ClaimRecorded) and isinstance(reported, ClaimReported)
    assert reported.links == command.report.links


def test_the_chain_runs_from_the_publication_back_to_the_speaker():
    claim = recorded(record_claim(BROWN, QIOSK, NYT), SOURCES)
    assert claim.chain(claim.first_report) == (QIOSK.source_id, NYT.source_id, BROWN.source_id)


def test_a_speaker_who_publishes_is_the_last_link_of_its_own_chain():
    command = record_claim(REUTERS, QIOSK, REUTERS)
    command = replace(command, report=Report(uuid.uuid4(), (Link(QIOSK.source_id, "citing"),
                                                            Link(REUTERS.source_id))))
    claim = recorded(command, SOURCES)
    assert claim.chain(claim.first_report) == (QIOSK.source_id, REUTERS.source_id)


def test_an_unknown_speaker_is_refused():
    stranger = source("Nobody")
    error = refused(record, record_claim(stranger, QIOSK), None, SOURCES)
    assert str(error) == f"no source {stranger.source_id} has been registered (the speaker)"
    assert error.field == "speaker_id"


def test_an_unknown_source_in_the_chain_is_refused_naming_the_link():
    stranger = source("Unregistered Gazette", "outlet")
    error = refused(record, record_claim(BROWN, QIOSK, stranger), None, SOURCES)
    assert str(error) == f"no source {stranger.source_id} has been registered (link 2 of the chain)"


def test_a_chain_that_loops_is_refused():
    error = refused(record, record_claim(BROWN, QIOSK, NYT, QIOSK), None, SOURCES)
    assert str(error) == "the chain loops: 'QiOSK' appears at links 1 and 3"
    error = refused(record, record_claim(BROWN, QIOSK, BROWN, NYT), None, SOURCES)
    assert str(error) == ("the chain loops: the speaker 'Nick Brown' appears at link 2, before the end of "
                          "the chain")


def test_the_speakers_own_publication_cites_no_one():
    own_publication = Report(uuid.uuid4(), (Link(REUTERS.source_id, "citing"),))
    command = replace(record_claim(REUTERS), report=own_publication)
    assert str(refused(record, command, None, SOURCES)) == (
        "link 1 is the speaker's own publication and cites no one; leave its relation empty")


def test_the_quote_can_only_be_words_of_the_speaker_or_of_a_link():
    command = record_claim(BROWN, QIOSK, quote="x", quote_source_id=REUTERS.source_id)
    assert str(refused(record, command, None, SOURCES)) == (
        "the quote can only be the words of the speaker or of a link in the chain, not of 'Reuters'")


def test_a_claim_cannot_be_recorded_twice():
    command = record_claim(BROWN, QIOSK)
    claim = recorded(command, SOURCES)
    assert str(refused(record, command, claim, SOURCES)) == f"claim {command.claim_id} is already recorded"


def test_a_later_report_keeps_which_came_first_and_which_was_published_first():
    claim = recorded(record_claim(BROWN, QIOSK, NYT), SOURCES)
    claim = replace(claim, reports=(Report(claim.first_report.report_id, (
        Link(QIOSK.source_id, "citing", published_on=dates.parse("2024-11-29")),
        Link(NYT.source_id, "citing"))),))
    later = AddReport(claim.claim_id, claim.version, Report(uuid.uuid4(), (
        Link(NYT.source_id, None, url="https://example.org/oreshnik",
             published_on=dates.parse("2024-11-22")),)))
    claim = evolve(claim, *add_report(later, claim, SOURCES))
    assert claim.first_report.links[0].source_id == QIOSK.source_id
    assert claim.earliest_report.links[0].source_id == NYT.source_id


def test_the_same_chain_cannot_be_reported_twice():
    claim = recorded(record_claim(BROWN, QIOSK, NYT), SOURCES)
    again = AddReport(claim.claim_id, 2, Report(uuid.uuid4(), claim.first_report.links))
    assert str(refused(add_report, again, claim, SOURCES)) == (
        f"this chain is already recorded as report {claim.first_report.report_id}")
    same_id = AddReport(claim.claim_id, 2, claim.first_report)
    assert str(refused(add_report, same_id, claim, SOURCES)) == (
        f"report {claim.first_report.report_id} is already recorded on this claim")


def test_a_correction_records_the_field_the_old_and_new_value_and_why():
    claim = recorded(record_claim(BROWN, QIOSK, said_on=dates.parse("2024-11")), SOURCES)
    (event,) = correct(CorrectClaim(claim.claim_id, 2, "said_on", dates.parse("2024-10"), "It was October."),
                       claim, SOURCES)
    assert event == ClaimCorrected(claim.claim_id, "said_on", {"precision": "month", "value": "2024-11"},
                                   {"precision": "month", "value": "2024-10"}, "It was October.")


def test_correction_keeps_the_original_wording_visible():
    claim = recorded(record_claim(BROWN, QIOSK, summary="The first wording."), SOURCES)
    claim = evolve(claim, *correct(CorrectClaim(claim.claim_id, 2, "summary", "The second wording.", "Typo."),
                                   claim, SOURCES))
    assert claim.summary == "The second wording."
    assert claim.recorded.summary == "The first wording."
    assert claim.corrections[0].old_value == "The first wording."


def test_a_correction_that_changes_nothing_is_refused():
    claim = recorded(record_claim(BROWN, QIOSK), SOURCES)
    error = refused(correct, CorrectClaim(claim.claim_id, 2, "cue", "said", "Again."), claim, SOURCES)
    assert str(error) == "nothing to correct: cue already has that value"


def test_correcting_the_speaker_to_an_unknown_source_or_into_a_loop_is_refused():
    claim = recorded(record_claim(BROWN, QIOSK, NYT), SOURCES)
    stranger = uuid.uuid4()
    error = refused(correct, CorrectClaim(claim.claim_id, 2, "speaker_id", stranger, "Wrong person."), claim,
                    SOURCES)
    assert str(error) == f"no source {stranger} has been registered (the new speaker)"
    error = refused(correct, CorrectClaim(claim.claim_id, 2, "speaker_id", QIOSK.source_id, "x"), claim,
                    SOURCES)
    assert str(error) == "the chain loops: the speaker 'QiOSK' appears at link 1, before the end of the chain"


def test_removing_a_quote_whose_words_are_attributed_is_refused_until_the_attribution_goes():
    claim = recorded(record_claim(BROWN, QIOSK, NYT, quote="x", quote_source_id=NYT.source_id), SOURCES)
    error = refused(correct, CorrectClaim(claim.claim_id, 2, "quote", None, "No quote."), claim, SOURCES)
    assert str(error) == "correct quote_source_id to null before removing the quote"


def retracted_claim():
    claim = recorded(record_claim(BROWN, QIOSK), SOURCES)
    return evolve(claim, *retract(RetractClaim(claim.claim_id, 2, "Recorded from a parody site."), claim))


def test_a_retraction_keeps_everything_and_says_why():
    claim = retracted_claim()
    assert claim.retracted and claim.retraction.reason == "Recorded from a parody site."
    assert claim.summary == "A neutral summary." and claim.version == 3


def test_a_retracted_claim_cannot_be_corrected_reported_rated_linked_or_retracted_again():
    claim = retracted_claim()
    why = "it was retracted (Recorded from a parody site.)"
    assert str(refused(correct, CorrectClaim(claim.claim_id, 3, "summary", "New.", "x"), claim, SOURCES)) == (
        f"cannot correct claim {claim.claim_id}: {why}")
    assert str(refused(retract, RetractClaim(claim.claim_id, 3, "x"), claim)) == (
        f"cannot retract claim {claim.claim_id}: {why}")
    report = AddReport(claim.claim_id, 3, Report(uuid.uuid4(), (Link(NYT.source_id),)))
    assert "cannot add a report to claim" in str(refused(add_report, report, claim, SOURCES))
    verdict = GiveVerdict(claim.claim_id, 3, uuid.uuid4(), "factlog", "false", "x")
    error = refused(give_verdict, verdict, claim, DEFAULT_SCALES, None)
    assert "cannot give a verdict on claim" in str(error)
    linking = LinkClaims(claim.claim_id, 3, "denies", uuid.uuid4())
    assert "cannot link claim" in str(refused(link, linking, claim, None))


def test_a_command_on_a_claim_never_recorded_is_refused():
    missing = uuid.uuid4()
    error = refused(retract, RetractClaim(missing, 1, "x"), None)
    assert str(error) == f"no claim {missing} has been recorded"


def test_a_verdict_outside_the_scale_is_refused_listing_the_scale():
    claim = recorded(record_claim(BROWN, QIOSK), SOURCES)
    verdict = GiveVerdict(claim.claim_id, 2, uuid.uuid4(), "factlog", "kinda-true", "x")
    assert str(refused(give_verdict, verdict, claim, DEFAULT_SCALES, None)) == (
        "rating 'kinda-true' is not on the scale 'factlog': true, mostly-true, half-true, mostly-false, "
        "false, pants-on-fire, unproven")
    verdict = replace(verdict, scale="politifact")
    assert str(refused(give_verdict, verdict, claim, DEFAULT_SCALES, None)) == (
        "there is no verdict scale 'politifact'; scales: factlog")


def test_a_later_verdict_supersedes_the_earlier_one_and_both_are_kept():
    claim = recorded(record_claim(BROWN, QIOSK), SOURCES)
    first = give_verdict(GiveVerdict(claim.claim_id, 2, uuid.uuid4(), "factlog", "unproven", "Too early."),
                         claim, DEFAULT_SCALES, None)
    reports = [ClaimReported(claim.claim_id, r.report_id, r.links) for r in claim.reports]
    claim = fold([claim.recorded, *reports, *first])
    later = GiveVerdict(claim.claim_id, 3, uuid.uuid4(), "factlog", "true", "Janes confirms.")
    (second,) = give_verdict(later, claim, DEFAULT_SCALES, None)
    assert second.supersedes_verdict_id == first[0].verdict_id and second.normalized_value == 1.0
    claim = evolve(claim, second)
    assert [v.rating for v in claim.verdicts] == ["unproven", "true"]
    assert claim.current_verdicts[None].rating == "true"


def test_an_unknown_fact_checker_is_refused():
    claim = recorded(record_claim(BROWN, QIOSK), SOURCES)
    checker = uuid.uuid4()
    verdict = GiveVerdict(claim.claim_id, 2, uuid.uuid4(), "factlog", "true", "x", checker_id=checker)
    assert str(refused(give_verdict, verdict, claim, DEFAULT_SCALES, None)) == (
        f"no source {checker} has been registered (the checker)")


def test_a_claim_can_deny_another_but_not_itself_or_a_missing_one():
    reuters_claim = recorded(record_claim(REUTERS, QIOSK), SOURCES)
    denial = recorded(record_claim(BROWN, QIOSK, cue="denied"), SOURCES)
    (linked,) = link(LinkClaims(denial.claim_id, 2, "denies", reuters_claim.claim_id), denial, reuters_claim)
    assert (linked.relation, linked.target_claim_id) == ("denies", reuters_claim.claim_id)
    assert str(refused(link, LinkClaims(denial.claim_id, 2, "denies", denial.claim_id), denial, denial)) == (
        "a claim cannot be linked to itself")
    missing = uuid.uuid4()
    assert str(refused(link, LinkClaims(denial.claim_id, 2, "denies", missing), denial, None)) == (
        f"no claim {missing} has been recorded")
    denial = evolve(denial, linked)
    (also,) = link(LinkClaims(denial.claim_id, 3, "contradicts", reuters_claim.claim_id), denial,
                   reuters_claim)
    assert also.relation == "contradicts"


def test_linking_the_same_relation_twice_or_to_a_retracted_claim_is_refused():
    target = recorded(record_claim(REUTERS, QIOSK), SOURCES)
    denial = recorded(record_claim(BROWN, QIOSK, cue="denied"), SOURCES)
    denial = evolve(denial, *link(LinkClaims(denial.claim_id, 2, "denies", target.claim_id), denial, target))
    error = refused(link, LinkClaims(denial.claim_id, 3, "denies", target.claim_id), denial, target)
    assert str(error) == f"this claim already denies claim {target.claim_id}"
    gone = retracted_claim()
    error = refused(link, LinkClaims(denial.claim_id, 3, "supports", gone.claim_id), denial, gone)
    assert str(error) == f"claim {gone.claim_id} was retracted and cannot be linked to"
