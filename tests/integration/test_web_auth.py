"""Signing in and out of the web app: sessions, the throttle, CSRF on every form, roles."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factlog.accounts import throttle
from tests.support.web import PASSWORD, csrf_token, make_user, sign_in


@pytest.fixture
def editor(db):
    return make_user(db, "editor")


def test_pages_send_visitors_to_sign_in_first(client):
    response = client.get("/timeline?status=active")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert client.get("/login").status_code == 200


def test_signing_in_opens_a_session_that_signing_out_closes(client, editor):
    response = sign_in(client, editor)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "Sign out" in home.text
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    client.post("/logout", data={"csrf_token": csrf_token(home.text)})
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, editor):
    response = sign_in(client, editor, "not the password")
    assert response.status_code == 401
    assert "do not match an account" in response.text
    assert sign_in(client, "nobody@example.org").status_code == 401


def test_after_sign_in_the_editor_returns_to_the_page_asked_for_but_never_to_another_site(client, editor):
    page = client.get("/login")
    response = client.post("/login", data={"email": editor, "password": PASSWORD,
                                           "next": "/timeline?status=active",
                                           "csrf_token": csrf_token(page.text)})
    assert response.headers["Location"] == "/timeline?status=active"
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        page = client.get("/login")
        response = client.post("/login", data={"email": editor, "password": PASSWORD, "next": target,
                                               "csrf_token": csrf_token(page.text)})
        assert response.headers["Location"] == "/"
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})


def test_five_failures_lock_the_email_out_for_a_while_even_with_the_right_password(client, db, editor):
    for _ in range(throttle.MAX_FAILURES):
        assert sign_in(client, editor, "wrong password").status_code == 401
    locked = sign_in(client, editor)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text and "Try again at" in locked.text
    assert sign_in(client, make_user(db, "fact_checker")).status_code == 302  # other accounts: unaffected


def test_the_lockout_ends_when_the_failures_leave_the_window(session):
    key = throttle.throttle_key("ed@example.org", "127.0.0.1")
    long_ago = datetime.now(UTC) - throttle.WINDOW - timedelta(minutes=1)
    for _ in range(throttle.MAX_FAILURES):
        throttle.record_failure(session, key, now=long_ago)
    assert throttle.lockout(session, key) is None
    for _ in range(throttle.MAX_FAILURES):
        throttle.record_failure(session, key)
    locked = throttle.lockout(session, key)
    assert locked is not None and 14 <= locked.minutes_left() <= 15
    throttle.clear_failures(session, key)
    assert throttle.lockout(session, key) is None
    session.rollback()


def test_a_form_without_this_sessions_csrf_token_is_refused(client, editor):
    assert client.post("/login", data={"email": editor, "password": PASSWORD}).status_code == 400
    sign_in(client, editor)
    refused = client.post("/claims/new", data={"summary": "x", "csrf_token": "forged"})
    assert refused.status_code == 400 and "did not come from factlog" in refused.text
    assert client.post("/logout").status_code == 400


def test_the_csrf_token_changes_when_someone_signs_in(client, editor):
    before = csrf_token(client.get("/login").text)
    sign_in(client, editor)
    assert csrf_token(client.get("/").text) != before


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_the_throttle_keys_on_the_forwarded_address_only_behind_trusted_proxies(app, editor, trusted_proxies):
    from factlog import create_app
    from factlog.database import get_database

    behind_proxy = create_app({**app.config, "TRUSTED_PROXIES": trusted_proxies})
    attacker, colleague = behind_proxy.test_client(), behind_proxy.test_client()

    def sign_in_from(client, address, password):
        page = client.get("/login", headers={"X-Forwarded-For": address})
        return client.post("/login", headers={"X-Forwarded-For": address},
                           data={"email": editor, "password": password, "csrf_token": csrf_token(page.text)})

    for _ in range(throttle.MAX_FAILURES):
        assert sign_in_from(attacker, "203.0.113.9", "wrong").status_code == 401
    # Behind a trusted proxy the attacker's address is locked out, not the colleague's; without one the
    # header is ignored (anyone could forge it) and both share the proxy's address.
    response = sign_in_from(colleague, "198.51.100.7", PASSWORD)
    get_database(behind_proxy).dispose()
    assert response.status_code == (302 if trusted_proxies else 429)
