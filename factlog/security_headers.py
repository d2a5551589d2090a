"""Security headers on every response: a Content-Security-Policy without inline script, nosniff, no framing.

Pages carry no inline ``<script>`` and no ``style=`` attribute (docs/web.md), so the policy allows only
factlog's own files. The Swagger UI page (factlog/api/docs.py) is the one exception: its bundled stylesheet
draws icons as ``data:`` images, so its policy also allows ``img-src data:``, and still no script but
factlog's own (tests/browser/test_content_security_policy.py watches for violations).
"""
from __future__ import annotations

from functools import cache

from flask import Flask, Response, request

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# Swagger UI (served from the installed bundle by the api_docs blueprint).
API_DOCS_POLICY = {**POLICY, "img-src": "'self' data:"}
API_DOCS_BLUEPRINT = "api_docs"

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def content_security_policy(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


@cache
def _headers(api_docs: bool) -> tuple[tuple[str, str, str], ...]:
    """(lower-cased name, name, value) of every header, the policy first."""
    policy = content_security_policy(API_DOCS_POLICY if api_docs else POLICY)
    return tuple((name.lower(), name, value)
                 for name, value in {"Content-Security-Policy": policy, **HEADERS}.items())


def api_headers() -> list[tuple[str, str]]:
    """The headers every response but the Swagger UI page gets, as (name, value)."""
    return [(name, value) for _, name, value in _headers(False)]


def _add_headers(response: Response) -> Response:
    """Each header the response does not set itself (one pass over its headers, not one per header)."""
    present = {name.lower() for name in response.headers.keys()}
    for lowered, name, value in _headers(request.blueprint == API_DOCS_BLUEPRINT):
        if lowered not in present:
            response.headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response the app sends, errors and static files included."""
    app.after_request(_add_headers)
