"""Create, find and authenticate users. Passwords are hashed with scrypt (werkzeug.security)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from factlog.accounts.tables import ROLES, users

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Checked against when the email is unknown, so that a wrong email costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("factlog-timing-equalizer", method="scrypt")


class AccountError(ValueError):
    """A user or token request that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str

    @property
    def actor(self) -> str:
        """How events name this user in their metadata."""
        return self.email

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS[self.role]


# What each role may do; API tokens are further limited by their scope.
PERMISSIONS = {
    "editor": {"read", "write"},
    "fact_checker": {"read", "write", "verdict"},
    "admin": {"read", "write", "verdict", "admin"},
}


def create_user(session: Session, email: str, name: str, role: str, password: str | None = None) -> User:
    """Add a user; the caller commits."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise AccountError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not name.strip():
        raise AccountError("name must not be empty")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if find_user(session, email) is not None:
        raise AccountError(f"a user with email {email} already exists")
    password_hash = generate_password_hash(password, method="scrypt") if password else None
    user_id = session.execute(
        sa.insert(users).values(email=email, name=name.strip(), role=role, password_hash=password_hash)
        .returning(users.c.id)
    ).scalar_one()
    return User(user_id, email, name.strip(), role)


def find_user(session: Session, email: str) -> User | None:
    row = session.execute(
        sa.select(users.c.id, users.c.email, users.c.name, users.c.role)
        .where(users.c.email == email.strip().lower(), users.c.disabled_at.is_(None))
    ).first()
    return User(*row) if row else None


def get_user(session: Session, user_id: int) -> User | None:
    row = session.execute(
        sa.select(users.c.id, users.c.email, users.c.name, users.c.role)
        .where(users.c.id == user_id, users.c.disabled_at.is_(None))
    ).first()
    return User(*row) if row else None


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user whose email and password match, or None."""
    row = session.execute(
        sa.select(users.c.id, users.c.email, users.c.name, users.c.role, users.c.password_hash)
        .where(users.c.email == email.strip().lower(), users.c.disabled_at.is_(None))
    ).first()
    if row is None or row.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(row.password_hash, password):
        return None
    return User(row.id, row.email, row.name, row.role)


def list_users(session: Session) -> list[User]:
    rows = session.execute(
        sa.select(users.c.id, users.c.email, users.c.name, users.c.role)
        .where(users.c.disabled_at.is_(None)).order_by(users.c.email)
    )
    return [User(*row) for row in rows]


def set_password(session: Session, email: str, password: str) -> None:
    """Replace a user's password (hashed); the caller commits."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    updated = session.execute(
        sa.update(users).where(users.c.email == email.strip().lower(), users.c.disabled_at.is_(None))
        .values(password_hash=generate_password_hash(password, method="scrypt"))
    ).rowcount
    if not updated:
        raise AccountError(f"no user with email {email}")
