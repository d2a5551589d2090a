"""Speakers and outlets matched against recorded sources: aliases, initials, close spellings, never an
unnamed source; a name matching nothing is proposed as a new source (match None)."""
from __future__ import annotations

import uuid

from factlog.extraction import Article, SourceCatalog, extract
from factlog.sources.index import SourceIndex
from tests.support.claims import source

NYT = source("The New York Times", "outlet", aliases=("the Times",))
FT = source("Financial Times", "outlet")
RESPONSIBLE_STATECRAFT = source("Responsible Statecraft", "outlet", aliases=("RS",))
BROWN = source("Nick Brown")
ZELENSKYY = source("Volodymyr Zelenskyy", aliases=("Volodomir Zelenskyy",))
MOSCOW = source("Government of Russia", "government_body", aliases=("Moscow", "the Kremlin"))
MEMBER = source(None, "unnamed", description="a member of the Houthi movement")
CATALOG = SourceCatalog.from_sources([NYT, FT, RESPONSIBLE_STATECRAFT, BROWN, ZELENSKYY, MOSCOW, MEMBER])


def test_initials_match_the_outlet_they_abbreviate():
    match = CATALOG.match("NYT", "outlet")
    assert match.source_id == NYT.source_id
    assert match.name == "The New York Times"
    assert match.why == "initials of 'The New York Times'"


def test_an_alias_matches_its_source_and_says_so():
    match = CATALOG.match("Moscow", "government_body")
    assert (match.source_id, match.why) == (MOSCOW.source_id, "same name as 'Moscow' (alias of Government of Russia)")


def test_a_close_spelling_matches_and_a_different_name_does_not():
    assert CATALOG.match("Volodimir Zelenskyy", "person").source_id == ZELENSKYY.source_id
    assert CATALOG.match("Nick Browne", "person").source_id == BROWN.source_id
    assert CATALOG.match("Jeffery Lewis", "person") is None


def test_unnamed_sources_are_never_matched():
    assert CATALOG.match("a member of the Houthi movement") is None


def test_the_catalog_is_built_from_tuples_or_a_source_index():
    source_id = uuid.uuid4()
    from_tuples = SourceCatalog([(source_id, "outlet", "Reuters", ())])
    assert from_tuples.match("Reuters").source_id == source_id
    from_index = SourceCatalog.from_index(SourceIndex({FT.source_id: FT}))
    assert from_index.match("FT", "outlet").source_id == FT.source_id


def test_extracted_speakers_and_links_carry_their_match_and_the_recorded_kind():
    text = ("The NYT reported that “Nick Brown, an analyst at Janes, said it was the longest-range weapon.” "
            "Moscow denied that the missile was armed. Jeffery Lewis said the holes were big.")
    proposals = extract(Article(text, "RS", None, None), CATALOG)
    brown, moscow, lewis = proposals
    assert brown.speaker.match.source_id == BROWN.source_id
    assert [link.match.source_id for link in brown.chain] == [RESPONSIBLE_STATECRAFT.source_id, NYT.source_id]
    assert (moscow.speaker.match.source_id, moscow.speaker.kind) == (MOSCOW.source_id, "government_body")
    assert lewis.speaker.match is None  # a new source, for the editor to confirm
    assert brown.to_dict()["chain"][1]["match"] == {"source_id": str(NYT.source_id), "name": "The New York Times",
                                                    "why": "initials of 'The New York Times'"}
