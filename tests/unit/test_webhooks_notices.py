"""Which notices a subscription gets: by notice type, and by a claim's timelines (topics, speakers,
outlets)."""
from __future__ import annotations

from factlog.webhooks.notices import ClaimPlaces, Filters, Notice, matches, notice_type

CLAIM = ClaimPlaces("c1", topics=("nuclear",), speakers=("s1",), outlets=("o1",), status="active")


def notice(kind: str, claim: ClaimPlaces | None = CLAIM, source_id: str | None = None) -> Notice:
    return Notice(event=None, type=kind, claim=claim, source_id=source_id)


def test_event_types_become_dotted_notice_types():
    assert notice_type("ClaimRetracted") == "claim.retracted"
    assert notice_type("SourceAliasAdded") == "source.alias_added"
    assert notice_type("VerdictGiven") == "verdict.given"


def test_no_filter_takes_everything():
    assert matches(Filters(), notice("claim.recorded"))
    assert matches(Filters(), notice("source.registered", claim=None, source_id="s9"))


def test_timeline_filters_match_a_claims_topics_speaker_or_outlets():
    assert matches(Filters(topics=frozenset({"nuclear"})), notice("claim.recorded"))
    assert matches(Filters(speakers=frozenset({"s1"})), notice("claim.recorded"))
    assert matches(Filters(outlets=frozenset({"o1"})), notice("claim.recorded"))
    assert not matches(Filters(topics=frozenset({"sports"})), notice("claim.recorded"))
    assert not matches(Filters(outlets=frozenset({"s1"})), notice("claim.recorded"))


def test_corrections_and_retractions_follow_whatever_claim_notices_were_chosen():
    recorded_only = Filters(event_types=frozenset({"claim.recorded"}), topics=frozenset({"nuclear"}))
    assert matches(recorded_only, notice("claim.retracted"))
    assert matches(recorded_only, notice("claim.corrected"))
    assert not matches(recorded_only, notice("verdict.given"))
    sources_only = Filters(event_types=frozenset({"source.registered"}))
    assert not matches(sources_only, notice("claim.retracted"))


def test_source_notices_reach_timeline_filters_only_for_that_source():
    speakers = Filters(speakers=frozenset({"s9"}))
    assert matches(speakers, notice("source.alias_added", claim=None, source_id="s9"))
    assert not matches(speakers, notice("source.alias_added", claim=None, source_id="s8"))
    assert not matches(Filters(topics=frozenset({"nuclear"})), notice("source.registered", None, "s9"))
