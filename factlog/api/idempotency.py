"""``Idempotency-Key`` on API writes: a retry with the same key and body gets the original response.

Two layers make it safe: the command passes ``store_key()`` to the event store, whose unique key refuses a
second append under it (even when two retries race), and the first response is kept here so a retry gets
it back verbatim. The same key with a different request is a 422.
"""
from __future__ import annotations

import hashlib
from functools import wraps

import sqlalchemy as sa
from flask import Response, g, request
from flask_smorest import abort
from sqlalchemy.exc import IntegrityError

from factlog.api.auth import current_grant
from factlog.api.tables import idempotent_requests
from factlog.database import get_session

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
REPLAY_HEADER = "Idempotent-Replayed"


def store_key() -> str | None:
    """The key to give the event store for this request's append, or None without the header."""
    return g.get("idempotency_store_key")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.get_data(cache=True)):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def idempotent(view):
    """Decorate a write endpoint (after ``requires``) to honour the ``Idempotency-Key`` header."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            abort(400, message=f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters")
        user_id, fingerprint = current_grant().user.id, _fingerprint()
        stored = _stored(user_id, key)
        if stored is not None:
            return _replay(stored, fingerprint)
        g.idempotency_store_key = f"api:{user_id}:{key}"
        response = view(*args, **kwargs)
        if isinstance(response, Response) and 200 <= response.status_code < 300:
            _keep(user_id, key, fingerprint, response)
        return response

    return wrapper


def _stored(user_id: int, key: str):
    session = get_session()
    row = session.execute(sa.select(idempotent_requests).where(
        idempotent_requests.c.user_id == user_id, idempotent_requests.c.key == key)).first()
    session.rollback()
    return row


def _replay(stored, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        abort(422, message=f"this {HEADER} was already used for a different request; use a new key")
    response = Response(stored.body, status=stored.status, mimetype="application/json")
    response.headers[REPLAY_HEADER] = "true"
    return response


def _keep(user_id: int, key: str, fingerprint: str, response: Response) -> None:
    session = get_session()
    try:
        session.execute(sa.insert(idempotent_requests).values(
            user_id=user_id, key=key, fingerprint=fingerprint, status=response.status_code,
            body=response.get_data(as_text=True)))
        session.commit()
    except IntegrityError:
        session.rollback()  # a concurrent retry kept its response first; both carry the same append
