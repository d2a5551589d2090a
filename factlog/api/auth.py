"""Bearer-token authentication for the API and the permission each endpoint needs."""
from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_smorest import abort

from factlog.accounts.tokens import Grant, resolve_token
from factlog.database import get_session
from factlog.words import role_name, with_article

BEARER_SCHEME = "bearerAuth"
SECURITY = [{BEARER_SCHEME: []}]


def current_grant() -> Grant:
    return g.api_grant


def _authenticate() -> Grant:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        abort(401, message="send an API token as 'Authorization: Bearer <token>'",
              headers={"WWW-Authenticate": 'Bearer realm="factlog"'})
    session = get_session()
    grant = resolve_token(session, secret.strip())
    if grant is not None and grant.stamped:
        session.commit()  # the last-use stamp (once a minute); otherwise the endpoint goes on in this transaction
    if grant is None:
        abort(401, message="the token is unknown or revoked",
              headers={"WWW-Authenticate": 'Bearer realm="factlog", error="invalid_token"'})
    return grant


def requires(permission: str):
    """Decorate an endpoint: a valid token whose user and scope allow ``permission`` (read, write, verdict,
    admin)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            grant = _authenticate()
            if not grant.can(permission):
                reason = ("this token has read scope only" if grant.scope != "write" and permission != "read"
                          else f"{with_article(role_name(grant.user.role))} may not do this ({permission} "
                               "needed)")
                abort(403, message=reason)
            g.api_grant = grant
            return view(*args, **kwargs)

        return wrapper

    return decorator
