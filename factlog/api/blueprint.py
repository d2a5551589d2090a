"""The Blueprint every API resource group uses: unknown fields and query parameters are errors (422)."""
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser

from factlog.api.errors import PROBLEM_MEDIA_TYPE


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = FlaskParser(unknown=RAISE)

    def arguments(self, schema, *args, **kwargs):
        """As flask-smorest's, with one schema instance per endpoint: given a class, webargs built a new
        instance (deep-copying its fields) on every request. Loading keeps no state in the instance."""
        return super().arguments(schema() if isinstance(schema, type) else schema, *args, **kwargs)

    def alt_response(self, status_code, *args, content_type=None, **kwargs):
        """Error responses are documented as problem details unless said otherwise."""
        if content_type is None and int(status_code) >= 400:
            content_type = PROBLEM_MEDIA_TYPE
        return super().alt_response(status_code, *args, content_type=content_type, **kwargs)
