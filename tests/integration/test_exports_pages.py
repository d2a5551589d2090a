"""The exports on the pages: ClaimReview JSON-LD in the claim page, export links and feed links on the
timeline pages, and the signed-in routes they point at (SQLite and PostgreSQL)."""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.support.claimreview import problems
from tests.support.exports import HOSTILE_QUOTE, seed
from tests.support.web import make_user, sign_in

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def seeded(client, db, session):
    found = seed(db, session)
    sign_in(client, make_user(db, "fact_checker"))
    return found


def test_a_reviewed_claims_page_embeds_its_claimreview(client, seeded):
    page = client.get(f"/claims/{seeded.hostile}").text
    [block] = JSON_LD.findall(page)
    assert "</script" not in block and "<" not in block  # the quote's markup cannot leave the block
    review = json.loads(block)
    assert problems(review, need_appearance=True) == []
    assert review["claimReviewed"] == HOSTILE_QUOTE
    assert review["url"] == f"http://localhost/claims/{seeded.hostile}"
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Nick Brown",
                                                "jobTitle": "-analyst"}


def test_an_unreviewed_claims_page_has_no_claimreview(client, seeded):
    page = client.get(f"/claims/{seeded.unreviewed}").text
    assert JSON_LD.findall(page) == []
    assert 'type="application/atom+xml"' in page


def test_the_claim_pages_json_ld_follows_a_new_verdict_at_once(client, seeded, session):
    import uuid

    from tests.support.newsroom import Newsroom

    Newsroom(session).verdict(uuid.UUID(seeded.unreviewed), "half-true", "Partly.")
    [block] = JSON_LD.findall(client.get(f"/claims/{seeded.unreviewed}").text)  # before any projection
    assert json.loads(block)["reviewRating"]["ratingValue"] == 0.5


def _hrefs(page: str, pattern: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(f'href="({pattern}[^"]*)"', page)]


def test_a_timeline_page_links_its_exports_and_feeds(client, seeded):
    page = client.get("/timelines/topic/exports?status=active").text
    alternates = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page)
    assert [html.unescape(href) for href in alternates] == ["/feeds/timeline.atom?kind=topic&key=exports",
                                                            "/feeds/corrections.atom"]
    [timelinejs, by_speaker] = _hrefs(page, "/exports/timelinejs.json")
    assert "kind=topic" in timelinejs and "key=exports" in timelinejs and "status=active" in timelinejs
    document = client.get(timelinejs).get_json()
    assert [event["group"] for event in document["events"]] == ["Reuters"]
    assert client.get(by_speaker).get_json()["events"][0]["group"] == "Nick Brown"
    [csv_link] = _hrefs(page, "/exports/claims.csv")
    download = client.get(csv_link)
    assert download.status_code == 200 and download.content_type == "text/csv; charset=utf-8"
    assert download.get_data().decode().count("\r\n") == 2  # the header and the one claim
    [ndjson_link] = _hrefs(page, "/exports/claims.ndjson")
    assert client.get(ndjson_link).mimetype == "application/x-ndjson"
    for feed in _hrefs(page, "/feeds/"):
        response = client.get(feed)
        assert response.status_code == 200 and response.mimetype == "application/atom+xml", feed
        ET.fromstring(response.data)


def test_the_all_claims_page_links_the_whole_log(client, seeded):
    page = client.get("/timeline").text
    assert _hrefs(page, "/exports/claims.csv") == ["/exports/claims.csv"]
    assert _hrefs(page, "/feeds/timeline.atom") == ["/feeds/timeline.atom", "/feeds/timeline.atom"]


def test_export_routes_need_a_sign_in_and_valid_parameters(client, seeded, app):
    assert client.get("/exports/timelinejs.json?kind=outlet&key=nobody").status_code == 404
    assert client.get("/exports/claims.csv?kind=topic").status_code == 400
    anonymous = app.test_client()
    response = anonymous.get("/feeds/corrections.atom")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
