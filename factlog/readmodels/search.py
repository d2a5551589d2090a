"""Full-text search documents: one per claim (summary, quote, names) and one per source (names, aliases).

PostgreSQL indexes ``document`` (a tsvector, GIN); SQLite keeps an FTS5 table ``search_fts`` whose rowid is
the document's id.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from factlog.readmodels import ReadModel, VirtualTable, query_only
from factlog.readmodels.columns import JSONDocument
from factlog.schema import metadata

CLAIM, SOURCE = "claim", "source"
TEXT_SEARCH_CONFIG = "english"
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"

search_documents = sa.Table(
    "search_documents", metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("doc_key", sa.String(50), nullable=False),  # "claim:<id>", "source:<id>"
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("ref_id", sa.String(36), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("status", sa.String(10), nullable=True),  # a claim's status
    sa.Column("details", JSONDocument, nullable=False),  # what a result shows (searches filter inside it)
    # Filled on PostgreSQL only; SQLite searches search_fts instead.
    sa.Column("document", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
    sa.UniqueConstraint("doc_key"),
)
# The projector finds a claim's (or a source's) document by its id on every batch: without this index each
# live catch-up scanned the whole table (0007_search_ref_id).
sa.Index("ix_search_documents_ref_id", search_documents.c.ref_id)
query_only(sa.Index("ix_search_documents_document", search_documents.c.document, postgresql_using="gin")
           .ddl_if(dialect="postgresql"))

search_fts = VirtualTable("search_fts", {
    "sqlite": f"CREATE VIRTUAL TABLE \"{{name}}\" USING fts5(title, body, tokenize='{FTS5_TOKENIZER}')",
})

read_model = ReadModel("search", (search_documents,), (search_fts,))
