"""What accepting a proposal means, decided without a database: the sources to register, then the claim."""
from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from marshmallow import ValidationError

from factlog.claims.article_schema import ArticleRequest
from factlog.claims.from_article import USE_NEW, plan
from factlog.web.from_article_marks import QUOTE, SENTENCE, marked_text

IDS = uuid.UUID("00000000-0000-0000-0000-000000000001")
QIOSK, NYT, BROWN = (str(uuid.uuid4()) for _ in range(3))
ARTICLE = ArticleRequest("…", outlet="QiOSK", url="https://example.org/digest", published_on=date(2024, 11, 27))


def match(source_id: str, name: str) -> dict:
    return {"source_id": source_id, "name": name, "why": "the same name"}


def proposal(**changes) -> dict:
    found = {
        "proposal_id": "p4", "quote": "it was the longest-range weapon", "quote_span": [10, 41],
        "summary": "It was the longest-range weapon used in Europe.", "cue": "said",
        "speaker": {"name": "Nick Brown", "as_written": "Nick Brown", "role": "an analyst at Janes", "kind": "person",
                    "span": [0, 10], "match": match(BROWN, "Nick Brown")},
        "said_on": {"value": "2024-11-18..2024-11-24", "as_written": "last week", "span": [50, 59]},
        "chain": [{"name": "QiOSK", "as_written": "QiOSK", "relation": "quoting", "kind": "outlet",
                   "match": match(QIOSK, "QiOSK")},
                  {"name": "The New York Times", "as_written": "the Times", "relation": "citing", "kind": "outlet",
                   "match": match(NYT, "The New York Times")}],
        "sentence_span": [0, 60], "confidence": 0.8, "notes": [], "quote_source": 1}
    found.update(changes)
    return found


def test_a_proposal_of_recorded_sources_becomes_the_record_command_alone():
    accepted = plan(proposal(), ARTICLE, IDS)
    assert accepted.new_sources == {}
    command = accepted.command
    assert str(command.speaker_id) == BROWN and command.speaker_role == "an analyst at Janes"
    assert [str(link.source_id) for link in command.report.links] == [QIOSK, NYT]
    first, second = command.report.links
    assert first.url == "https://example.org/digest" and first.published_on.value == "2024-11-27"
    assert second.url is None and second.as_written == "the Times" and second.relation == "citing"
    assert command.said_on.value == "2024-11-18..2024-11-24" and command.said_on.as_written == "last week"
    assert str(command.quote_source_id) == NYT  # the Times' words, not Brown's own
    assert command.speaker_as_written is None  # the article spells the name as recorded


def test_the_same_article_and_proposal_plan_the_same_ids():
    assert plan(proposal(), ARTICLE, IDS).command.claim_id == plan(proposal(), ARTICLE, IDS).command.claim_id


def test_sources_nothing_matched_are_registered_first_by_role():
    unmatched = proposal(speaker={**proposal()["speaker"], "name": "Jeffery Lewis", "match": None},
                         chain=[{**proposal()["chain"][0], "name": "Dispatch Daily", "match": None}], quote_source=None)
    accepted = plan(unmatched, ARTICLE, IDS)
    assert set(accepted.new_sources) == {"speaker", "chain-0"}
    speaker, outlet = accepted.new_sources["speaker"], accepted.new_sources["chain-0"]
    assert (speaker.kind, speaker.name, outlet.kind, outlet.name) == ("person", "Jeffery Lewis", "outlet", "Dispatch Daily")
    assert accepted.command.speaker_id == speaker.source_id
    assert accepted.command.report.links[0].source_id == outlet.source_id
    assert not speaker.confirm_new  # a likely duplicate is still caught when it is registered


def test_an_unnamed_source_is_registered_by_its_description():
    unnamed = proposal(speaker={"name": "a senior US official", "as_written": "a senior US official", "role": None,
                                "kind": "unnamed", "span": [0, 20], "match": None})
    source = plan(unnamed, ARTICLE, IDS).new_sources["speaker"]
    assert source.kind == "unnamed" and source.description == "a senior US official" and source.name is None


def test_an_outlet_in_its_own_voice_is_one_source_whose_link_cites_no_one():
    own = proposal(speaker={"name": "Dispatch Daily", "as_written": "Dispatch Daily", "role": None, "kind": "outlet",
                            "span": [0, 14], "match": None}, cue="reported", quote=None, quote_span=None,
                   quote_source=None, chain=[{"name": "Dispatch Daily", "as_written": "Dispatch Daily",
                                              "relation": "citing", "kind": "outlet", "match": None}])
    accepted = plan(own, ARTICLE, IDS)
    assert set(accepted.new_sources) == {"speaker"}
    [link] = accepted.command.report.links
    assert link.source_id == accepted.command.speaker_id and link.relation is None


def test_an_outlet_given_by_id_is_the_first_link_whatever_the_text_matched():
    chosen = uuid.uuid4()
    accepted = plan(proposal(), ArticleRequest("…", outlet_id=chosen), IDS)
    assert accepted.command.report.links[0].source_id == chosen


def test_the_editors_answer_to_a_likely_duplicate_is_used():
    unmatched = proposal(speaker={**proposal()["speaker"], "name": "Nik Brown", "match": None})
    assert str(plan(unmatched, ARTICLE, IDS, {"speaker": BROWN}).command.speaker_id) == BROWN
    confirmed = plan(unmatched, ARTICLE, IDS, {"speaker": USE_NEW}).new_sources["speaker"]
    assert confirmed.name == "Nik Brown" and confirmed.confirm_new
    assert plan(unmatched, ARTICLE, IDS, {"speaker": "not an id"}).new_sources["speaker"].confirm_new is False


def test_a_misspelled_name_of_a_recorded_speaker_is_kept_as_written():
    misspelled = proposal(speaker={**proposal()["speaker"], "name": "Volodomir Zelenskyy",
                                   "match": match(BROWN, "Volodymyr Zelenskyy")})
    assert plan(misspelled, ARTICLE, IDS).command.speaker_as_written == "Volodomir Zelenskyy"
    pronoun = proposal(speaker={**proposal()["speaker"], "as_written": "He"})
    assert plan(pronoun, ARTICLE, IDS).command.speaker_as_written is None


def test_everything_wrong_is_said_at_once_per_field_before_anything_is_written():
    bad = proposal(quote="x" * 2001, said_on={"value": "2999-05", "as_written": "in May"}, cue="whispered",
                   speaker={**proposal()["speaker"], "name": "x" * 201, "match": None}, chain=[])
    with pytest.raises(ValidationError) as refused:
        plan(bad, ARTICLE, IDS)
    assert {"quote", "said_on", "cue", "speaker", "report"} <= set(refused.value.messages)
    assert "future" in " ".join(refused.value.messages["said_on"])


def card(number: int, **proposal_fields) -> SimpleNamespace:
    return SimpleNamespace(number=number, proposal=proposal_fields)


def test_quotes_are_marked_in_the_text_and_reported_speech_by_its_sentence():
    text = "Intro. “Quoted words,” he said. She said it would rain. End."
    quoted, reported = card(1, quote_span=[7, 22], sentence_span=[7, 31]), card(2, quote_span=None, sentence_span=[32, 55])
    segments = marked_text(text, [reported, quoted])
    assert "".join(segment.text for segment in segments) == text  # nothing lost, nothing added
    marked = [(segment.text, segment.kind) for segment in segments if segment.marked]
    assert marked == [("“Quoted words,”", QUOTE), ("She said it would rain.", SENTENCE)]


def test_overlapping_or_impossible_spans_never_garble_the_text():
    text = "abcdefghij"
    cards = [card(1, quote_span=[2, 6]), card(2, quote_span=[4, 8]), card(3, quote_span=[8, 99]),
             card(4, quote_span=["a", 3]), card(5, quote_span=[5, 5])]
    segments = marked_text(text, cards)
    assert "".join(segment.text for segment in segments) == text
    assert [segment.text for segment in segments if segment.marked] == ["cdef"]
