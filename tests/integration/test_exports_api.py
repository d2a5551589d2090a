"""The export endpoints under /api/v1 on the seed digest (plus verdicts, pages, a correction, a retraction),
on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from factlog.readmodels.timelines import timeline_claims
from tests.conftest import bearer
from tests.support.claimreview import problems
from tests.support.exports import FORMULA_SUMMARY, HOSTILE_QUOTE, seed

NS = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def seeded(db, session):
    return seed(db, session)


@pytest.fixture
def auth(make_token):
    return bearer(make_token(role="editor", scope="read"))


def test_a_reviewed_claim_has_a_claimreview_google_accepts(client, seeded, auth):
    response = client.get(f"/api/v1/claims/{seeded.with_pages}/claimreview", headers=auth)
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    review = response.get_json(force=True)
    assert problems(review, need_appearance=True) == []
    assert review["url"] == f"http://localhost/claims/{seeded.with_pages}"
    assert review["reviewRating"]["alternateName"] == "Mostly true"
    assert review["itemReviewed"]["author"]["name"] == "Nick Brown"
    assert review["itemReviewed"]["firstAppearance"]["publisher"]["name"] == "The New York Times"
    again = client.get(f"/api/v1/claims/{seeded.with_pages}/claimreview",
                       headers={**auth, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_unknown_and_unreviewed_claims_have_no_claimreview(client, seeded, auth):
    missing = client.get("/api/v1/claims/00000000-0000-0000-0000-000000000000/claimreview", headers=auth)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    unreviewed = client.get(f"/api/v1/claims/{seeded.unreviewed}/claimreview", headers=auth)
    assert unreviewed.status_code == 404 and "no verdict" in unreviewed.get_json()["detail"]
    assert client.get(f"/api/v1/claims/{seeded.with_pages}/claimreview").status_code == 401


def test_the_claimreview_list_has_only_reviewed_claims_page_by_page(client, seeded, auth):
    urls, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/claimreviews", query_string=query, headers=auth)
        assert response.status_code == 200
        page = response.get_json()
        for review in page["claim_reviews"]:
            assert problems(review) == []
        urls += [review["url"] for review in page["claim_reviews"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(urls) == sorted(f"http://localhost/claims/{claim_id}" for claim_id in seeded.reviewed)
    bad = client.get("/api/v1/claimreviews?cursor=nonsense", headers=auth)
    assert bad.status_code == 400


def test_timelinejs_for_a_topic_grouped_by_speaker(client, seeded, auth):
    response = client.get("/api/v1/exports/timelinejs?kind=topic&key=exports&group=speaker", headers=auth)
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    [event] = document["events"]
    assert event["start_date"] == {"year": 2024, "month": 11} and event["display_date"] == "November 2024"
    assert event["group"] == "Nick Brown" and event["media"]["credit"] == "Reuters"
    assert "<script>" not in json.dumps(document)
    everything = client.get("/api/v1/exports/timelinejs", headers=auth).get_json()
    assert len(everything["events"]) + everything["undated"] > 40
    assert client.get("/api/v1/exports/timelinejs?kind=speaker&key=nobody", headers=auth).status_code == 404
    assert client.get("/api/v1/exports/timelinejs?kind=topic", headers=auth).status_code == 422
    assert client.get("/api/v1/exports/timelinejs?group=topic", headers=auth).status_code == 422


def test_the_csv_export_streams_every_claim_safely(client, seeded, auth, session):
    response = client.get("/api/v1/exports/claims.csv", headers=auth)
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.is_streamed and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8"))))
    every_claim = session.execute(sa.select(sa.func.count()).select_from(timeline_claims)).scalar_one()
    session.rollback()
    assert len(rows) == every_claim > 40  # the seed's claims and the hostile one, each once
    assert len({row["claim_id"] for row in rows}) == len(rows)
    hostile = next(row for row in rows if row["claim_id"] == seeded.hostile)
    assert hostile["summary"] == "'" + FORMULA_SUMMARY and hostile["role"] == "'-analyst"
    assert hostile["quote"] == HOSTILE_QUOTE and hostile["verdict"] == "false"
    retracted = next(row for row in rows if row["claim_id"] == seeded.retracted)
    assert retracted["retracted"] == "true" and retracted["status"] == "retracted"
    brown = next(row for row in rows if row["claim_id"] == seeded.with_pages)
    assert brown["chain"].startswith("QiOSK quoting The New York Times citing Nick Brown")
    filtered = client.get("/api/v1/exports/claims.csv?status=retracted", headers=auth).get_data().decode()
    assert [row["claim_id"] for row in csv.DictReader(io.StringIO(filtered))] == [seeded.retracted]


def test_the_ndjson_export_filters_like_the_timelines(client, seeded, auth):
    reuters = seeded.sources["Reuters"]
    response = client.get(f"/api/v1/exports/claims.ndjson?kind=outlet&key={reuters}", headers=auth)
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data().splitlines()]
    # Reuters' timeline as an outlet: the IRGC's warning it reported and the hostile claim (its own three
    # claims are on its speaker timeline).
    assert {line["claim_id"] for line in lines} == {seeded.hostile, seeded.retracted}
    assert all(any(outlet["id"] == reuters for outlet in line["outlets"]) for line in lines)
    assert {line["first_outlet"]["name"] for line in lines} == {"Reuters"}


def test_atom_feeds_of_a_timeline_and_of_corrections(client, seeded, auth):
    response = client.get("/api/v1/feeds/timeline.atom?kind=topic&key=exports", headers=auth)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert b"<script>" not in response.data
    [entry] = ET.fromstring(response.data).findall("a:entry", NS)
    assert entry.find("a:id", NS).text == f"urn:uuid:{seeded.hostile}"
    assert entry.find("a:link", NS).get("href") == f"http://localhost/claims/{seeded.hostile}"
    assert HOSTILE_QUOTE in entry.find("a:content", NS).text
    cached = client.get("/api/v1/feeds/timeline.atom?kind=topic&key=exports",
                        headers={**auth, "If-None-Match": response.headers["ETag"]})
    assert cached.status_code == 304
    corrections = ET.fromstring(client.get("/api/v1/feeds/corrections.atom", headers=auth).data)
    titles = [entry.find("a:title", NS).text for entry in corrections.findall("a:entry", NS)]
    assert [title.split(":")[0] for title in titles] == ["Retracted", "Corrected (summary)"]


def test_the_openapi_document_names_each_media_type(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    media = {path: list(paths[path]["get"]["responses"]["200"]["content"]) for path in paths
             if path.startswith(("/api/v1/exports", "/api/v1/feeds", "/api/v1/claimreviews"))
             or path.endswith("/claimreview")}
    assert media == {
        "/api/v1/claims/{claim_id}/claimreview": ["application/ld+json"],
        "/api/v1/claimreviews": ["application/json"],
        "/api/v1/exports/timelinejs": ["application/json"],
        "/api/v1/exports/claims.csv": ["text/csv"],
        "/api/v1/exports/claims.ndjson": ["application/x-ndjson"],
        "/api/v1/feeds/timeline.atom": ["application/atom+xml"],
        "/api/v1/feeds/corrections.atom": ["application/atom+xml"],
    }
