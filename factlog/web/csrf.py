"""A per-session CSRF token, put in every form and checked on every form post.

The token lives in the signed session cookie; forms carry it in a hidden ``csrf_token`` field and scripts
in the ``X-CSRF-Token`` header. The session cookie is also ``SameSite=Lax``: this is the second lock.
"""
from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

SESSION_KEY = "csrf_token"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def csrf_token() -> str:
    """This session's token, created on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def renew_token() -> None:
    """A fresh token after signing in or out, so a token seen before cannot be replayed."""
    session[SESSION_KEY] = secrets.token_urlsafe(32)


def check_form_token() -> None:
    """Refuse (400) a state-changing request whose token is missing or is not this session's."""
    if request.method in SAFE_METHODS:
        return
    expected = session.get(SESSION_KEY)
    sent = request.form.get(FORM_FIELD) or request.headers.get(HEADER) or ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(400, description="This form has expired or did not come from factlog. "
                               "Go back, reload the page and send the form again.")
