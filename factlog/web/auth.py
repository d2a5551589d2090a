"""Signing in and out: the session cookie holds the user's id; failed sign-ins are throttled.

``requires(permission)`` guards every page: no user means the sign-in page, a user without the permission
a 403 page.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from factlog.accounts import throttle
from factlog.accounts.users import User, authenticate, get_user
from factlog.database import get_session
from factlog.web.csrf import renew_token

bp = Blueprint("auth", __name__)
USER_KEY = "user_id"


def load_signed_in_user() -> None:
    """Put the signed-in user (or None) on ``g.user``; a disabled or deleted user is signed out."""
    g.user = None
    user_id = session.get(USER_KEY)
    if user_id is None:
        return
    db = get_session()
    g.user = get_user(db, user_id)
    db.rollback()
    if g.user is None:
        session.pop(USER_KEY, None)


def current_user() -> User | None:
    return g.get("user")


def requires(permission: str) -> Callable:
    """Only signed-in users with ``permission`` (read, write, verdict, admin) may open the page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("web.auth.login", next=request.full_path.rstrip("?")))
            if not user.can(permission):
                abort(403, description=_refusal(permission))
            return view(*args, **kwargs)

        return guarded

    return decorator


def _refusal(permission: str) -> str:
    if permission == "verdict":
        return "Only fact-checkers can issue verdicts."
    return "Your role does not allow this."


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for("web.timelines.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; after MAX_FAILURES failures for an email from one address, a lockout."""
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(next_url)
        return render_template("auth/login.html", email="", next_url=next_url, error=None)
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    db = get_session()
    key = throttle.throttle_key(email, request.remote_addr)
    locked = throttle.lockout(db, key)
    if locked is not None:
        db.commit()
        minutes = locked.minutes_left()
        error = (f"Too many failed sign-ins for this email. Try again at {locked.until:%H:%M} UTC "
                 f"(in {minutes} minute{'s' if minutes != 1 else ''}).")
        return render_template("auth/login.html", email=email, next_url=next_url, error=error), 429
    if not email or not password:
        db.commit()
        return render_template("auth/login.html", email=email, next_url=next_url,
                               error="Enter your email and password."), 401
    user = authenticate(db, email, password)
    if user is None:
        throttle.record_failure(db, key)
        db.commit()
        return render_template("auth/login.html", email=email, next_url=next_url,
                               error="That email and password do not match an account."), 401
    throttle.clear_failures(db, key)
    db.commit()
    session.clear()  # nothing from before signing in carries over
    session[USER_KEY] = user.id
    renew_token()
    return redirect(next_url)


@bp.post("/logout")
def logout():
    session.clear()
    renew_token()
    return redirect(url_for("web.auth.login"))
