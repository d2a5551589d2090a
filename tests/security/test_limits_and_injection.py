"""Limits (docs/api.md "Limits") each answer 413/422 with a clear message; markup is shown as text everywhere;
SQL in any text field or filter is stored and searched verbatim; events cannot be changed in the database;
secrets are kept only as hashes."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from factlog.claims import schemas as claim_schemas
from factlog.database import get_database
from factlog.fields import URL_MAX_LENGTH
from factlog.input_guard import MAX_JSON_DEPTH
from factlog.sources import schemas as source_schemas
from tests.security.conftest import count_events
from tests.support import figures
from tests.support.web import make_user, project, sign_in


def _problem(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    text = response.get_data(as_text=True)
    assert all(word in text for word in words), text[:400]
    figures.add("security checks")
    return response.get_json()


def test_every_documented_limit_is_enforced_with_a_clear_message(app, client, newsroom):
    write, before = newsroom.tokens["write token"], count_events(app)
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    _problem(client.post("/api/v1/claims", data=big, content_type="application/json", headers=write), 413)
    link = {"source_id": newsroom.outlet_id}
    cases = {
        "quote": ("x" * (claim_schemas.QUOTE_MAX_LENGTH + 1), f"at most {claim_schemas.QUOTE_MAX_LENGTH}"),
        "summary": ("x" * (claim_schemas.SUMMARY_MAX_LENGTH + 1), str(claim_schemas.SUMMARY_MAX_LENGTH)),
        "note": ("x" * (claim_schemas.NOTE_MAX_LENGTH + 1), str(claim_schemas.NOTE_MAX_LENGTH)),
        "speaker_role": ("x" * (claim_schemas.ROLE_MAX_LENGTH + 1), str(claim_schemas.ROLE_MAX_LENGTH)),
        "topics": (["t"] * 1 + [f"t{i}" for i in range(claim_schemas.MAX_TOPICS)], f"{claim_schemas.MAX_TOPICS}"),
        "report": ({"links": [link] * (claim_schemas.MAX_CHAIN_LINKS + 1)}, f"1 to {claim_schemas.MAX_CHAIN_LINKS}"),
    }
    for field, (value, message) in cases.items():
        response = client.post("/api/v1/claims", json=newsroom.claim_body(**{field: value}), headers=write)
        _problem(response, 422, field, message)
    long_url = "https://example.org/" + "a" * URL_MAX_LENGTH
    body = newsroom.claim_body(report={"links": [{**link, "url": long_url}]})
    _problem(client.post("/api/v1/claims", json=body, headers=write), 422, "url")
    name = "x" * (source_schemas.NAME_MAX_LENGTH + 1)
    _problem(client.post("/api/v1/sources", json={"kind": "person", "name": name}, headers=write), 422, "name",
             str(source_schemas.NAME_MAX_LENGTH))
    verdict = {"rating": "x" * (claim_schemas.RATING_MAX_LENGTH + 1), "explanation": "e", "expected_version": 1}
    _problem(client.post(f"/api/v1/claims/{newsroom.claim_id}/verdicts", json=verdict,
                         headers=newsroom.tokens["fact-checker"]), 422, "rating")
    deep = {"summary": "s"}
    for _ in range(MAX_JSON_DEPTH + 1):
        deep = {"a": deep}
    _problem(client.post("/api/v1/claims", json=deep, headers=write), 422, f"deeper than {MAX_JSON_DEPTH}")
    read = newsroom.tokens["read token"]
    for path, largest in (("/api/v1/events", 1000), ("/api/v1/timeline", 200), ("/api/v1/search?q=a", 100),
                          ("/api/v1/sources?q=a", 100), (f"/api/v1/speakers/{newsroom.speaker_id}/attribution", 500)):
        joiner = "&" if "?" in path else "?"
        _problem(client.get(f"{path}{joiner}limit={largest + 1}", headers=read), 422, "limit",
                 f"less than or equal to {largest}")
        assert client.get(f"{path}{joiner}limit={largest}", headers=read).status_code in (200, 404)
    assert count_events(app) == before


MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = ["'; DROP TABLE events; --", "\" OR 1=1 --", "x' UNION SELECT password_hash FROM users --",
       "Robert'); DELETE FROM claims;--", "a%_\\", "NEAR(x y) OR \"* ^"]


def test_markup_in_names_quotes_and_urls_is_shown_as_text_everywhere(app, db, client, newsroom):
    write = newsroom.tokens["write token"]
    for url in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc"):
        body = newsroom.claim_body(report={"links": [{"source_id": newsroom.outlet_id, "url": url}]})
        _problem(client.post("/api/v1/claims", json=body, headers=write), 422, "Not a valid http or https URL")
        _problem(client.post("/api/v1/sources", json={"kind": "outlet", "name": "U", "url": url}, headers=write),
                 422, "url")
    outlet = client.post("/api/v1/sources", json={"kind": "outlet", "name": f"Outlet {MARKUP}"}, headers=write)
    body = newsroom.claim_body(summary=f"Summary {MARKUP}", quote=f"Quote {MARKUP}", topics=["xss"],
                               speaker_role=MARKUP, report={"links": [{
                                   "source_id": outlet.get_json()["id"], "headline": MARKUP,
                                   "url": 'https://example.org/"><script>alert(1)</script>'}]})
    claim_id = client.post("/api/v1/claims", json=body, headers=write).get_json()["id"]
    with db.session() as session:
        project(db, session)
    sign_in(client, make_user(db, "editor"))
    pages = [f"/claims/{claim_id}", "/timeline", "/timelines/topic/xss", "/search?q=Summary",
             f"/outlets/{outlet.get_json()['id']}", f"/speakers/{newsroom.speaker_id}", "/sources/suggest?q=Outlet"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        if response.mimetype == "application/json":  # data, never rendered: the browser may not sniff it
            assert response.headers["X-Content-Type-Options"] == "nosniff" and MARKUP in response.json[0]["name"]
        else:
            assert "<script>alert" not in response.text and "<img src=x" not in response.text, path
        figures.add("security checks")
    assert "&lt;script&gt;" in client.get(f"/claims/{claim_id}").text  # shown, as text (the SVG too)
    stored = client.get(f"/api/v1/claims/{claim_id}", headers=write)
    assert stored.mimetype == "application/json" and stored.get_json()["summary"] == f"Summary {MARKUP}"
    assert stored.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("text", SQL)
def test_sql_in_any_text_field_or_filter_is_stored_and_searched_verbatim(app, db, client, newsroom, text):
    write, read = newsroom.tokens["write token"], newsroom.tokens["read token"]
    source = client.post("/api/v1/sources", json={"kind": "person", "name": f"Sql {text}", "confirm_new": True,
                                                  "aliases": [f"alias {text}"], "description": text}, headers=write)
    assert source.status_code == 201, source.get_json()
    body = newsroom.claim_body(summary=f"Injected {text}", quote=text, note=text, speaker_role=text,
                               speaker_as_written=text, topics=[text[:60]])
    response = client.post("/api/v1/claims", json=body, headers=write)
    assert response.status_code == 201, response.get_json()
    claim = client.get(f"/api/v1/claims/{response.get_json()['id']}", headers=read).get_json()
    assert (claim["summary"], claim["quote"], claim["note"], claim["topics"]) == (
        f"Injected {text}", text, text, [text[:60]])
    with db.session() as session:
        project(db, session)
    hits = client.get("/api/v1/search", query_string={"q": f"Injected {text}"}, headers=read).get_json()
    assert [hit["id"] for hit in hits] == [claim["claim_id"]]
    for path, args in (("/api/v1/search", {"q": text}), ("/api/v1/sources", {"q": text}),
                       ("/api/v1/timeline", {"verdict": text[:60], "outlet": text}),
                       (f"/api/v1/timelines/topic/{text[:60]}", {}), ("/api/v1/events", {"stream": text})):
        assert client.get(path, query_string=args, headers=read).status_code in (200, 404)
    topic = client.get("/api/v1/timelines/topic", headers=read).get_json()
    assert text[:60] in [entry["key"] for entry in topic]
    assert client.get("/api/v1/events?limit=1", headers=read).status_code == 200  # the log is still there
    figures.add("security checks", 8)


def test_events_cannot_be_changed_from_a_second_connection_or_truncated(app, newsroom):
    engine, before = get_database(app).engine, count_events(app)
    other = sa.create_engine(engine.url)
    statements = ["UPDATE events SET data = data WHERE position = 1", "DELETE FROM events WHERE position = 1"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE events")
    try:
        for statement in statements:
            with other.connect() as connection:
                with pytest.raises(DBAPIError, match="append-only log"):
                    connection.exec_driver_sql(statement)
                    connection.commit()
            figures.add("security checks")
    finally:
        other.dispose()
    assert count_events(app) == before


def test_no_table_holds_a_password_or_token_in_the_clear(app, client, db, newsroom):
    password, admin = "a very secret passphrase", newsroom.tokens["admin"]
    client.post("/api/v1/users", json={"email": "new@example.org", "name": "New", "role": "editor",
                                       "password": password}, headers=admin)
    sign_in(app.test_client(), "new@example.org", "wrong " + password)  # a failure the throttle keeps
    secrets = [password, *(headers["Authorization"].split()[1] for headers in newsroom.tokens.values() if headers)]
    with db.session() as session:
        dump = [str(row) for table in sa.inspect(session.get_bind()).get_table_names()
                for row in session.execute(sa.text(f'SELECT * FROM "{table}"'))]
    assert dump and not [secret for secret in secrets if any(secret in row for row in dump)]
    figures.add("security checks", len(secrets))
