"""Any text, however odd, gives well-formed proposals quickly: no exception, quotes verbatim, dates factlog
reads, linear time on long pastes."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factlog.claims import dates
from factlog.claims.vocabulary import CUES
from factlog.extraction import Article, extract
from factlog.sources.source import KINDS

SEED = (Path(__file__).resolve().parents[1] / "fixtures" / "qiosk-diplomacy-watch.txt").read_text(encoding="utf-8")
PIECES = ["said", "says", "told", "according to", "reported that", "Nick Brown", ", an analyst at Janes,", "He",
          "the Times", "“", "”", '"', "‘", "’", ".", ",", ";", ":", "\n", "\n\n", "Dr.", "U.S.", "Nov. 25",
          "on Tuesday", "last week", "a senior official", "a Gallup poll found", "declined to comment", "that",
          "The", "Moscow and Pyongyang", "Neither Seoul nor Kyiv", "could not confirm", "—", "é", "\x00", "7%"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60),
       st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))))
def test_any_text_gives_well_formed_proposals(pieces, published_on):
    text = " ".join(pieces)
    for proposal in extract(Article(text, "Wire", None, published_on)):
        if proposal.quote is not None:
            assert text[slice(*proposal.quote_span)] == proposal.quote
        assert proposal.cue in CUES
        assert proposal.speaker.kind in KINDS
        dates.parse(proposal.said_on.value)
        assert proposal.chain and proposal.chain[0].name == "Wire"
        start, end = proposal.sentence_span
        assert 0 <= start < end <= len(text)


def test_a_long_paste_of_news_copy_takes_well_under_a_second_per_two_thousand_words():
    text = (SEED + "\n") * 7  # about 10,000 words, 100,000 characters
    started = time.perf_counter()
    proposals = extract(Article(text[:100_000], "Responsible Statecraft", None, date(2024, 11, 29)))
    assert time.perf_counter() - started < 2.5
    assert len(proposals) > 150


def test_a_sentence_made_of_nothing_but_attributions_is_cut_and_stays_fast():
    text = "X said that " * 2_000 + "it rained."
    started = time.perf_counter()
    extract(Article(text, "Wire", None, None))
    assert time.perf_counter() - started < 3.0
