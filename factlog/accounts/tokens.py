"""API tokens: shown once when created, stored only as a SHA-256 hash, revocable at once."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.accounts.tables import SCOPES, api_tokens, users
from factlog.accounts.users import AccountError, User, find_user
from factlog.hot_statements import HotStatement

TOKEN_PREFIX = "flk_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    user_email: str
    name: str
    scope: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class Grant:
    """Who is calling with a token and what the token allows."""

    user: User
    scope: str
    token_id: int
    # Whether resolving the token stamped its last use (a write the caller must commit).
    stamped: bool = False

    def can(self, permission: str) -> bool:
        if permission != "read" and self.scope != "write":
            return False
        return self.user.can(permission)


def token_hash(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, email: str, scope: str, name: str = "") -> tuple[TokenInfo, str]:
    """Create a token for the user; returns its description and the secret, which is never stored."""
    if scope not in SCOPES:
        raise AccountError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    user = find_user(session, email)
    if user is None:
        raise AccountError(f"no user with email {email}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = session.execute(
        sa.insert(api_tokens)
        .values(user_id=user.id, name=name or f"{scope} token", scope=scope, token_hash=token_hash(secret),
                prefix=secret[:12])
        .returning(api_tokens.c.id, api_tokens.c.created_at)
    ).one()
    return TokenInfo(row.id, user.email, name or f"{scope} token", scope, secret[:12], _utc(row.created_at), None,
                     None), secret


def grant_query() -> sa.Select:
    """The live token with this hash (parameter ``token_hash``) and its enabled user: the columns
    ``grant_from_row`` takes, in its order."""
    return (sa.select(api_tokens.c.id, api_tokens.c.scope, api_tokens.c.last_used_at, users.c.id.label("user_id"),
                      users.c.email, users.c.name, users.c.role)
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(api_tokens.c.token_hash == sa.bindparam("token_hash"), api_tokens.c.revoked_at.is_(None),
                   users.c.disabled_at.is_(None)))


_GRANT = HotStatement(grant_query)  # every API request runs it: built once, run on the driver


def grant_from_row(row: Sequence[Any], now: datetime | None = None) -> tuple[Grant, bool]:
    """The grant in a row of ``grant_query``, and whether the token's last use is due to be stamped."""
    token_id, scope, last_used_at, user_id, email, name, role = row
    last_used = last_used_at and _utc(last_used_at)
    due = last_used is None or (now or datetime.now(UTC)) - last_used > LAST_USED_RESOLUTION
    return Grant(User(user_id, email, name, role), scope, token_id, due), due


def resolve_token(session: Session, secret: str) -> Grant | None:
    """The grant behind a live token, or None for an unknown or revoked one.

    Records the token's last use (to the minute, so that reads do not each write); the caller commits.
    """
    row = _GRANT.first(session, {"token_hash": token_hash(secret)})
    if row is None:
        return None
    now = datetime.now(UTC)
    grant, due = grant_from_row(row, now)
    if due:
        session.execute(sa.update(api_tokens).where(api_tokens.c.id == grant.token_id)
                        .values(last_used_at=now))
    return grant


def list_tokens(session: Session, email: str | None = None) -> list[TokenInfo]:
    query = (sa.select(api_tokens.c.id, users.c.email, api_tokens.c.name, api_tokens.c.scope, api_tokens.c.prefix,
                       api_tokens.c.created_at, api_tokens.c.last_used_at, api_tokens.c.revoked_at)
             .join(users, users.c.id == api_tokens.c.user_id).order_by(api_tokens.c.id))
    if email:
        query = query.where(users.c.email == email.strip().lower())
    return [TokenInfo(*[_utc(value) if isinstance(value, datetime) else value for value in row])
            for row in session.execute(query)]


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def revoke_token(session: Session, token_id: int) -> None:
    """Revoke a token; effective for the very next request."""
    updated = session.execute(
        sa.update(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    ).rowcount
    if not updated:
        raise AccountError(f"no live token with id {token_id}")
