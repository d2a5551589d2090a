"""Full-text search over claims (summary, quote, names) and sources (names, aliases)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from factlog.database import get_session
from factlog.readmodels import queries
from factlog.readmodels.queries.search import KINDS
from factlog.web.auth import requires

bp = Blueprint("search", __name__)
LIMIT = 50


@bp.get("/search")
@requires("read")
def results():
    text = request.args.get("q", "").strip()[:500]
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    hits = queries.search(get_session(), text, kind=kind, limit=LIMIT) if text else []
    return render_template("search/results.html", q=text, kind=kind, hits=hits, limit=LIMIT)
