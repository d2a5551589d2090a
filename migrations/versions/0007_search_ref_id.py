"""Index search documents by the claim or source they describe: the search projector looks them up by it on
every batch, and without the index each live catch-up scanned the whole table (freshness fell behind as the
log grew).

Revision ID: 0007_search_ref_id
Revises: 0006_claim_links
Create Date: 2026-11-26
"""
from alembic import op

revision = "0007_search_ref_id"
down_revision = "0006_claim_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_search_documents_ref_id", "search_documents", ["ref_id"])


def downgrade() -> None:
    op.drop_index("ix_search_documents_ref_id", table_name="search_documents")
