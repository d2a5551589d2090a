"""Sources: their kinds, names and aliases, likely duplicates, and merging, decided without a database."""
from __future__ import annotations

import uuid

import pytest
from marshmallow import ValidationError

from factlog.errors import DomainError
from factlog.sources.commands import AddSourceAlias, MergeSources, RegisterSource
from factlog.sources.decide import add_alias, merge, register
from factlog.sources.duplicates import LikelyDuplicateSource, find_likely_duplicates, similarity
from factlog.sources.events import SourceAbsorbed, SourceMerged, SourceRegistered
from factlog.sources.index import SourceIndex
from factlog.sources.schemas import RegisterSourceSchema
from factlog.sources.source import KINDS, evolve, fold
from tests.support.claims import source

ZELENSKYY = source("Volodymyr Zelenskyy", aliases=("Zelenskyy",))
LEWIS = source("Jeffery Lewis")
NYT = source("The New York Times", "outlet", aliases=("the Times",))
AP = source("Associated Press", "outlet", aliases=("The AP", "AP"))
HOUTHI_MEMBER = source(None, "unnamed", description="a member of the Houthi movement")
INDEX = SourceIndex({s.source_id: s for s in (ZELENSKYY, LEWIS, NYT, AP, HOUTHI_MEMBER)})


def errors_of(data):
    with pytest.raises(ValidationError) as caught:
        RegisterSourceSchema().load(data)
    return caught.value.messages


def test_every_kind_of_source_in_the_seed_can_be_registered():
    assert KINDS == ("person", "organization", "government_body", "outlet", "poll", "document", "collective",
                     "unnamed")
    members = [str(uuid.uuid4()), str(uuid.uuid4())]
    for data in ({"kind": "poll", "name": "Gallup poll"},
                 {"kind": "document", "name": "2025 National Security Strategy"},
                 {"kind": "collective", "name": "Moscow and Pyongyang", "member_ids": members},
                 {"kind": "unnamed", "description": "financial analysts"}):
        assert RegisterSourceSchema().load(data).kind == data["kind"]


@pytest.mark.parametrize("data, message", [
    ({"kind": "unnamed", "name": "Bob"},
     {"name": ["An unnamed source has no name; describe it in description."]}),
    ({"kind": "unnamed"},
     {"description": ["An unnamed source needs a description, e.g. 'a member of the Houthi movement'."]}),
    ({"kind": "government_body"}, {"name": ["A government body needs a name."]}),
    ({"kind": "organization"}, {"name": ["An organization needs a name."]}),
    ({"kind": "outlet", "name": None}, {"name": ["An outlet needs a name."]}),
    ({"kind": "person", "name": "  "}, {"name": ["May not be blank."]}),
    ({"kind": "collective", "name": "Seoul and Kyiv", "member_ids": [str(uuid.uuid4())]},
     {"member_ids": ["A collective names at least two member sources."]}),
    ({"kind": "person", "name": "Tim Lenderking", "member_ids": [str(uuid.uuid4())]},
     {"member_ids": ["Only a collective has members."]}),
    ({"kind": "person", "name": "Zelenskyy", "aliases": ["zelenskyy"]},
     {"aliases": ["An alias repeats the name."]}),
    ({"kind": "person", "name": "Z", "aliases": ["Zelensky", "ZELENSKY"]},
     {"aliases": ["Listed twice: ZELENSKY."]}),
    ({"kind": "outlet", "name": "Reuters", "url": "ftp://reuters.com"},
     {"url": ["Not a valid http or https URL."]}),
    ({"kind": "pundit", "name": "X"},
     {"kind": ["Must be one of: person, organization, government_body, outlet, poll, document, collective, "
               "unnamed."]}),
])
def test_a_bad_source_is_refused_with_the_fields_message(data, message):
    assert errors_of(data) == message


def test_a_misspelt_name_surfaces_the_likely_duplicate_instead_of_a_second_person():
    command = RegisterSource(uuid.uuid4(), "person", "Volodomir Zelenskyy")
    with pytest.raises(LikelyDuplicateSource) as caught:
        register(command, INDEX)
    (candidate,) = caught.value.candidates
    assert candidate.source_id == ZELENSKYY.source_id and candidate.score >= 85
    assert str(caught.value).startswith(
        f"'Volodomir Zelenskyy' looks like a source already recorded: Volodymyr Zelenskyy (person, "
        f"{ZELENSKYY.source_id}")
    assert str(caught.value).endswith(
        "Add it as an alias of that source, or confirm that it is a different source (confirm_new).")


def test_confirm_new_registers_the_source_anyway():
    command = RegisterSource(uuid.uuid4(), "person", "Jeffrey Lewis", confirm_new=True)
    (event,) = register(command, INDEX)
    assert isinstance(event, SourceRegistered) and event.name == "Jeffrey Lewis"


@pytest.mark.parametrize("kind, name, aliases, expected", [
    ("person", "Jeffrey Lewis", (), [LEWIS]),
    ("person", "Zelensky", (), [ZELENSKYY]),
    ("person", "Someone Else", ("Volodymyr Zelensky",), [ZELENSKYY]),
    ("outlet", "New York Times", (), [NYT]),
    ("organization", "The New York Times", (), []),  # another kind is another thing
    ("outlet", "Reuters", ("RS",), []),  # a short alias is compared whole, not found inside longer names
    ("outlet", "The Atlantic", (), []),  # "The" alone does not make two outlets alike
    ("unnamed", "a member of the Houthi movement", (), []),  # unnamed sources are never presumed the same
])
def test_likely_duplicates_are_close_names_of_the_same_kind(kind, name, aliases, expected):
    found = find_likely_duplicates(INDEX, kind, (name, *aliases))
    assert [candidate.source_id for candidate in found] == [s.source_id for s in expected]


def test_similarity_ignores_case_punctuation_and_a_leading_article():
    assert similarity("The New York Times", "new york times") == 100
    assert similarity("Government of Russia", "Government of France") < 85


def test_an_unknown_affiliation_or_member_is_refused():
    missing = uuid.uuid4()
    command = RegisterSource(uuid.uuid4(), "unnamed", None, "a Houthi member", affiliation_id=missing)
    with pytest.raises(DomainError) as caught:
        register(command, INDEX)
    assert str(caught.value) == f"no source {missing} has been registered"
    assert caught.value.field == "affiliation_id"


def test_an_alias_is_added_once_and_never_to_a_merged_source():
    (event,) = add_alias(AddSourceAlias(LEWIS.source_id, "Jeffrey Lewis", 1), LEWIS)
    lewis = evolve(LEWIS, event)
    assert lewis.names == ("Jeffery Lewis", "Jeffrey Lewis") and lewis.version == 2
    with pytest.raises(DomainError) as caught:
        add_alias(AddSourceAlias(LEWIS.source_id, "jeffrey lewis", 2), lewis)
    assert str(caught.value) == "'Jeffery Lewis' already answers to 'jeffrey lewis'"


def test_merging_keeps_both_histories_and_the_survivor_answers_to_both_names():
    duplicate = fold([SourceRegistered(uuid.uuid4(), "person", "Volodomir Zelenskyy")])
    events = merge(MergeSources(duplicate.source_id, ZELENSKYY.source_id, "Same person, misspelt.", 1, 1),
                   duplicate, ZELENSKYY)
    assert events[duplicate.source_id] == [SourceMerged(duplicate.source_id, ZELENSKYY.source_id,
                                                        "Same person, misspelt.")]
    assert events[ZELENSKYY.source_id] == [SourceAbsorbed(ZELENSKYY.source_id, duplicate.source_id,
                                                          ("Volodomir Zelenskyy",), "Same person, misspelt.")]
    merged = evolve(duplicate, *events[duplicate.source_id])
    survivor = evolve(ZELENSKYY, *events[ZELENSKYY.source_id])
    assert merged.merged_into_id == survivor.source_id and merged.name == "Volodomir Zelenskyy"
    assert "Volodomir Zelenskyy" in survivor.names
    index = SourceIndex({s.source_id: s for s in (merged, survivor)})
    assert index.resolve(merged.source_id) == survivor
    assert index.named("volodomir zelenskyy") == [survivor]


@pytest.mark.parametrize("make, message", [
    (lambda: (ZELENSKYY, ZELENSKYY), "a source cannot be merged into itself"),
    (lambda: (NYT, AP), None),
    (lambda: (LEWIS, NYT), "cannot merge a person ('Jeffery Lewis') into an outlet ('The New York Times'): "
                           "they cannot be the same source"),
])
def test_merge_rules(make, message):
    duplicate, survivor = make()
    command = MergeSources(duplicate.source_id, survivor.source_id, "x", 1, 1)
    if message is None:
        assert merge(command, duplicate, survivor)
        return
    with pytest.raises(DomainError) as caught:
        merge(command, duplicate, survivor)
    assert str(caught.value) == message


def test_a_merged_source_cannot_be_merged_again():
    duplicate = evolve(source("Volodomir Zelenskyy"), SourceMerged(uuid.uuid4(), ZELENSKYY.source_id, "x"))
    with pytest.raises(DomainError) as caught:
        merge(MergeSources(duplicate.source_id, LEWIS.source_id, "x", 2, 1), duplicate, LEWIS)
    assert str(caught.value) == f"'Volodomir Zelenskyy' was already merged into source {ZELENSKYY.source_id}"
