"""Read models: timelines, source attribution, full-text search (FTS5 on SQLite, tsvector + GIN on PostgreSQL).

The workers fill these tables from the event log (docs/projections.md); rebuilding one creates
``<table>__rebuild`` copies and switches them in, so these names are also the rebuild's templates.

Revision ID: 0002b_read_models
Revises: 0002_projections
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0002b_read_models"
down_revision = "0002_projections"
branch_labels = None
depends_on = None

ID = sa.String(36)


def _json(postgres: bool):
    return postgresql.JSONB() if postgres else sa.JSON()


def _dates(prefix: str) -> list[sa.Column]:
    return [sa.Column(f"{prefix}_unknown", sa.SmallInteger(), nullable=False),
            sa.Column(f"{prefix}_start", sa.Date(), nullable=False),
            sa.Column(f"{prefix}_end", sa.Date(), nullable=False)]


def _sources(name: str) -> None:
    op.create_table(
        name,
        sa.Column("source_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("canonical_id", ID, nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=f"pk_{name}"),
    )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    json = _json(postgres)

    _sources("timeline_sources")
    op.create_table(
        "timeline_claims",
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("card", json, nullable=False),
        sa.Column("state", json, nullable=False),
        sa.PrimaryKeyConstraint("claim_id", name="pk_timeline_claims"),
    )
    op.create_table(
        "timeline_entries",
        sa.Column("timeline", sa.String(10), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        *_dates("said"),
        *_dates("happened"),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("verdict", sa.String(60), nullable=True),
        sa.PrimaryKeyConstraint("timeline", "key", "claim_id", name="pk_timeline_entries"),
    )
    op.create_index("ix_timeline_entries_said", "timeline_entries",
                    ["timeline", "key", "said_unknown", "said_start", "said_end", "position"])
    op.create_index("ix_timeline_entries_happened", "timeline_entries",
                    ["timeline", "key", "happened_unknown", "happened_start", "happened_end", "position"])
    op.create_index("ix_timeline_entries_claim", "timeline_entries", ["claim_id"])

    _sources("attribution_sources")
    op.create_table(
        "attribution_claims",
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("speaker_id", ID, nullable=False),
        sa.Column("speaker_role", sa.Text(), nullable=True),
        *_dates("said"),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("first_source_id", ID, nullable=True),
        sa.Column("independent_outlets", sa.Integer(), nullable=False),
        sa.Column("single_source", sa.Boolean(), nullable=False),
        sa.Column("card", json, nullable=False),
        sa.Column("state", json, nullable=False),
        sa.PrimaryKeyConstraint("claim_id", name="pk_attribution_claims"),
    )
    op.create_index("ix_attribution_claims_speaker", "attribution_claims",
                    ["speaker_id", "said_unknown", "said_start", "said_end", "position"])
    op.create_table(
        "attribution_reports",
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("report_id", ID, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("publication_id", ID, nullable=False),
        sa.Column("origin_id", ID, nullable=False),
        sa.Column("relay", sa.Boolean(), nullable=False),
        sa.Column("chain", json, nullable=False),
        sa.PrimaryKeyConstraint("claim_id", "report_id", name="pk_attribution_reports"),
    )
    op.create_table(
        "attribution_carriers",
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("source_id", ID, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        *_dates("published"),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("is_first", sa.Boolean(), nullable=False),
        sa.Column("independent", sa.Boolean(), nullable=False),
        sa.Column("publication", sa.Boolean(), nullable=False),
        sa.Column("details", json, nullable=False),
        sa.PrimaryKeyConstraint("claim_id", "source_id", name="pk_attribution_carriers"),
    )
    op.create_index("ix_attribution_carriers_source", "attribution_carriers", ["source_id", "position"])
    op.create_table(
        "attribution_citations",
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("report_id", ID, nullable=False),
        sa.Column("citing_id", ID, nullable=False),
        sa.Column("cited_id", ID, nullable=False),
        sa.Column("citing_kind", sa.String(40), nullable=False),
        sa.Column("cited_kind", sa.String(40), nullable=False),
        sa.Column("relation", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("claim_id", "report_id", "citing_id", name="pk_attribution_citations"),
    )
    op.create_index("ix_attribution_citations_citing", "attribution_citations", ["citing_id", "cited_id"])
    op.create_index("ix_attribution_citations_cited", "attribution_citations", ["cited_id", "citing_id"])

    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_key", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("ref_id", sa.String(36), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=True),
        sa.Column("details", json, nullable=False),
        sa.Column("state", json, nullable=True),
        sa.Column("document", postgresql.TSVECTOR() if postgres else sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_search_documents"),
        sa.UniqueConstraint("doc_key", name="uq_search_documents_doc_key"),
    )
    if postgres:
        op.create_index("ix_search_documents_document", "search_documents", ["document"], postgresql_using="gin")
    else:
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, "
                   "tokenize='porter unicode61 remove_diacritics 2')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE search_fts")
    for table in ("search_documents", "attribution_citations", "attribution_carriers", "attribution_reports",
                  "attribution_claims", "attribution_sources", "timeline_entries", "timeline_claims",
                  "timeline_sources"):
        op.drop_table(table)
