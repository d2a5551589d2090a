"""Links between claims as a read model, so a claim page shows who denies or supports it.

The workers fill it from the log (projection ``links``) on their next catch-up.

Revision ID: 0006_claim_links
Revises: 0005_webhooks
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_claim_links"
down_revision = "0005_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_links",
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("claim_id", sa.String(36), nullable=False),
        sa.Column("relation", sa.String(40), nullable=False),
        sa.Column("target_claim_id", sa.String(36), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("position", name="pk_claim_links"),
    )
    op.create_index("ix_claim_links_target", "claim_links", ["target_claim_id", "position"])
    op.create_index("ix_claim_links_claim", "claim_links", ["claim_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_claim_links_claim", table_name="claim_links")
    op.drop_index("ix_claim_links_target", table_name="claim_links")
    op.drop_table("claim_links")
