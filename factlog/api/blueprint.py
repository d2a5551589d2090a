"""The Blueprint every API resource group uses: unknown fields and query parameters are errors (422)."""
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = FlaskParser(unknown=RAISE)
