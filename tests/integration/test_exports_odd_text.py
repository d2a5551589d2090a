"""Exports of text that XML or an HTTP header cannot carry as is: a claim holding U+FFFF and control
characters, a topic named with one in the query, a key in Chinese; on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import bearer
from tests.support.web import make_user, project, sign_in

NS = {"a": "http://www.w3.org/2005/Atom"}
ODD = "Sirens\ufffe\uffff at dawn"  # accepted by the commands (not controls), refused by XML 1.0


@pytest.fixture
def reader(make_token):
    return bearer(make_token("editor", "read"))


@pytest.fixture
def editor(make_token):
    return bearer(make_token("editor", "write"))


def record(client, editor, speaker: str, **fields) -> str:
    body = {"summary": "Sirens were heard.", "speaker_id": speaker, "cue": "said", "said_on": "2024-11",
            "report": {"links": [{"source_id": speaker}]}, **fields}
    response = client.post("/api/v1/claims", json=body, headers=editor)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def odd_claim(client, editor, db, session):
    answer = client.post("/api/v1/sources", json={"kind": "person", "name": f"Ana {ODD}"}, headers=editor)
    speaker = answer.get_json()["id"]
    claim_id = record(client, editor, speaker, quote=ODD, topics=["odd"])
    retracted = record(client, editor, speaker, summary=f"Retracted: {ODD}", topics=["odd"])
    version = client.get(f"/api/v1/claims/{retracted}", headers=editor).get_json()["version"]
    answer = client.post(f"/api/v1/claims/{retracted}/retraction", headers=editor,
                         json={"reason": f"withdrawn {ODD}", "expected_version": version})
    assert answer.status_code == 200, answer.get_json()
    project(db, session)
    return claim_id


def test_feeds_of_claims_holding_characters_xml_cannot_hold_are_valid_atom(client, odd_claim, reader, db):
    for url in ("/api/v1/feeds/timeline.atom?kind=topic&key=odd", "/api/v1/feeds/corrections.atom"):
        response = client.get(url, headers=reader)
        assert response.status_code == 200, url
        entries = ET.fromstring(response.data).findall("a:entry", NS)
        assert entries and all("\ufffe" not in ET.tostring(entry, encoding="unicode") for entry in entries)
    timeline = ET.fromstring(client.get("/api/v1/feeds/timeline.atom?kind=topic&key=odd", headers=reader).data)
    assert any("Sirens\ufffd\ufffd at dawn" in entry.find("a:content", NS).text
               for entry in timeline.findall("a:entry", NS))
    make_user(db, "editor", "reader@example.org")
    sign_in(client, "reader@example.org")
    page = client.get("/feeds/timeline.atom?kind=topic&key=odd")
    assert page.status_code == 200 and ET.fromstring(page.data).findall("a:entry", NS)


def test_a_topic_named_with_a_control_character_has_a_valid_empty_feed(client, reader):
    response = client.get("/api/v1/feeds/timeline.atom?kind=topic&key=bell%07", headers=reader)
    assert response.status_code == 200
    assert ET.fromstring(response.data).find("a:title", NS).text.startswith("Bell\ufffd")  # the topic's label


def test_the_json_and_csv_exports_keep_the_characters_exactly(client, odd_claim, reader):
    lines = client.get("/api/v1/exports/claims.ndjson?kind=topic&key=odd", headers=reader).data.splitlines()
    assert ODD in [json.loads(line)["quote"] for line in lines]
    timeline = client.get("/api/v1/exports/timelinejs?kind=topic&key=odd", headers=reader).get_json()
    assert any("Sirens\ufffe\uffff at dawn" in event["text"]["text"] for event in timeline["events"])
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/exports/claims.csv?kind=topic&key=odd", headers=reader).data.decode("utf-8"))))
    assert ODD in [row["quote"] for row in rows]


@pytest.mark.parametrize("export", ["claims.csv", "claims.ndjson"])
def test_a_download_named_in_chinese_has_a_latin_1_header_and_the_utf_8_name(client, reader, export):
    response = client.get(f"/api/v1/exports/{export}?kind=topic&key=中文 税", headers=reader)
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what a WSGI server (gunicorn) does with every header value (PEP 3333)
    assert 'filename="factlog-topic-----' in header
    assert "filename*=UTF-8''factlog-topic-%E4%B8%AD%E6%96%87-%E7%A8%8E-" in header
