"""Full-text search: a document per claim (summary, quote, speaker and outlet names, report headlines,
topics) and per source (name, aliases, description). PostgreSQL: a weighted tsvector; SQLite: the FTS5 table ``search_fts``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore import RecordedEvent
from factlog.readmodels import search as model
from factlog.readmodels.claim_state import (
    CLAIM_CORRECTED,
    CLAIM_RECORDED,
    CLAIM_REPORTED,
    CLAIM_RETRACTED,
    SOURCE_ABSORBED,
    SOURCE_ALIAS_ADDED,
    SOURCE_MERGED,
    SOURCE_REGISTERED,
    VERDICT_GIVEN,
    current_verdict,
    date_info,
    source_ids,
    status,
)
from factlog.sql import any_of, is_postgres
from workers.bulk import copy_rows
from workers.projection import Projection
from workers.projectors.batch import fold_claims
from workers.projectors.sources import display_name
from workers.tablesets import TableSet

VERSION = 2  # 2: claim documents hold their reports' headlines (a rebuild on deploy adds them)
_STAGING = "search_documents_staging"  # a temporary table: one per connection
SOURCE_EVENTS = (SOURCE_REGISTERED, SOURCE_ALIAS_ADDED, SOURCE_ABSORBED, SOURCE_MERGED)
HANDLES = (*SOURCE_EVENTS, CLAIM_RECORDED, CLAIM_REPORTED, CLAIM_CORRECTED, CLAIM_RETRACTED, VERDICT_GIVEN)


def source_document(details: Mapping[str, Any]) -> dict[str, Any]:
    return {"doc_key": f"{model.SOURCE}:{details['source_id']}", "kind": model.SOURCE,
            "ref_id": details["source_id"], "title": details["name"],
            "body": " ".join([*details["aliases"], details.get("description") or "", details["kind"]]).strip(),
            "status": None, "details": dict(details)}


def claim_document(state: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    speaker = names.get(state["speaker_id"], "")
    links = [link for report in state["reports"] for link in report["links"]]
    carriers = dict.fromkeys(names.get(link["source_id"], "") for link in links)
    # An editor remembers a story by its headline: "Will South Korea give weapons to Ukraine?"
    headlines = dict.fromkeys(link.get("headline") or "" for link in links)
    body = [state.get("quote") or "", speaker, state.get("speaker_as_written") or "",
            state.get("speaker_role") or "", *carriers, *headlines, *(state.get("topics") or ())]
    verdict = current_verdict(state)
    details = {"claim_id": state["claim_id"], "summary": state["summary"], "quote": state.get("quote"),
               "speaker": {"id": state["speaker_id"], "name": speaker},
               "said_on": date_info(state.get("said_on")).to_json(), "status": status(state),
               "verdict": verdict["rating_label"] if verdict else None}
    return {"doc_key": f"{model.CLAIM}:{state['claim_id']}", "kind": model.CLAIM, "ref_id": state["claim_id"],
            "title": state["summary"], "body": " ".join(part for part in body if part), "status": status(state),
            "details": details}


def _source_details(session: Session, documents: sa.Table,
                    events: Sequence[RecordedEvent]) -> tuple[dict[str, dict], set[str]]:
    """The source documents' details after the batch's source events, and the ids of those already stored."""
    changed: dict[str, dict] = {}
    wanted = {e.data["source_id"] for e in events if e.type in SOURCE_EVENTS and e.type != SOURCE_REGISTERED}
    if wanted:
        rows = session.execute(sa.select(documents.c.ref_id, documents.c.details).where(
            documents.c.kind == model.SOURCE, any_of(session, documents.c.ref_id, wanted)))
        changed = {ref_id: dict(details) for ref_id, details in rows}
    stored = set(changed)
    for event in events:
        data = event.data
        if event.type == SOURCE_REGISTERED:
            changed[data["source_id"]] = {"source_id": data["source_id"], "name": display_name(data),
                                          "kind": data["kind"], "aliases": list(data.get("aliases") or ()),
                                          "description": data.get("description"), "merged_into_id": None}
        elif event.type == SOURCE_ALIAS_ADDED:
            changed[data["source_id"]]["aliases"].append(data["alias"])
        elif event.type == SOURCE_ABSORBED:
            details = changed[data["source_id"]]
            known = {name.casefold() for name in [details["name"], *details["aliases"]]}
            details["aliases"] += [name for name in data["absorbed_names"] if name.casefold() not in known]
        elif event.type == SOURCE_MERGED:
            changed[data["source_id"]]["merged_into_id"] = data["merged_into_id"]
    return changed, stored


def apply(session: Session, events: Sequence[RecordedEvent], tables: TableSet) -> None:
    documents = tables["search_documents"]
    sources, stored_sources = _source_details(session, documents, events)
    batch = fold_claims(session, events, HANDLES)
    mentioned = {i for state in batch.states.values() for i in source_ids(state)} - set(sources)
    names = {source_id: details["name"] for source_id, details in sources.items()}
    if mentioned:
        names |= dict(session.execute(sa.select(documents.c.ref_id, documents.c.title).where(
            documents.c.kind == model.SOURCE, any_of(session, documents.c.ref_id, mentioned))).all())
    rows = [source_document(details) for details in sources.values()]
    rows += [claim_document(state, names) for state in batch.states.values()]
    stored = [f"{model.SOURCE}:{ref_id}" for ref_id in stored_sources]
    stored += [f"{model.CLAIM}:{claim_id}" for claim_id in batch.existing]
    if rows:
        write(session, documents, tables.virtual("search_fts"), rows, stored)


def _weighted(column: sa.Column, weight: str) -> sa.ColumnElement:
    vector = sa.func.to_tsvector(model.TEXT_SEARCH_CONFIG, column)
    return sa.func.setweight(vector, sa.literal_column(f"'{weight}'"))


def _document(documents: sa.FromClause) -> sa.ColumnElement:
    """The weighted tsvector of a document: title (A) then body (B)."""
    return _weighted(documents.c.title, "A").op("||")(_weighted(documents.c.body, "B"))


def insert_staged(session: Session, documents: sa.Table, staging: str, names: Sequence[str]) -> None:
    """PostgreSQL: insert the rows of the table ``staging`` (columns ``names``) into ``documents``, each with
    its weighted tsvector computed on the way in."""
    staged = sa.table(staging, *(sa.column(name) for name in names))
    session.execute(sa.insert(documents).from_select([*names, "document"],
                                                     sa.select(*staged.c, _document(staged))))


def write(session: Session, documents: sa.Table, fts: str, rows: list[dict[str, Any]],
          stored: list[str]) -> None:
    """Replace the documents with these keys (``stored``: those that exist), and their full-text entries."""
    if is_postgres(session):
        if stored:
            session.execute(sa.delete(documents).where(any_of(session, documents.c.doc_key, stored)))
        # COPY into a staging table, then compute the tsvector as the rows go in: no second pass over them.
        columns = [documents.c[name] for name in rows[0]]
        names = ", ".join(f'"{column.name}"' for column in columns)
        session.execute(sa.text(f'CREATE TEMP TABLE IF NOT EXISTS "{_STAGING}" ON COMMIT DELETE ROWS AS '
                                f'SELECT {names} FROM "{documents.name}" WITH NO DATA'))
        copy_rows(session, _STAGING, columns, rows)
        insert_staged(session, documents, _STAGING, [column.name for column in columns])
        # Committing empties it too; TRUNCATE would give it a new file (a catalog write) every batch.
        session.execute(sa.text(f'DELETE FROM "{_STAGING}"'))
        return
    keys = [row["doc_key"] for row in rows]
    old_ids = list(session.execute(sa.delete(documents).where(any_of(session, documents.c.doc_key, keys))
                                   .returning(documents.c.id)).scalars())
    new_ids = session.execute(sa.insert(documents).returning(documents.c.id, sort_by_parameter_order=True),
                              rows).scalars().all()
    if old_ids:
        session.execute(sa.text(f'DELETE FROM "{fts}" WHERE rowid IN ({",".join(map(str, old_ids))})'))
    session.execute(sa.text(f'INSERT INTO "{fts}" (rowid, title, body) VALUES (:id, :title, :body)'),
                    [{"id": new_id, "title": row["title"], "body": row["body"]} for new_id, row in zip(new_ids, rows)])


projection = Projection("search", VERSION, HANDLES, model.read_model, apply, per_claim=True)
