"""ClaimReview JSON-LD: Google's required and recommended properties, ratings, speakers, appearances,
escaping."""
from __future__ import annotations

import json

import pytest

from factlog.exports.claimreview import Organization, claim_review, rating, schema_date, script_json
from tests.support.claimreview import problems
from tests.support.export_records import claim_url, record

ORG = Organization("Diplomacy Desk", "https://desk.example")


def review(**overrides):
    data = record(**overrides)
    return claim_review(data, claim_url(data["claim_id"]), ORG)


def test_a_rated_claim_has_every_property_google_requires_and_recommends():
    found = review()
    assert problems(found, need_appearance=True) == []
    assert found["claimReviewed"] == record()["quote"]
    assert found["author"] == {"@type": "Organization", "name": "Diplomacy Desk", "url": "https://desk.example"}
    assert found["datePublished"] == "2024-12-02"
    assert found["reviewRating"] == {"@type": "Rating", "alternateName": "Mostly true", "name": "Mostly true",
                                     "ratingValue": 0.8, "bestRating": 1.0, "worstRating": 0.0}


def test_the_claim_is_the_speakers_with_the_role_and_the_date_only_as_precise_as_known():
    item = review()["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Nick Brown", "jobTitle": "analyst at Janes"}
    assert item["datePublished"] == "2024-11"  # a month, never 1 November
    reuters = review(speaker={"name": "Reuters", "kind": "outlet", "role": None})
    organization = reuters["itemReviewed"]["author"]
    assert organization == {"@type": "Organization", "name": "Reuters"}
    ranged = review(said_on={"value": "2024-11-18..2024-11-24", "precision": "range",
                             "display": "18–24 November"})
    assert "datePublished" not in ranged["itemReviewed"]


def test_every_page_that_carried_it_appears_with_its_publisher_and_the_first_is_the_origin():
    item = review()["itemReviewed"]
    assert [(work["url"], work["publisher"]["name"]) for work in item["appearance"]] == [
        ("https://responsiblestatecraft.org/diplomacy-watch", "Responsible Statecraft"),
        ("https://www.nytimes.com/oreshnik", "The New York Times")]
    assert item["firstAppearance"]["url"] == "https://www.nytimes.com/oreshnik"
    assert item["appearance"][0]["datePublished"] == "2024-11-27"


def test_a_rating_without_a_value_has_only_its_label():
    found = rating({"rating_label": "Unproven", "normalized_value": None, "scale": "factlog"})
    assert found == {"@type": "Rating", "alternateName": "Unproven", "name": "Unproven"}
    assert problems(review(verdict={**record()["verdict"], "rating_label": "Unproven",
                                    "normalized_value": None})) == []


def test_a_claim_without_a_verdict_has_no_review():
    with pytest.raises(ValueError, match="no verdict"):
        review(verdict=None)


def test_schema_dates_keep_the_precision():
    assert [schema_date({"value": v, "precision": p}) for v, p in [
        ("2024-11-27", "day"), ("2024-11", "month"), ("2024", "year"), ("~2024-11", "approximate"),
        ("unknown", "unknown")]] == ["2024-11-27", "2024-11", "2024", None, None]


def test_the_script_block_cannot_be_closed_by_a_quote():
    text = script_json(review(quote="</script><script>alert(1)</script> & <!--"))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["claimReviewed"] == "</script><script>alert(1)</script> & <!--"


def test_the_validator_notices_what_is_missing():
    broken = review()
    del broken["url"]
    broken["reviewRating"] = {"@type": "Rating", "ratingValue": 2, "bestRating": 1, "worstRating": 0}
    assert problems(broken) == ["required url missing", "reviewRating.alternateName missing",
                                "reviewRating 2 is not within 0..1"]


def test_the_organization_comes_from_the_environment_with_a_default(tmp_path):
    from factlog.config import from_environment

    default = from_environment(tmp_path, {"FACTLOG_SECRET_KEY": "k"})
    assert (default["ORGANIZATION_NAME"], default["ORGANIZATION_URL"]) == ("factlog", None)
    named = from_environment(tmp_path, {"FACTLOG_SECRET_KEY": "k",
                                        "FACTLOG_ORGANIZATION_NAME": "Diplomacy Desk",
                                        "FACTLOG_ORGANIZATION_URL": "https://desk.example"})
    assert (named["ORGANIZATION_NAME"], named["ORGANIZATION_URL"]) == ("Diplomacy Desk", "https://desk.example")
