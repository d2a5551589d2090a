"""Every state-changing web route (read from the url_map) refuses a missing, forged or borrowed CSRF token
and writes nothing; the session cookie is Secure, HttpOnly and SameSite=Lax under the production config."""
from __future__ import annotations

import re

from factlog import config, create_app
from factlog.database import get_database
from tests.security.conftest import count_events
from tests.security.test_access_matrix import _url
from tests.support import figures
from tests.support.web import PASSWORD, csrf_token, form, make_user, sign_in

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def web_writes(app) -> list[tuple[str, str]]:
    return sorted((method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("web.")
                  for method in rule.methods & STATE_CHANGING)


def test_every_form_post_without_this_sessions_token_is_refused_and_writes_nothing(app, db, client, newsroom):
    writes = web_writes(app)
    assert ("POST", "/claims/new") in writes and ("POST", "/logout") in writes and len(writes) >= 8
    admin = make_user(db, "admin")
    sign_in(client, admin)
    other = app.test_client()
    sign_in(other, make_user(db, "editor"))
    borrowed = csrf_token(other.get("/claims/new").text)
    before = count_events(app)
    for method, rule in writes:
        url = _url(rule, newsroom)
        fields = {"summary": "Forged", "reason": "forged", "rating": "false", "explanation": "x"}
        for token in (None, "", "forged-token", borrowed):
            data = fields if token is None else {**fields, "csrf_token": token}
            response = client.open(url, method=method, data=data)
            assert response.status_code == 400, (method, url, token, response.status_code)
            assert "did not come from factlog" in response.text
            figures.add("security checks")
        header = client.open(url, method=method, data=fields, headers={"X-CSRF-Token": borrowed})
        assert header.status_code == 400, (method, url)
    assert count_events(app) == before
    assert client.get("/").status_code == 200  # still signed in: the refused logout did nothing


def test_the_same_form_with_the_sessions_own_token_goes_through(app, client, db, newsroom):
    sign_in(client, make_user(db, "editor"))
    page = client.get(f"/claims/{newsroom.claim_id}")
    retract = form(page.text, "/retraction")
    before = count_events(app)
    response = client.post(retract.action, data=retract.with_values(reason="Forged quote."))
    assert response.status_code == 303 and count_events(app) == before + 1


def test_production_session_cookies_are_secure_httponly_and_lax(database_url, tmp_path):
    settings = config.from_environment(tmp_path, {
        "FACTLOG_ENV": "production", "FACTLOG_SECRET_KEY": "s" * 40, "FACTLOG_DATABASE_URL": database_url,
        "FACTLOG_LOG_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "FACTLOG_ALLOW_SQLITE_IN_PRODUCTION": "1", "FACTLOG_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'b.sqlite'}"})
    assert (settings["SESSION_COOKIE_SECURE"], settings["SESSION_COOKIE_HTTPONLY"],
            settings["SESSION_COOKIE_SAMESITE"]) == (True, True, "Lax")
    app = create_app({**settings, "TESTING": True})
    try:
        client = app.test_client()
        email = make_user(get_database(app), "editor")
        page = client.get("/login", base_url="https://factlog.example")
        response = client.post("/login", base_url="https://factlog.example", data={
            "email": email, "password": PASSWORD, "csrf_token": csrf_token(page.text)})
        assert response.status_code == 302
        cookie = response.headers["Set-Cookie"]
        assert re.search(r"; Secure", cookie) and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie, cookie
        figures.add("security checks", 3)
    finally:
        get_database(app).dispose()
