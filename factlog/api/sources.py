"""Sources: register one (likely duplicates answer 409 with the candidates), read it, add an alias, merge
two. ``/api/v1/sources``."""
from __future__ import annotations

from uuid import UUID

from flask import url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from factlog.api import links
from factlog.api.auth import SECURITY, requires
from factlog.api.blueprint import Blueprint
from factlog.api.commands import documented_write, load_command, require_stream, run_command, run_creation
from factlog.api.idempotency import idempotent
from factlog.api.representations import SourceOut
from factlog.api.views_schemas import SearchHitOut
from factlog.database import get_session
from factlog.readmodels.queries import search
from factlog.sources import services
from factlog.sources.schemas import AddSourceAliasSchema, MergeSourcesSchema, RegisterSourceSchema
from factlog.sources.source import stream_id

blp = Blueprint("sources", __name__, url_prefix="/api/v1/sources",
                description="People, organizations, outlets, polls, documents, collectives and unnamed sources.")


def _document_write(schema, *, status: int = 200, conflict: str):
    return documented_write(blp, schema, conflict=conflict, status=status)


def _run(command, entity_id):
    return run_command(services, command, entity_id)


def _existing(source_id: UUID) -> None:
    require_stream(stream_id(source_id), f"no source {source_id}")


class SourceSearchQuery(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=200),
                      metadata={"description": "Words of a name or alias."})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


@blp.route("")
class SourceCollection(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(SourceSearchQuery, location="query", as_kwargs=True)
    @blp.response(200, SearchHitOut(many=True))
    def get(self, q: str, limit: int):
        """Find sources by name or alias (full text, from the search read model)."""
        return search(get_session(), q, kind="source", limit=limit)

    @requires("write")
    @idempotent
    @_document_write(RegisterSourceSchema, status=201, conflict=(
        "The name is close to a source already recorded: `candidates` lists them. Add an alias to one of "
        "them, or send confirm_new: true to record a different source."))
    @blp.doc(**links.after_write(201, links.source_links()))
    def post(self):
        """Register a source."""
        command = load_command(RegisterSourceSchema)
        body, headers = run_creation(services, command, command.source_id)
        headers["Location"] = url_for("sources.Source", source_id=body["id"])
        return body, 201, headers


@blp.route("/<uuid:source_id>")
class Source(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.etag
    @blp.response(200, SourceOut)
    @blp.alt_response(404, schema="Problem")
    def get(self, source_id: UUID):
        """A source's current state: kind, name, aliases, and what it was merged with."""
        source = services.load_source(get_session(), source_id)
        if source is None:
            abort(404, message=f"no source {source_id}")
        return source


@blp.route("/<uuid:source_id>/aliases")
class SourceAliases(MethodView):
    @requires("write")
    @idempotent
    @_document_write(AddSourceAliasSchema(exclude=("source_id",)), conflict="The source changed meanwhile.")
    def post(self, source_id: UUID):
        """Add another name the source goes by (a spelling seen in print, an abbreviation)."""
        _existing(source_id)
        return _run(load_command(AddSourceAliasSchema, source_id=source_id), source_id)


@blp.route("/<uuid:source_id>/merge")
class SourceMerge(MethodView):
    @requires("write")
    @idempotent
    @_document_write(MergeSourcesSchema(exclude=("source_id",)), conflict="One of the sources changed meanwhile.")
    def post(self, source_id: UUID):
        """Record that this source is the same as `into_id`; both histories are kept."""
        _existing(source_id)
        return _run(load_command(MergeSourcesSchema, source_id=source_id), source_id)
