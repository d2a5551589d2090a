"""Flask's signed-cookie session, opened only for requests that carry a cookie.

Flask opens the session on every request: it builds a signing serializer and parses the Cookie header even
for API calls, which authenticate with a bearer token and send no cookie (a tenth of a small request's
time). Without a Cookie header the session is empty, so it is handed out empty without that work; with one,
Flask's own code reads it as always.
"""
from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.environ.get("HTTP_COOKIE"):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
