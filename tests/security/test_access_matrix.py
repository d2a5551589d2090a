"""Who may use what: every route of the app (read from its url_map, so a new endpoint cannot be missed) x
every kind of caller, against the access documented in docs/api.md and docs/web.md. A route with no
documented rule fails the test; so does any answer other than the documented one. Every answer also carries
the security headers."""
from __future__ import annotations

import re

import pytest

from factlog.security_headers import HEADERS
from tests.support import figures
from tests.support.web import make_user, sign_in

# The documented access of every route: (method, rule) -> "anyone" or the permission it needs.
# Permissions: read, write (record and change claims and sources), verdict, admin.
ACCESS = {
    # operations and the API's own documentation
    ("GET", "/healthz"): "anyone", ("GET", "/readyz"): "anyone", ("GET", "/metrics"): "anyone",
    ("GET", "/projections/status"): "anyone", ("GET", "/static/<path:filename>"): "anyone",
    ("GET", "/api/v1/openapi.json"): "anyone", ("GET", "/api/v1/docs"): "anyone",
    ("GET", "/api/v1/docs/init.js"): "anyone", ("GET", "/api/v1/docs/assets/<name>"): "anyone",
    # the JSON API (bearer tokens)
    ("GET", "/api/v1/events"): "read",
    ("GET", "/api/v1/log/tree-heads"): "read", ("GET", "/api/v1/log/public-key"): "read",
    ("GET", "/api/v1/log/proofs/inclusion"): "read", ("GET", "/api/v1/log/proofs/consistency"): "read",
    ("GET", "/api/v1/sources"): "read", ("POST", "/api/v1/sources"): "write",
    ("GET", "/api/v1/sources/<uuid:source_id>"): "read",
    ("POST", "/api/v1/sources/<uuid:source_id>/aliases"): "write",
    ("POST", "/api/v1/sources/<uuid:source_id>/merge"): "write",
    ("POST", "/api/v1/claims"): "write",
    ("POST", "/api/v1/extract"): "write",
    ("GET", "/api/v1/claims/<uuid:claim_id>"): "read",
    ("GET", "/api/v1/claims/<uuid:claim_id>/events"): "read",
    ("GET", "/api/v1/claims/<uuid:claim_id>/changes"): "read",
    ("POST", "/api/v1/claims/<uuid:claim_id>/reports"): "write",
    ("POST", "/api/v1/claims/<uuid:claim_id>/corrections"): "write",
    ("POST", "/api/v1/claims/<uuid:claim_id>/retraction"): "write",
    ("POST", "/api/v1/claims/<uuid:claim_id>/links"): "write",
    ("POST", "/api/v1/claims/<uuid:claim_id>/verdicts"): "verdict",
    ("GET", "/api/v1/claims/<uuid:claim_id>/attribution"): "read",
    ("GET", "/api/v1/claims/<uuid:claim_id>/links"): "read",
    ("GET", "/api/v1/outlets/<uuid:source_id>/attribution"): "read",
    ("GET", "/api/v1/speakers/<uuid:source_id>/attribution"): "read",
    ("GET", "/api/v1/timeline"): "read",
    ("GET", "/api/v1/timelines/<any(topic,speaker,outlet):kind>"): "read",
    ("GET", "/api/v1/timelines/<any(topic,speaker,outlet):kind>/<string:key>"): "read",
    ("GET", "/api/v1/search"): "read", ("GET", "/api/v1/projections/status"): "read",
    ("GET", "/api/v1/users"): "admin", ("POST", "/api/v1/users"): "admin",
    ("GET", "/api/v1/tokens"): "read", ("DELETE", "/api/v1/tokens/<int:token_id>"): "read",
    ("GET", "/api/v1/claims/<uuid:claim_id>/claimreview"): "read", ("GET", "/api/v1/claimreviews"): "read",
    ("GET", "/api/v1/exports/claims.csv"): "read", ("GET", "/api/v1/exports/claims.ndjson"): "read",
    ("GET", "/api/v1/exports/timelinejs"): "read",
    ("GET", "/api/v1/feeds/corrections.atom"): "read", ("GET", "/api/v1/feeds/timeline.atom"): "read",
    ("POST", "/api/v1/imports/claims"): "write",
    ("GET", "/api/v1/webhooks"): "write", ("POST", "/api/v1/webhooks"): "write",
    ("GET", "/api/v1/webhooks/<int:subscription_id>"): "write",
    ("DELETE", "/api/v1/webhooks/<int:subscription_id>"): "write",
    ("POST", "/api/v1/webhooks/<int:subscription_id>/enable"): "write",
    ("GET", "/api/v1/webhooks/<int:subscription_id>/deliveries"): "write",
    # the web pages (a signed-in session)
    ("GET", "/login"): "anyone", ("POST", "/login"): "anyone", ("POST", "/logout"): "anyone",
    ("GET", "/"): "read", ("GET", "/timeline"): "read",
    ("GET", "/timelines/<any(topic,speaker,outlet):kind>"): "read",
    ("GET", "/timelines/<any(topic,speaker,outlet):kind>/<path:key>"): "read",
    ("GET", "/claims/<uuid:claim_id>"): "read",
    ("GET", "/claims/<uuid:claim_id>/changes"): "read", ("GET", "/claims/<uuid:claim_id>/proof"): "read",
    ("GET", "/claims/new"): "write", ("POST", "/claims/new"): "write",
    ("GET", "/claims/from-article"): "write", ("POST", "/claims/from-article"): "write",
    ("POST", "/claims/<uuid:claim_id>/reports"): "write", ("POST", "/claims/<uuid:claim_id>/retraction"): "write",
    ("POST", "/claims/<uuid:claim_id>/links"): "write",
    ("GET", "/claims/<uuid:claim_id>/corrections"): "write", ("POST", "/claims/<uuid:claim_id>/corrections"): "write",
    ("POST", "/claims/<uuid:claim_id>/verdicts"): "verdict",
    ("GET", "/outlets/<uuid:source_id>"): "read", ("GET", "/speakers/<uuid:source_id>"): "read",
    ("GET", "/search"): "read", ("GET", "/sources/suggest"): "read",
    ("GET", "/exports/claims.csv"): "read", ("GET", "/exports/claims.ndjson"): "read",
    ("GET", "/exports/timelinejs.json"): "read",
    ("GET", "/feeds/corrections.atom"): "read", ("GET", "/feeds/timeline.atom"): "read",
    ("GET", "/imports/csv"): "write", ("POST", "/imports/csv"): "write",
    ("GET", "/webhooks"): "admin", ("GET", "/webhooks/new"): "admin", ("POST", "/webhooks/new"): "admin",
    ("GET", "/webhooks/<int:subscription_id>"): "admin",
    ("POST", "/webhooks/<int:subscription_id>/enable"): "admin",
    ("POST", "/webhooks/<int:subscription_id>/delete"): "admin",
}

# What each caller is granted: the API goes by the bearer token, pages by the signed-in session. A token
# opens no page, and a session cookie opens no API endpoint.
CALLERS = {
    #                 API token                      web session
    "anonymous":    (set(), set()),
    "read token":   ({"read"}, set()),
    "write token":  ({"read", "write"}, set()),
    "editor":       (set(), {"read", "write"}),
    "fact-checker": ({"read", "write", "verdict"}, {"read", "write", "verdict"}),
    "admin":        ({"read", "write", "verdict", "admin"}, {"read", "write", "verdict", "admin"}),
}
TOKEN_OF = {"read token": ("editor", "read"), "write token": ("editor", "write"),
            "fact-checker": ("fact_checker", "write"), "admin": ("admin", "write")}
SESSION_OF = {"editor": "editor", "fact-checker": "fact_checker", "admin": "admin"}


def routes(app) -> list[tuple[str, str, str]]:
    """(method, rule, endpoint) for every route; /logout last, since it ends the session."""
    found = [(method, rule.rule, rule.endpoint) for rule in app.url_map.iter_rules()
             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(found, key=lambda route: (route[1] == "/logout", route[1], route[0]))


def is_api(rule: str, endpoint: str) -> bool:
    return rule.startswith("/api/") and ACCESS.get(("GET", rule)) != "anyone" and \
        ACCESS.get(("POST", rule)) != "anyone"


def test_every_route_has_a_documented_access_rule(app):
    missing = [f"{method} {rule}" for method, rule, _ in routes(app) if (method, rule) not in ACCESS]
    assert missing == [], ("routes with no documented access rule (add them to docs/api.md or docs/web.md "
                           f"and to ACCESS here): {missing}")


def _url(rule: str, newsroom) -> str:
    samples = {"claim_id": newsroom.claim_id, "source_id": newsroom.outlet_id, "kind": "topic", "key": "x",
               "name": "swagger-ui.css", "filename": "factlog.css", "token_id": "999999"}

    def fill(match: re.Match) -> str:
        converter, name = (match[1] or "string"), match[2]
        if name in samples:
            return samples[name]
        if converter == "uuid":
            return newsroom.claim_id
        return "999999" if converter == "int" else "x"

    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?(\w+)>", fill, rule)


@pytest.fixture
def callers(app, db, newsroom, make_token):
    """A test client per caller, holding its token header and, for signed-in callers, its session."""
    clients = {}
    for name in CALLERS:
        client = app.test_client()
        headers = {}
        if name in TOKEN_OF:
            role, scope = TOKEN_OF[name]
            email = name.replace(" ", "-") + "-api@example.org"
            headers = {"Authorization": f"Bearer {make_token(role, scope, email=email)}"}
        if name in SESSION_OF:
            response = sign_in(client, make_user(db, SESSION_OF[name]))
            assert response.status_code == 302
        clients[name] = (client, headers)
    return clients


def _call(client, headers, method: str, url: str, api: bool):
    if method == "GET":
        return client.get(url, headers=headers)
    if api:
        return client.open(url, method=method, json={}, headers=headers)
    client.get("/login")  # gives an anonymous visitor a session, and so a token
    with client.session_transaction() as session:
        token = session.get("csrf_token", "")
    return client.open(url, method=method, data={"csrf_token": token}, headers=headers)


def _refused(response, api: bool, signed_in: bool) -> str | None:
    """How the answer refused the caller ("401", "403", "sign-in"), or None when it let them through."""
    if response.status_code in (401, 403):
        return str(response.status_code)
    if not api and response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "sign-in"
    return None


def test_every_caller_gets_exactly_the_documented_access_to_every_route(app, newsroom, callers):
    wrong = []
    for method, rule, endpoint in routes(app):
        needed = ACCESS[(method, rule)]
        url, api = _url(rule, newsroom), is_api(rule, endpoint)
        for name, (client, headers) in callers.items():
            granted = CALLERS[name][0 if api else 1]
            response = _call(client, headers, method, url, api)
            response.close()  # a streamed export is not read further
            figures.add("security checks")
            assert response.status_code < 500, f"{method} {url} as {name}: {response.status_code}"
            missing_headers = [header for header in HEADERS if header not in response.headers]
            assert "Content-Security-Policy" in response.headers and not missing_headers, (method, url)
            refused = _refused(response, api, bool(CALLERS[name][1]))
            allowed = needed == "anyone" or needed in granted
            # Signing in and out answer with the sign-in page (a wrong password: 401) whoever asks.
            if allowed and refused and rule not in ("/login", "/logout"):
                wrong.append(f"{method} {url} as {name}: refused ({refused}), documented: {needed}")
            if not allowed:
                expected = ("401" if not granted else "403") if api else ("sign-in" if not granted else "403")
                if refused != expected:
                    wrong.append(f"{method} {url} as {name}: {response.status_code}, expected {expected}")
                if api:
                    assert response.mimetype == "application/problem+json", (method, url, name)
    assert wrong == []
