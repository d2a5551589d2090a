"""The interactive API documentation at /api/v1/docs: Swagger UI served from the installed bundle (no CDN,
no inline script)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, send_from_directory, url_for

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1/docs")

_ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"}


def _bundle_path() -> str:
    import swagger_ui_bundle

    return swagger_ui_bundle.swagger_ui_path


@bp.get("")
def page():
    return render_template("api_docs.html")


@bp.get("/init.js")
def initializer():
    spec = url_for("api-docs.openapi_json")
    script = (f"window.onload = function () {{ window.ui = SwaggerUIBundle({{ url: {spec!r}, "
              "dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true }); };\n")
    return Response(script, mimetype="text/javascript")


@bp.get("/assets/<name>")
def asset(name: str):
    if name not in _ASSETS:
        abort(404)
    return send_from_directory(_bundle_path(), name, max_age=86400)
