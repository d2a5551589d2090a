"""The JSON API under /api/v1: flask-smorest blueprints, OpenAPI 3 at /api/v1/openapi.json."""
from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from factlog.api.auth import BEARER_SCHEME
from factlog.api.errors import PROBLEM_MEDIA_TYPE, ProblemSchema, http_exception_as_problem, wants_problem
from factlog.database import get_database

API_SETTINGS = {
    "API_TITLE": "factlog",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": "Sourced claims as an append-only log: the event feed, commands and views. "
                                "Errors are RFC 9457 problem details."},
    },
}


class FactlogApi(Api):
    """flask-smorest's Api, answering errors under /api with problem details and leaving pages alone."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        if wants_problem():
            return http_exception_as_problem(error)
        return error

    def _register_responses(self):
        """Document every error response as problem details (application/problem+json)."""
        self.spec.components.schema("Problem", schema=ProblemSchema)
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = ProblemSchema
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as problem details.", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def init_api(app: Flask) -> Api:
    from factlog.api import (
        accounts,
        cached_answers,
        claims,
        docs,
        exports,
        extract,
        feed,
        imports,
        log,
        page_cache,
        sources,
        views,
        webhooks,
    )

    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    api = FactlogApi(app)
    api.spec.components.security_scheme(BEARER_SCHEME, {"type": "http", "scheme": "bearer"})
    for blueprint in (feed.blp, sources.blp, claims.blp, views.blp, accounts.blp, imports.blp, webhooks.blp,
                      exports.blp, log.blp, extract.blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    cached_answers.init_app(app, page_cache.init_app(app), get_database(app))
    return api
