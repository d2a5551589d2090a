"""Read-model documents as written: cards, chains, carrier details and folded states become PostgreSQL
``json`` (text kept verbatim) instead of JSONB, and a timeline claim keeps its card's two dates apart.

Read models write these documents once and hand them out whole: as JSONB the server parsed every one on the
way in (most of a rebuild's server time) and printed it again on the way out, and the API decoded and
re-encoded it. As ``json`` a timeline page passes its cards on as they are, plus the date it is sorted by
(``said_on`` / ``happened_on``, filled here from the cards). Search details stay JSONB: searches filter
inside them. SQLite stores JSON as text already; there only the two columns are added.

A rebuild in progress is dropped (its copies have the old shape): the workers start it again.

Revision ID: 0008_read_model_json_text
Revises: 0007_search_ref_id
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_read_model_json_text"
down_revision = "0007_search_ref_id"
branch_labels = None
depends_on = None

DOCUMENTS = {
    "timeline_claims": ("card", "state"),
    "attribution_claims": ("card", "state"),
    "attribution_reports": ("chain",),
    "attribution_carriers": ("details",),
    "search_documents": ("state",),
}
TIMELINE_DATES = ("said_on", "happened_on")
REBUILD_SUFFIX = "__rebuild"


def _drop_rebuilds_in_progress() -> None:
    bind = op.get_bind()
    names = sa.inspect(bind).get_table_names()
    for name in names:
        if name.endswith(REBUILD_SUFFIX):
            op.drop_table(name)
    op.execute(sa.text("DELETE FROM projection_checkpoints WHERE name LIKE :pattern")
               .bindparams(pattern=f"%{REBUILD_SUFFIX}"))


def _types(target: str) -> None:
    for table, columns in DOCUMENTS.items():
        changes = ", ".join(f'ALTER COLUMN "{column}" TYPE {target} USING "{column}"::{target}'
                            for column in columns)
        op.execute(f'ALTER TABLE "{table}" {changes}')


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_rebuilds_in_progress()
    with op.batch_alter_table("timeline_claims") as batch:
        for column in TIMELINE_DATES:
            batch.add_column(sa.Column(column, sa.JSON(), nullable=True))  # json on PostgreSQL
    extract = "(card -> '{0}')::json" if postgres else "json_extract(card, '$.{0}')"
    op.execute("UPDATE timeline_claims SET " + ", ".join(f"{column} = {extract.format(column)}"
                                                          for column in TIMELINE_DATES))
    with op.batch_alter_table("timeline_claims") as batch:
        for column in TIMELINE_DATES:
            batch.alter_column(column, existing_type=sa.JSON(), nullable=False)
    if postgres:
        _types("json")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_rebuilds_in_progress()
    if postgres:
        _types("jsonb")
    with op.batch_alter_table("timeline_claims") as batch:
        for column in TIMELINE_DATES:
            batch.drop_column(column)
