"""Proposed claims from an article's text. ``/api/v1/extract``: nothing is recorded here; accepting a proposal
is an ordinary ``POST /api/v1/claims`` (docs/api.md says how a proposal becomes its body)."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError

from factlog.api.auth import SECURITY, requires
from factlog.api.blueprint import Blueprint
from factlog.api.errors import problem
from factlog.api.extract_schemas import ProposalsOut
from factlog.claims import from_article
from factlog.claims.article_schema import TEXT_MAX_LENGTH, ArticleRequest, ArticleSchema, too_large_message
from factlog.database import get_session

blp = Blueprint("extract", __name__, url_prefix="/api/v1/extract",
                description="Claims an article's text contains, proposed for an editor to confirm.")


@blp.errorhandler(413)
def _too_large(_error):
    return problem(413, too_large_message(current_app.config["MAX_CONTENT_LENGTH"]))


@blp.route("")
class Extract(MethodView):
    @requires("write")
    @blp.doc(security=SECURITY)
    @blp.arguments(ArticleSchema)
    @blp.response(200, ProposalsOut)
    @blp.alt_response(401, schema="Problem", description="No or unknown token.")
    @blp.alt_response(403, schema="Problem", description="The token or its user may not record claims.")
    @blp.alt_response(413, schema="Problem", description="The body is larger than the server accepts.")
    @blp.alt_response(422, schema="Problem", description=(
        "A field is not valid (errors.json says why, per field): text empty, binary or longer than "
        f"{TEXT_MAX_LENGTH:,} characters, a URL that is not http(s), a date in the future, an unknown outlet id."))
    def post(self, article: ArticleRequest):
        """Propose the claims an article contains: speaker, cue, quote, date, chain.

        Speakers and outlets are matched against the recorded sources (match: null means a new source). Needs a write token (the proposals are for recording). Nothing is recorded: send the proposal an
        editor confirmed to POST /claims, after registering any source whose match is null.
        """
        try:
            _, proposals = from_article.propose(get_session(), article)
        except ValidationError as error:
            abort(422, messages={"json": error.messages})
        return {"proposals": [proposal.to_dict() for proposal in proposals]}
