"""The extractor against the shipped gold annotations: the aims as a floor, so that a regression fails.

Aims (issue 22): at least 0.8 precision and recall on speakers and quotes, 0.7 on complete chains, on every
text the rules were tuned on and over all texts together; a held-out text must not fall below its floor.
``python -m bench extraction`` prints the figures.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from factlog.claims import dates
from factlog.claims.vocabulary import CHAIN_RELATIONS, CUES
from factlog.extraction import extract
from factlog.extraction.gold import load_all
from factlog.extraction.scoring import Score, score
from factlog.sources.source import KINDS

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
TEXTS = load_all(GOLD)
TUNED = [text for text in TEXTS if not text.held_out]
AIMS = {"speaker": 0.8, "quote": 0.8, "chain": 0.7}
# The held-out text's figures, (precision, recall), as they stand: a floor, never to be tuned up to. Its
# first run is in docs/extraction.md; one fix since (a subject never runs over a comma) traded a chain that
# was right under a garbage speaker for that speaker's precision.
HELD_OUT_FLOOR = {"lithium-ruling": {"speaker": (0.82, 0.70), "quote": (1.0, 1.0), "chain": (0.94, 0.80)}}


def test_there_are_at_least_three_written_texts_and_the_seed():
    names = {text.name for text in TEXTS}
    assert "qiosk-diplomacy-watch" in names and len(names) >= 4
    assert all(400 <= text.words <= 900 for text in TEXTS if text.name != "qiosk-diplomacy-watch")


@pytest.mark.parametrize("text", TUNED, ids=lambda text: text.name)
@pytest.mark.parametrize("field", sorted(AIMS))
def test_precision_and_recall_meet_the_aims(text, field):
    tally = score(text, extract(text.article)).tallies[field]
    assert tally.precision >= AIMS[field], f"{field} precision {tally.precision:.2f} on {text.name}"
    assert tally.recall >= AIMS[field], f"{field} recall {tally.recall:.2f} on {text.name}"


@pytest.mark.parametrize("field", sorted(AIMS))
def test_precision_and_recall_over_all_texts_held_out_included_meet_the_aims(field):
    total = Score()
    for text in TEXTS:
        total.add(score(text, extract(text.article)))
    tally = total.tallies[field]
    assert tally.precision >= AIMS[field] and tally.recall >= AIMS[field], (tally.precision, tally.recall)


@pytest.mark.parametrize("text", [text for text in TEXTS if text.held_out], ids=lambda text: text.name)
def test_a_held_out_text_does_not_fall_below_its_floor(text):
    tallies = score(text, extract(text.article)).tallies
    for field, (precision, recall) in HELD_OUT_FLOOR[text.name].items():
        assert tallies[field].precision >= precision and tallies[field].recall >= recall, field


@pytest.mark.parametrize("text", TEXTS, ids=lambda text: text.name)
def test_every_proposal_is_in_the_agreed_shape(text):
    for proposal in extract(text.article):
        data = json.loads(json.dumps(proposal.to_dict()))
        assert set(data) == {"proposal_id", "quote", "quote_span", "summary", "cue", "speaker", "said_on",
                             "chain", "sentence_span", "confidence", "notes", "quote_source"}
        if data["quote"] is not None:
            start, end = data["quote_span"]
            assert text.article.text[start:end] == data["quote"]
        assert data["cue"] in CUES
        assert data["speaker"]["kind"] in KINDS
        assert set(data["speaker"]) == {"name", "as_written", "role", "kind", "span", "match"}
        assert 0 < len(data["summary"]) <= 1000
        dates.parse(data["said_on"]["value"])
        assert data["chain"][0]["name"] == text.article.outlet
        assert all(link["relation"] in (*CHAIN_RELATIONS, None) for link in data["chain"])
        assert 0 <= data["confidence"] <= 1


def test_an_article_of_two_thousand_words_takes_under_a_second():
    words = " ".join(" ".join(text.article.text for text in TEXTS).split()[:2000])
    article = TEXTS[0].article.__class__(words, "Wire", None, TEXTS[0].article.published_on)
    started = time.perf_counter()
    extract(article)
    assert time.perf_counter() - started < 1.0
