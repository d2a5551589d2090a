"""The extractor's rules on short texts: quotes and their speakers, reported speech, role phrases,
pronouns and surnames, unnamed sources, polls, nested reports, refusals, sentences."""
from __future__ import annotations

from datetime import date

from factlog.extraction import Article, extract
from factlog.extraction.sentences import paragraphs, sentences

FRIDAY = date(2024, 11, 29)


def _extract(text: str, outlet: str = "Coastline Wire", published_on: date | None = FRIDAY):
    return extract(Article(text, outlet, "https://coastline.example/story", published_on))


def _one(text: str, **kwargs):
    proposals = _extract(text, **kwargs)
    assert len(proposals) == 1, [proposal.to_dict() for proposal in proposals]
    return proposals[0]


def test_a_quote_before_said_and_a_name_is_a_direct_quote_with_its_exact_span():
    text = "“We will not back down,” said Foreign Minister Lena Brandt."
    proposal = _one(text)
    assert proposal.quote == "We will not back down,"
    assert text[slice(*proposal.quote_span)] == proposal.quote
    assert (proposal.speaker.name, proposal.speaker.role, proposal.cue) == ("Lena Brandt", "Foreign Minister", "said")
    assert [(link.name, link.relation) for link in proposal.chain] == [("Coastline Wire", "quoting")]
    assert proposal.chain[0].url == "https://coastline.example/story"


def test_straight_quotes_and_the_name_before_the_verb():
    proposal = _one('"The numbers do not add up," Brandt said.')
    assert proposal.quote == "The numbers do not add up,"
    assert proposal.speaker.name == "Brandt"


def test_reported_speech_after_that_is_the_summary_without_a_quote():
    proposal = _one("The ministry said that talks would resume in the spring.")
    assert proposal.quote is None and proposal.quote_span is None
    assert proposal.summary == "Talks would resume in the spring."
    assert (proposal.speaker.name, proposal.speaker.kind) == ("The ministry", "government_body")
    assert "'The ministry' names no source written before it" in proposal.notes


def test_a_role_appositive_after_the_name_is_the_speakers_role():
    proposal = _one("Nick Brown, an analyst at Janes, the British-based defense intelligence firm, said the "
                    "missile had a very long range.")
    assert proposal.speaker.name == "Nick Brown"
    assert proposal.speaker.role == "an analyst at Janes, the British-based defense intelligence firm"


def test_a_role_before_the_name_between_commas_is_the_speakers_role():
    proposal = _one("Its director general, Tomas Brandt, warned that some firms could leave.")
    assert (proposal.speaker.name, proposal.speaker.role, proposal.cue) == (
        "Tomas Brandt", "Its director general", "warned")


def test_he_and_a_surname_resolve_to_the_last_named_speaker():
    proposals = _extract("Petra Lindqvist, a researcher at the University of Aldham, said the signs were there. "
                         "He left. Lindqvist added that reservoirs were low.\n"
                         "“It will get worse,” she said.")
    assert [proposal.speaker.name for proposal in proposals] == ["Petra Lindqvist"] * 3
    assert [proposal.speaker.as_written for proposal in proposals] == ["Petra Lindqvist", "Lindqvist", "she"]
    assert any("taken to be Petra Lindqvist" in note for note in proposals[2].notes)


def test_a_title_alone_resolves_to_the_person_who_holds_it():
    proposals = _extract("Energy Minister Amara Okafor said prices would rise. Analysts disagreed.\n"
                         "The minister also said that talks with Ostrava were under way.")
    assert [proposal.speaker.name for proposal in proposals] == ["Amara Okafor", "Amara Okafor"]
    assert proposals[1].speaker.as_written == "The minister"


def test_a_quote_standing_alone_goes_on_from_the_speaker_before():
    proposals = _extract("“We are close,” Helena Voss said on Thursday. “But close is not signed.”")
    assert [proposal.quote for proposal in proposals] == ["We are close,", "But close is not signed."]
    assert proposals[1].speaker.name == "Helena Voss"
    assert proposals[1].said_on.value == "2024-11-28"


def test_an_unnamed_source_keeps_its_description():
    proposal = _one("Two officials familiar with the plans said the cuts would last four hours.")
    assert (proposal.speaker.name, proposal.speaker.kind) == ("Two officials familiar with the plans", "unnamed")
    assert proposal.speaker.match is None


def test_according_to_a_poll_is_what_the_poll_found():
    proposal = _one("According to a poll by the Halvorsen Institute, 64% of voters blame the government.")
    assert (proposal.speaker.name, proposal.speaker.kind, proposal.cue) == ("Halvorsen Institute poll", "poll", "found")
    assert proposal.summary == "64% of voters blame the government."


def test_a_poll_that_found_and_its_respondents_who_said():
    proposals = _extract("A survey by the Fishermen's Union found that 71% opposed the cut. Only 18% said "
                         "they trusted the talks.")
    assert [(proposal.speaker.name, proposal.cue) for proposal in proposals] == [
        ("Fishermen's Union survey", "found"), ("Fishermen's Union survey", "found")]


def test_according_to_an_outlet_is_what_it_reported_and_ends_the_chain():
    proposal = _one("According to Reuters, the plant has doubled its output.")
    assert (proposal.speaker.name, proposal.speaker.kind, proposal.cue) == ("Reuters", "outlet", "reported")
    assert [(link.name, link.relation) for link in proposal.chain] == [("Coastline Wire", "citing"), ("Reuters", None)]


def test_a_report_that_someone_said_is_a_chain_through_the_report():
    proposal = _one("The Valley Herald reported that opposition leader Ruth Castellan said the government "
                    "knew in October.")
    assert (proposal.speaker.name, proposal.speaker.role) == ("Ruth Castellan", "opposition leader")
    assert [(link.name, link.relation) for link in proposal.chain] == [
        ("Coastline Wire", "citing"), ("Valley Herald", "citing")]


def test_quoted_as_saying_makes_the_newspaper_the_quoting_relay():
    proposal = _one('The Ostland Tribune quoted a government adviser as saying that the deal "is close."')
    assert (proposal.speaker.name, proposal.speaker.kind) == ("a government adviser", "unnamed")
    assert [(link.name, link.relation) for link in proposal.chain] == [
        ("Coastline Wire", "quoting"), ("Ostland Tribune", "quoting")]


def test_telling_the_articles_own_outlet_is_a_told_chain():
    proposal = _one("“We are ready,” Marek Hollis told Coastline on Wednesday.")
    assert proposal.cue == "told"
    assert [(link.name, link.relation) for link in proposal.chain] == [("Coastline Wire", "told")]


def test_refusals_are_their_own_cues():
    proposals = _extract("The grid operator, Veldnet, declined to comment on the schedule. Miller could not "
                         "confirm whether missiles had been sent. Neither Seoul nor Kyiv have commented on "
                         "the deal.")
    assert [(proposal.speaker.name, proposal.cue) for proposal in proposals] == [
        ("Veldnet", "did_not_comment"), ("Miller", "could_not_confirm"), ("Seoul and Kyiv", "did_not_comment")]
    assert proposals[0].speaker.kind == "organization"
    assert proposals[2].speaker.kind == "collective"


def test_statements_in_the_articles_own_voice_are_not_proposed():
    assert _extract("A record 188 drones were launched on Tuesday. Most were intercepted, with no reported "
                    "casualties. North Korean forces are confirmed to be at the front.") == []


def test_a_verb_of_saying_inside_a_quotation_is_not_an_attribution():
    proposal = _one("“They said it would never happen,” Brandt said.")
    assert proposal.speaker.name == "Brandt"


def test_abbreviations_do_not_end_a_sentence_but_the_us_at_the_end_of_one_does():
    text = ("Dr. Helena Voss met Gen. Anders Moll on Nov. 25 in the U.S. capital. Talks went well in the U.S. "
            "The next round is in May.")
    spans = [text[sentence.start:sentence.end] for sentence in sentences(text, paragraphs(text))]
    assert spans == ["Dr. Helena Voss met Gen. Anders Moll on Nov. 25 in the U.S. capital.",
                     "Talks went well in the U.S.", "The next round is in May."]


def test_a_sentence_does_not_end_inside_a_quotation():
    text = "“We will win. They will lose,” he said. Then he left."
    spans = [text[sentence.start:sentence.end] for sentence in sentences(text, paragraphs(text))]
    assert spans == ["“We will win. They will lose,” he said.", "Then he left."]


def test_the_same_text_gives_the_same_proposal_ids():
    text = "“One,” said Lena Brandt. The ministry said that talks would resume."
    first, second = _extract(text), _extract(text)
    assert [proposal.proposal_id for proposal in first] == ["p1", "p2"]
    assert [proposal.to_dict() for proposal in first] == [proposal.to_dict() for proposal in second]


def test_empty_or_wordless_text_gives_no_proposals():
    assert _extract("") == []
    assert _extract("\x00\x01\x02 ��� \n\n ---") == []
