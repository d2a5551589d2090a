"""Edit: the ordinary record form, filled in with a proposal, for the editor to change and record (or not)."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from flask import render_template
from werkzeug.datastructures import MultiDict

from factlog.claims import dates
from factlog.claims.article_schema import ArticleRequest
from factlog.claims.from_article import as_written_if_different
from factlog.web import forms
from factlog.web.claim_actions import date_fields
from factlog.web.sources import INLINE_KINDS


def _picker(prefix: str, named: Mapping[str, Any], source_id: uuid.UUID | None = None) -> dict[str, str]:
    """A source picker showing the recorded source, or ticked "new source" with the proposed name and kind."""
    match = named.get("match")
    if source_id is not None or match:
        return {f"{prefix}-name": (match or {}).get("name") or named.get("name") or "",
                f"{prefix}-id": str(source_id or match["source_id"])}
    kind = named.get("kind") if named.get("kind") in INLINE_KINDS else "person"
    return {f"{prefix}-name": named.get("name") or named.get("as_written") or "", f"{prefix}-new": "1",
            f"{prefix}-kind": kind}


def record_values(proposal: Mapping[str, Any], article: ArticleRequest, topics: str = "") -> dict[str, str]:
    """The record form's fields as the proposal (and the article's address and date) fill them."""
    speaker = proposal.get("speaker") or {}
    said_on = proposal.get("said_on") or {}
    try:
        said = dates.parse(said_on.get("value") or dates.UNKNOWN, as_written=said_on.get("as_written"))
    except dates.DateError:
        said = dates.unknown(said_on.get("as_written"))
    values = {
        "idempotency_key": uuid.uuid4().hex, "summary": proposal.get("summary") or "",
        "quote": proposal.get("quote") or "", "cue": proposal.get("cue") or "said",
        "speaker_role": speaker.get("role") or "",
        "speaker_as_written": as_written_if_different(speaker, "name") or "",
        **_picker("speaker", speaker), **date_fields("said_on", said), "happened_on-precision": dates.UNKNOWN,
        "topics": topics,
    }
    for row, link in enumerate(proposal.get("chain") or []):
        prefix = f"links-{row}"
        values.update(_picker(f"{prefix}-source", link, article.outlet_id if row == 0 else None))
        values[f"{prefix}-relation"] = link.get("relation") or ""
        if row == 0:
            values[f"{prefix}-url"] = article.url or link.get("url") or ""
            published = dates.parse(article.published_on.isoformat()) if article.published_on else dates.unknown()
            values.update(date_fields(f"{prefix}-published_on", published))
        else:
            values[f"{prefix}-url"] = link.get("url") or ""
            values[f"{prefix}-as_written"] = as_written_if_different(link, "as_written") or ""
    quote_source = proposal.get("quote_source")
    if isinstance(quote_source, int) and 0 <= quote_source < len(proposal.get("chain") or []):
        values["quote_source"] = f"link-{quote_source}"
    return values


def record_form(proposal: Mapping[str, Any], article: ArticleRequest, topics: str = ""):
    """The record form (posting to /claims/new) prefilled; nothing is recorded until the editor sends it."""
    form = forms.Form(MultiDict(record_values(proposal, article, topics)))
    rows = forms.link_rows(form, 1)
    return render_template("claims/record.html", form=form, rows=rows)
