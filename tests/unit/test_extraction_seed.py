"""The seed digest pasted in: proposals for the large majority of its attributions, the nested New York
Times / Janes one and the Gallup poll among them."""
from __future__ import annotations

from pathlib import Path

import pytest

from factlog.extraction import extract
from factlog.extraction.gold import load
from factlog.extraction.scoring import score

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "qiosk-diplomacy-watch.yaml"


@pytest.fixture(scope="module")
def seed():
    text = load(GOLD)
    return text, extract(text.article)


def _proposal_quoting(proposals, words):
    return next(proposal for proposal in proposals if proposal.quote and words in proposal.quote)


def test_the_seed_yields_proposals_for_the_large_majority_of_its_attributions(seed):
    text, proposals = seed
    speaker = score(text, proposals).tallies["speaker"]
    assert speaker.expected == len(text.attributions) >= 35
    assert speaker.correct / speaker.expected >= 0.85


def test_the_times_reporting_nick_brown_of_janes_is_a_chain_through_the_times(seed):
    _, proposals = seed
    brown = _proposal_quoting(proposals, "longest-range weapon")
    assert brown.speaker.name == "Nick Brown"
    assert brown.speaker.role == "an analyst at Janes, the British-based defense intelligence firm"
    assert brown.cue == "said"
    assert [(link.name, link.relation) for link in brown.chain] == [
        ("Responsible Statecraft", "quoting"), ("New York Times", "citing")]
    assert brown.chain[1].as_written == "the Times"
    assert brown.quote_source == 1  # the quotation marks hold the Times' words, which paraphrase Brown
    assert brown.quote.startswith("Nick Brown, an analyst at Janes")


def test_the_gallup_poll_is_a_poll_that_found(seed):
    _, proposals = seed
    gallup = next(proposal for proposal in proposals if "82%" in proposal.summary)
    assert (gallup.speaker.name, gallup.speaker.kind, gallup.cue) == ("Gallup poll", "poll", "found")
    assert gallup.speaker.as_written == "a Gallup poll"
    assert gallup.summary == "82% of the public opposed such measures."
    assert [(link.name, link.relation) for link in gallup.chain] == [("Responsible Statecraft", "citing")]


def test_a_title_before_the_name_is_the_role(seed):
    _, proposals = seed
    rudenko = _proposal_quoting(proposals, "fully destroy relations")
    assert (rudenko.speaker.name, rudenko.speaker.role) == ("Andrey Rudenko", "Russian Deputy Foreign Minister")
    lenderking = next(proposal for proposal in proposals if proposal.speaker.name == "Tim Lenderking")
    assert lenderking.speaker.role == "U.S. special envoy for Yemen"


def test_he_adds_is_the_quincy_institutes_mark_episkopos(seed):
    _, proposals = seed
    adds = _proposal_quoting(proposals, "under the circumstances")
    assert adds.speaker.name == "Mark Episkopos"
    assert adds.speaker.as_written == "He"
    assert adds.speaker.role == "of the Quincy Institute"


def test_the_briefing_heading_dates_millers_remarks(seed):
    _, proposals = seed
    miller = [proposal for proposal in proposals if proposal.speaker.name == "Matthew Miller"]
    assert {proposal.cue for proposal in miller} == {"said", "could_not_confirm", "did_not_comment"}
    assert {proposal.said_on.value for proposal in miller} == {"2024-11-25"}
    assert all(proposal.chain[-1].name == "State Department" for proposal in miller)


def test_an_unnamed_member_told_russian_media_which_joins_the_chain(seed):
    _, proposals = seed
    member = _proposal_quoting(proposals, "constant contact")
    assert (member.speaker.name, member.speaker.kind, member.cue) == (
        "a member of the Houthi movement", "unnamed", "told")
    assert [(link.name, link.relation) for link in member.chain][1:] == [("Russian media", "told")]
