"""Read models know each source's affiliation (QiOSK is Responsible Statecraft's desk).

The timelines and attribution projections moved to version 2 with this column: the workers rebuild them.

Revision ID: 0002c_source_affiliations
Revises: 0002b_read_models
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = "0002c_source_affiliations"
down_revision = "0002b_read_models"
branch_labels = None
depends_on = None

TABLES = ("timeline_sources", "attribution_sources")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("affiliation_id", sa.String(36), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("affiliation_id")
