"""What every request must pass before any view sees it: text that can be stored, JSON of a sane depth.

PostgreSQL cannot store U+0000 in text or JSONB, and a lone surrogate (JSON's ``"\\ud800"``) cannot be
encoded as UTF-8 at all; Python's JSON parser accepts both, and fails with RecursionError on a body nested
a few thousand levels deep. Checked here once, for every endpoint (API, pages, and any added later), so such
input is a 4xx that names the field instead of a 500 from the database. The command schemas refuse the
same characters (factlog/fields.py) for input that does not come over HTTP (the importer).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask import abort as page_abort
from flask_smorest import abort

from factlog.api.errors import wants_problem
from factlog.fields import unstorable_character

MAX_JSON_DEPTH = 32  # the deepest command (a chain link's precise date) is 5 levels deep


def _nested(path: list, message: str) -> dict:
    """``["report", "links", 0, "url"]`` -> ``{"report": {"links": {0: {"url": [message]}}}}``."""
    errors: Any = [message]
    for key in reversed(path):
        errors = {key: errors}
    return errors


def _refuse(location: str, path: list, message: str) -> None:
    """422 problem details under /api (a message per field, as marshmallow words them); a 400 page elsewhere."""
    detail = f"{'.'.join(map(str, path)) or 'the body'} ({location}): {message}"
    if not wants_problem():
        page_abort(400, description=f"This request could not be read. {detail}")
    abort(422, message=detail, messages={location: _nested(path, message)})


def _check_json(document: Any) -> None:
    """Walk the parsed body without recursion; refuse it at the first bad string or when too deep."""
    pending: list[tuple[list, Any]] = [([], document)]
    while pending:
        path, value = pending.pop()
        if len(path) > MAX_JSON_DEPTH:
            _refuse("json", path[:MAX_JSON_DEPTH], f"Nested deeper than {MAX_JSON_DEPTH} levels.")
        if isinstance(value, dict):
            for key, item in value.items():
                if (problem := unstorable_character(key)) is not None:
                    _refuse("json", path, f"A field name contains {problem}.")
                pending.append(([*path, key], item))
        elif isinstance(value, list):
            pending.extend(([*path, index], item) for index, item in enumerate(value))
        elif isinstance(value, str) and (problem := unstorable_character(value)) is not None:
            _refuse("json", path, f"Contains {problem}, which is not text; remove it.")


def check_request() -> None:
    """Refuse (422) path and query parameters, form fields and JSON strings that hold characters no database stores."""
    path = {name: value for name, value in (request.view_args or {}).items() if isinstance(value, str)}
    form = request.form if request.method not in ("GET", "HEAD") else {}
    for location, values in (("path", path), ("query", request.args), ("form", form)):
        for name, value in values.items():
            for text in (name, *(values.getlist(name) if hasattr(values, "getlist") else [value])):
                if (problem := unstorable_character(text)) is not None:
                    _refuse(location, [name], f"Contains {problem}, which is not text; remove it.")
    if request.is_json and (body := request.get_data(cache=True)):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as error:
            abort(400, message=f"The body is not UTF-8: byte {error.start} cannot be decoded.")
        try:
            document = request.get_json(silent=False)
        except RecursionError:
            abort(400, message=f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels).")
        _check_json(document)


def init_app(app: Flask) -> None:
    app.before_request(check_request)
