"""The seed digest's hardest attributions, end to end: imported from the demo file, read back from the log."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from factlog import claims, sources
from factlog.errors import DomainError
from factlog.importer import import_file

DEMO = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "seed-digest.yaml"
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "qiosk-diplomacy-watch.txt"
SEED_TEXT = SEED.read_text("utf-8")


@pytest.fixture
def digest(session):
    import_file(session, DEMO, "test:importer")
    return sources.load_source_index(session), claims.load_claims(session)


def only(index, name):
    (source,) = index.named(name)
    return source


def claims_by(all_claims, index, name):
    return [claim for claim in all_claims if index.resolve(claim.speaker_id) == only(index, name)]


def chain_names(index, claim, report=None):
    return [index.get(source_id).display_name for source_id in claim.chain(report or claim.first_report)]


def test_the_three_link_chain_to_nick_brown(digest):
    index, all_claims = digest
    (brown,) = claims_by(all_claims, index, "Nick Brown")
    assert chain_names(index, brown) == ["QiOSK", "The New York Times", "Nick Brown"]
    qiosk = index.get(brown.chain(brown.first_report)[0])
    assert index.get(qiosk.affiliation_id).name == "Responsible Statecraft"
    assert [(link.relation, link.as_written) for link in brown.first_report.links] == [
        ("quoting", None), ("citing", "the Times")]
    publication = brown.first_report.links[0]
    assert publication.headline == "Diplomacy Watch: Will South Korea give weapons to Ukraine?"
    assert publication.published_on.display() == "27 November 2024 – 1 December 2024"
    # The quotation marks are QiOSK quoting the Times, so the quoted words are the Times', not Brown's.
    assert index.get(brown.quoted_source_id).name == "The New York Times"
    assert f"“{brown.quote}”" in SEED_TEXT
    assert brown.speaker_role == "an analyst at Janes, the British-based defense intelligence firm"


def test_the_unnamed_houthi_member_via_russian_media(digest):
    index, all_claims = digest
    (claim,) = [c for c in all_claims if index.get(c.speaker_id).kind == "unnamed"
                and index.get(c.speaker_id).description == "a member of the Houthi movement"]
    member = index.get(claim.speaker_id)
    assert member.name is None and index.get(member.affiliation_id).name == "Houthi movement"
    assert chain_names(index, claim) == ["QiOSK", "Russian media (outlet not named)",
                                         "a member of the Houthi movement"]
    assert claim.first_report.links[-1].relation == "told" and claim.cue == "told"
    assert claim.quote == "constant contact"


def test_the_gallup_poll_is_a_source_and_supports_the_digests_own_claim(digest, session):
    index, all_claims = digest
    poll = only(index, "Gallup poll on South Korean weapons for Ukraine")
    assert poll.kind == "poll" and index.get(poll.affiliation_id).name == "Gallup"
    (finding,) = claims_by(all_claims, index, poll.name)
    assert finding.cue == "found" and "82%" in finding.summary
    (support,) = finding.links
    assert support.relation == "supports"
    assert claims.load_claim(session, support.target_claim_id).summary == (
        "South Koreans have been resistant to sending weapons to Ukraine.")


@pytest.mark.parametrize("spelling", ["Volodymyr Zelenskyy", "Volodomir Zelenskyy", "zelenskyy"])
def test_the_month_precision_zelenskyy_quote_under_either_spelling(digest, spelling):
    index, all_claims = digest
    zelenskyy = only(index, spelling)
    entries = claims.timeline(all_claims, speaker_ids={zelenskyy.source_id})
    (entry,) = entries
    assert entry.date.display() == "October 2024"
    assert entry.date.as_written == "During a previous meeting in October"
    assert entry.claim.speaker_as_written == "Volodomir Zelenskyy" and entry.claim.speaker_role == (
        "Ukrainian President")
    assert entry.claim.quote == ("detailed request to Seoul for arms support including artillery and air "
                                 "defense systems.")
    in_october = claims.timeline(all_claims, start=date(2024, 10, 1), end=date(2024, 10, 31))
    assert [(e.claim, e.certain) for e in in_october] == [(entry.claim, True)]
    mid_october = claims.timeline(all_claims, start=date(2024, 10, 10), end=date(2024, 10, 20))
    assert [(e.claim, e.certain) for e in mid_october] == [(entry.claim, False)]


def test_moscow_and_pyongyang_deny_the_transfer_reuters_reported(digest, session):
    index, all_claims = digest
    collective = only(index, "Moscow and Pyongyang")
    assert collective.kind == "collective"
    assert sorted(index.get(m).name for m in collective.member_ids) == ["Government of North Korea",
                                                                        "Government of Russia"]
    (denial,) = claims_by(all_claims, index, "Moscow and Pyongyang")
    (reuters_report,) = [c for c in claims_by(all_claims, index, "Reuters") if "plant" in c.summary]
    assert denial.cue == "denied"
    assert [(link.claim_id, link.relation) for link in claims.links_to(session, reuters_report.claim_id)] == [
        (denial.claim_id, "denies")]


def test_a_correction_and_a_retraction_leave_the_original_text_in_the_history(digest, session):
    index, all_claims = digest
    (rudenko,) = claims_by(all_claims, index, "Andrey Rudenko")
    original = rudenko.summary
    claims.run(session, claims.CorrectClaimSchema().load({
        "claim_id": str(rudenko.claim_id), "expected_version": rudenko.version, "field": "summary",
        "new_value": "South Korean weapons killing Russians would destroy relations, Rudenko warned.",
        "reason": "Say that it was a warning, as the digest frames it."}), "copy@newsroom")
    claims.run(session, claims.RetractClaimSchema().load({
        "claim_id": str(rudenko.claim_id), "expected_version": rudenko.version + 1,
        "reason": "Recorded twice; kept under the other claim."}), "chief@newsroom")

    history = claims.claim_history(session, rudenko.claim_id)
    assert [entry.type for entry in history] == ["ClaimRecorded", "ClaimReported", "ClaimCorrected",
                                                 "ClaimRetracted"]
    assert history[0].event.summary == original and history[2].event.old_value == original
    assert history[0].event.quote == rudenko.quote and f"“{rudenko.quote}”" in SEED_TEXT
    assert (history[2].actor, history[3].actor) == ("copy@newsroom", "chief@newsroom")
    retracted = claims.load_claim(session, rudenko.claim_id)
    assert retracted.retracted and retracted.recorded.summary == original

    with pytest.raises(DomainError) as caught:
        claims.run(session, claims.CorrectClaimSchema().load({
            "claim_id": str(rudenko.claim_id), "expected_version": retracted.version, "field": "cue",
            "new_value": "warned", "reason": "x"}), "copy@newsroom")
    assert str(caught.value) == (f"cannot correct claim {rudenko.claim_id}: it was retracted (Recorded "
                                 "twice; kept under the other claim.)")
