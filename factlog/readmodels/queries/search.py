"""Full-text search over claims (summary, quote, speaker and outlet names) and sources (names, aliases)."""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.readmodels.search import CLAIM, SOURCE, TEXT_SEARCH_CONFIG
from factlog.readmodels.search import search_documents as documents

KINDS = (CLAIM, SOURCE)
MAX_LIMIT = 100
_WORD = re.compile(r"\w+", re.UNICODE)


def search(session: Session, text: str, *, kind: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Documents matching every word of ``text``, best first: ``{kind, id, title, details}``."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"search claims or sources, not {kind!r}")
    words = _WORD.findall(text or "")
    if not words:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    if session.get_bind().dialect.name == "postgresql":
        query_ts = sa.func.plainto_tsquery(TEXT_SEARCH_CONFIG, text)  # the same parser as the documents
        rank = sa.func.ts_rank(documents.c.document, query_ts)
        query = (sa.select(documents.c.kind, documents.c.ref_id, documents.c.title, documents.c.details)
                 .where(documents.c.document.op("@@")(query_ts)).order_by(rank.desc(), documents.c.id))
    else:
        match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        fts = sa.table("search_fts", sa.column("rowid"))
        rank = sa.literal_column("bm25(search_fts)")
        query = (sa.select(documents.c.kind, documents.c.ref_id, documents.c.title, documents.c.details)
                 .join(fts, fts.c.rowid == documents.c.id)
                 .where(sa.text("search_fts MATCH :match").bindparams(match=match))
                 .order_by(rank, documents.c.id))
    if kind is not None:
        query = query.where(documents.c.kind == kind)
    return [{"kind": row.kind, "id": row.ref_id, "title": row.title, "details": row.details}
            for row in session.execute(query.limit(limit))]


def _like_pattern(text: str, *, prefix: bool) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%" if prefix else "%" + escaped + "%"


def suggest_sources(session: Session, text: str, *, kind: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """Sources (not merged away) whose name or an alias contains ``text``, names starting with it first.

    For type-ahead: partial words match ("Zel" finds Volodymyr Zelenskyy). Each: ``{id, name, kind, aliases,
    description, matched}`` where ``matched`` is the alias that matched when the name did not.
    """
    text = (text or "").strip()
    if not text:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    title, body = sa.func.lower(documents.c.title), sa.func.lower(documents.c.body)
    contains = _like_pattern(text, prefix=False)
    query = (sa.select(documents.c.details)
             .where(documents.c.kind == SOURCE, sa.or_(title.like(contains, escape="\\"),
                                                      body.like(contains, escape="\\")))
             .order_by(sa.case((title.like(_like_pattern(text, prefix=True), escape="\\"), 0), else_=1),
                       documents.c.title, documents.c.id)
             .limit(limit * 3))  # some rows matched on description or kind only, or were merged away
    if kind is not None:
        query = query.where(documents.c.details["kind"].as_string() == kind)
    wanted, found = text.casefold(), []
    for (details,) in session.execute(query):
        if details.get("merged_into_id"):
            continue
        names = [details["name"], *details.get("aliases", [])]
        matched = next((name for name in names if wanted in name.casefold()), None)
        if matched is None:
            continue
        found.append({"id": details["source_id"], "name": details["name"], "kind": details["kind"],
                      "aliases": details.get("aliases", []), "description": details.get("description"),
                      "matched": None if matched == details["name"] else matched})
        if len(found) == limit:
            break
    return found
