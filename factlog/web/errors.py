"""Errors on web pages are pages, in the site's layout, that say what to do next."""
from __future__ import annotations

from flask import Blueprint, render_template
from werkzeug.exceptions import HTTPException

TITLES = {400: "This form could not be sent", 403: "Not allowed", 404: "Not found",
          405: "Not allowed", 413: "Too much to send", 429: "Too many attempts"}


def register(blueprint: Blueprint) -> None:
    for code in TITLES:
        blueprint.register_error_handler(code, _page)


def _page(error: HTTPException):
    title = TITLES.get(error.code or 500, error.name)
    return render_template("errors/error.html", title=title, message=error.description, code=error.code), \
        error.code
