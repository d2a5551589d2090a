"""Date expressions beside an attribution, resolved against the article's date with their precision."""
from __future__ import annotations

from datetime import date

import pytest

from factlog.claims import dates
from factlog.extraction import Article, extract
from factlog.extraction.dates import resolve

FRIDAY = date(2024, 11, 29)


@pytest.mark.parametrize("words, value", [
    ("on Tuesday", "2024-11-26"), ("Wednesday", "2024-11-27"), ("in October", "2024-10"),
    ("last week", "2024-11-18..2024-11-24"), ("Nov. 25", "2024-11-25"), ("last month", "2024-10"),
    ("earlier this month", "2024-11-01..2024-11-29"), ("in the past week", "2024-11-22..2024-11-29"),
    ("yesterday", "2024-11-28"), ("in 2023", "2023"), ("March 3, 2021", "2021-03-03"),
])
def test_words_resolve_to_a_date_as_precise_as_they_are(words, value):
    resolved, note = resolve(words, FRIDAY)
    assert (resolved, note) == (value, None)
    assert dates.parse(resolved).value == value  # a form factlog.claims.dates accepts


def test_words_that_count_from_the_article_are_unknown_without_its_date():
    assert resolve("on Tuesday", None) == ("unknown", "'on Tuesday' counts from the article's date, which is not given")
    assert resolve("March 3, 2021", None) == ("2021-03-03", None)


def _said_on(text: str, published_on: date | None = FRIDAY):
    (proposal,) = extract(Article(text, "Coastline Wire", None, published_on))
    return proposal.said_on


def test_the_date_beside_the_verb_is_when_it_was_said():
    said_on = _said_on("Tomas Brandt warned on Wednesday that some firms would leave.")
    assert (said_on.value, said_on.as_written) == ("2024-11-27", "on Wednesday")


def test_a_date_before_the_speaker_in_the_same_clause_counts():
    assert _said_on("During a meeting in October, Ukrainian President Volodomir Zelenskyy said he would ask "
                    "for arms.").value == "2024-10"


def test_a_date_inside_what_was_said_is_not_when_it_was_said():
    said_on = _said_on("Reuters reported that Ukraine launched missiles twice last week.")
    assert said_on.value == "unknown" and said_on.as_written is None


def test_a_date_of_another_event_or_of_fieldwork_is_not_when_it_was_said():
    assert _said_on("Following the killing earlier this month, the State Department warned about "
                    "violence.").value == "unknown"
    assert _said_on("A poll by the Halvorsen Institute, conducted March 3-7, found that 64% blamed the "
                    "government.").value == "unknown"


def test_a_section_heading_with_a_day_dates_what_follows_but_a_dateline_does_not():
    briefing = "From State Department Briefing on Nov. 25\n\nSpokesperson Matthew Miller said talks were stuck."
    assert _said_on(briefing).value == "2024-11-25"
    dateline = "Oct. 9, 2024\n\nHospital officials said the ward would close."
    assert _said_on(dateline).value == "unknown"


def test_a_relative_date_without_the_articles_date_is_unknown_and_noted():
    (proposal,) = extract(Article("Brandt said on Tuesday that prices would rise.", "Wire", None, None))
    assert (proposal.said_on.value, proposal.said_on.as_written) == ("unknown", "on Tuesday")
    assert "'on Tuesday' counts from the article's date, which is not given" in proposal.notes
