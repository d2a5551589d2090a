"""The web app: server-rendered pages for editors and fact-checkers (docs/web.md).

Every page lives in a feature blueprint nested under one ``web`` blueprint, which loads the signed-in user,
checks the CSRF token of every form post and renders errors as pages.
"""
from __future__ import annotations

from flask import Blueprint, Flask


def init_web(app: Flask) -> None:
    """Register the pages, their CSRF check, template helpers and error pages on ``app``."""
    from factlog.web import (
        as_of,
        attribution,
        auth,
        claim_actions,
        claims,
        csrf,
        errors,
        exports,
        from_article,
        imports,
        log_proof,
        pages,
        search,
        sources,
        timelines,
        webhooks,
    )

    if app.config.get("SESSION_COOKIE_SAMESITE") is None:  # a test config may leave it out; pages need it
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    web = Blueprint("web", __name__)
    web.before_request(auth.load_signed_in_user)
    web.before_request(csrf.check_form_token)
    errors.register(web)
    features = (auth.bp, timelines.bp, claims.bp, claim_actions.bp, attribution.bp, search.bp, sources.bp,
                imports.bp, webhooks.bp, exports.bp, log_proof.bp, as_of.bp, from_article.bp)
    for feature in features:
        web.register_blueprint(feature)
    app.register_blueprint(web)
    pages.init_templates(app)
