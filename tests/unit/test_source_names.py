"""How source names are compared: spacing and case, initials, close spellings; no database."""
from __future__ import annotations

import uuid

import pytest

from factlog.sources.commands import RegisterSource
from factlog.sources.decide import register
from factlog.sources.duplicates import LikelyDuplicateSource, find_likely_duplicates
from factlog.sources.index import SourceIndex
from factlog.sources.names import INITIALS, SAME_NAME, SPELLING, NameTable, abbreviates, name_key, normalized
from tests.support.claims import source

NYT = source("The New York Times", "outlet", aliases=("the Times",))
WSJ = source("The Wall Street Journal", "outlet")
AP = source("Associated Press", "outlet")
FT = source("Financial Times", "outlet")
AFP = source("Agence France-Presse", "outlet")
STATE = source("United States Department of State", "government_body")
IRGC = source("Islamic Revolutionary Guard Corps", "organization", aliases=("IRGC",))
BROWN = source("Nick Brown")
LEWIS = source("Jeffery Lewis")
ZELENSKYY = source("Volodymyr Zelenskyy")
MIDDLEBURY = source("Middlebury Institute of International Studies", "organization")
INDEX = SourceIndex({s.source_id: s for s in (NYT, WSJ, AP, FT, AFP, STATE, IRGC, BROWN, LEWIS, ZELENSKYY,
                                              MIDDLEBURY)})


@pytest.mark.parametrize("name, normal", [
    ("Nick  Brown", "nick brown"), (" NICK\tBrown ", "nick brown"), ("The New York Times", "new york times"),
    ("N.Y.T.", "nyt"), ("U.S. State Department", "us state department"), ("Agence France-Presse",
                                                                           "agence france presse"),
    ("Volodýmyr Zelenskyy", "volodymyr zelenskyy"), ("the AP", "ap"),
])
def test_names_are_compared_without_spacing_case_accents_punctuation_or_a_leading_article(name, normal):
    assert normalized(name) == normal


def test_the_exact_lookup_ignores_only_case_and_runs_of_spaces():
    assert name_key("Nick  Brown") == name_key("nick brown") == "nick brown"
    assert name_key("The Times") != name_key("Times")  # an article may tell two outlets apart
    assert INDEX.named("Nick  Brown") == [BROWN] and INDEX.named("NICK BROWN ") == [BROWN]


@pytest.mark.parametrize("short, long", [
    ("NYT", "The New York Times"), ("N.Y.T.", "The New York Times"), ("NY Times", "The New York Times"),
    ("WSJ", "The Wall Street Journal"), ("AP", "Associated Press"), ("the AP", "The Associated Press"),
    ("FT", "Financial Times"), ("AFP", "Agence France-Presse"), ("FBI", "Federal Bureau of Investigation"),
    ("DoD", "Department of Defense"), ("IRGC", "Islamic Revolutionary Guard Corps"),
    ("U.S. Department of State", "United States Department of State"),
])
def test_initials_abbreviate_the_words_they_stand_for(short, long):
    assert abbreviates(short, long) and not abbreviates(long, short)


@pytest.mark.parametrize("short, long", [
    ("RS", "Reuters"),  # letters inside a word are not initials
    ("NYT", "New York Post"), ("Times", "The New York Times"), ("NYT", "NYT"),  # the same name is not initials
    ("AP", "AP-NORC Center for Public Affairs Research"), ("NYTX", "The New York Times"),
])
def test_what_is_not_initials(short, long):
    assert not abbreviates(short, long)


@pytest.mark.parametrize("typed, expected, match", [
    ("NYT", NYT, INITIALS), ("NY Times", NYT, INITIALS), ("WSJ", WSJ, INITIALS), ("AP", AP, INITIALS),
    ("FT", FT, INITIALS), ("AFP", AFP, INITIALS), ("New York Times", NYT, SAME_NAME),
    ("Islamic Revolutionary Guard Corps", IRGC, SAME_NAME),
    ("U.S. Department of State", STATE, INITIALS),
])
def test_initials_and_aliases_find_the_outlet_or_body_they_stand_for(typed, expected, match):
    (candidate, *_) = find_likely_duplicates(INDEX, expected.kind, [typed])
    assert (candidate.source_id, candidate.match) == (expected.source_id, match)


@pytest.mark.parametrize("typed, expected, match", [
    ("Nick  Brown", BROWN, SAME_NAME), ("nick brown", BROWN, SAME_NAME),
    # The seed digest's own spellings.
    ("Jeffrey Lewis", LEWIS, SPELLING), ("Volodomir Zelenskyy", ZELENSKYY, SPELLING),
    ("Middlebury Institute for International Studies", MIDDLEBURY, SPELLING),
])
def test_a_name_spaced_cased_or_spelled_differently_finds_the_recorded_source(typed, expected, match):
    (candidate,) = find_likely_duplicates(INDEX, expected.kind, [typed])
    assert (candidate.source_id, candidate.match) == (expected.source_id, match)


def test_registering_nyt_beside_the_new_york_times_is_a_likely_duplicate_saying_why():
    with pytest.raises(LikelyDuplicateSource) as caught:
        register(RegisterSource(uuid.uuid4(), "outlet", "NYT"), INDEX)
    (candidate,) = caught.value.candidates
    assert candidate.source_id == NYT.source_id and candidate.match == INITIALS
    assert candidate.why() == "“NYT” may be the initials of “The New York Times”"
    assert f"The New York Times (outlet, {NYT.source_id}, initials)" in str(caught.value)
    with pytest.raises(LikelyDuplicateSource) as caught:
        register(RegisterSource(uuid.uuid4(), "person", "Nick  Brown"), INDEX)
    assert caught.value.candidates[0].why() == "the same name, spacing and case aside"
    assert register(RegisterSource(uuid.uuid4(), "outlet", "NYT", confirm_new=True), INDEX)


def test_other_kinds_unnamed_sources_and_plain_different_names_are_not_matched():
    assert find_likely_duplicates(INDEX, "organization", ["NYT"]) == []
    assert find_likely_duplicates(INDEX, "outlet", ["Reuters", "The Atlantic", "New York Post"]) == []
    assert find_likely_duplicates(INDEX, "unnamed", ["Nick Brown"]) == []
    # Any kind, for a name typed where no kind was chosen yet.
    assert [c.source_id for c in find_likely_duplicates(INDEX, None, ["NYT"])] == [NYT.source_id]


def test_the_index_prepares_its_names_once_and_again_after_a_source_is_added():
    index = SourceIndex({BROWN.source_id: BROWN})
    assert index.name_table("outlet") is index.name_table("outlet")
    assert find_likely_duplicates(index, "outlet", ["NYT"]) == []
    index.add(NYT)
    assert [c.source_id for c in find_likely_duplicates(index, "outlet", ["NYT"])] == [NYT.source_id]


def test_the_same_name_ranks_before_initials_and_initials_before_a_spelling():
    table = NameTable([("c", "The New Yorke Tims"), ("b", "NYT"), ("a", "The New York Times")])
    assert [(m.key, m.match) for m in table.matches("New York Times")] == [("a", SAME_NAME), ("b", INITIALS),
                                                                           ("c", SPELLING)]
    assert [m.key for m in NameTable([("b", "The New York Times"), ("c", "NYT Co")]).matches("NYT")] == ["b"]
