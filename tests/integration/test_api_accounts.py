"""Admins manage users over the API; everyone sees and revokes their own tokens."""
from tests.conftest import bearer


def test_an_admin_creates_users_and_others_may_not(client, make_token):
    admin = bearer(make_token("admin", "write"))
    body = {"email": "New@Example.org", "name": "New Editor", "role": "editor", "password": "long enough pass"}
    response = client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 201 and response.get_json()["email"] == "new@example.org"
    assert "password" not in response.get_json()
    assert client.post("/api/v1/users", json=body, headers=admin).status_code == 409
    assert client.post("/api/v1/users", json={**body, "role": "boss"}, headers=admin).status_code == 422
    editor = bearer(make_token("editor", "write"))
    assert client.post("/api/v1/users", json={**body, "email": "x@example.org"}, headers=editor).status_code == 403
    assert client.get("/api/v1/users", headers=editor).status_code == 403
    assert "new@example.org" in [u["email"] for u in client.get("/api/v1/users", headers=admin).get_json()]


def test_revoking_a_token_over_the_api_takes_effect_at_once(client, make_token):
    token = make_token("editor", "read")
    headers = bearer(token)
    listed = client.get("/api/v1/tokens", headers=headers).get_json()
    assert len(listed) == 1 and token.startswith(listed[0]["prefix"])
    assert client.delete(f"/api/v1/tokens/{listed[0]['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/tokens", headers=headers).status_code == 401


def test_nobody_revokes_someone_elses_token_but_an_admin(client, make_token):
    victim = make_token("editor", "read", email="victim@example.org")
    other = bearer(make_token("editor", "read", email="other@example.org"))
    victim_id = client.get("/api/v1/tokens", headers=bearer(victim)).get_json()[0]["id"]
    assert client.delete(f"/api/v1/tokens/{victim_id}", headers=other).status_code == 404
    admin = bearer(make_token("admin", "read"))
    assert client.delete(f"/api/v1/tokens/{victim_id}", headers=admin).status_code == 204


def test_a_refusal_names_the_role_with_its_article(client, make_token):
    editor = bearer(make_token("editor", "write"))
    refused = client.get("/api/v1/users", headers=editor)
    assert refused.status_code == 403
    assert refused.get_json()["detail"] == "an editor may not do this (admin needed)"
    checker = bearer(make_token("fact_checker", "write"))
    assert client.get("/api/v1/users", headers=checker).get_json()["detail"] == \
        "a fact-checker may not do this (admin needed)"
