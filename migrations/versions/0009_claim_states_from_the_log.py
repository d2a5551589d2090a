"""Read models stop storing each claim's folded state: projectors fold a batch's claims from the log.

``timeline_claims.state``, ``attribution_claims.state`` and ``search_documents.state`` held the same
document three times (a third of what a rebuild wrote); the claim's events are in the log already, found
by their stream. ``timeline_entries`` is keyed by claim first (what a projector deletes by), which makes
``ix_timeline_entries_claim`` redundant: pages read the query-only indexes.

Upgrading keeps every row (nothing is recomputed); a rebuild in progress is dropped (its copies have the old
shape) and the workers start it again. Downgrading empties the three read models and their checkpoints: the
older workers, which need the states, project them again from the start of the log.

Revision ID: 0009_claim_states_from_the_log
Revises: 0008_read_model_json_text
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_claim_states_from_the_log"
down_revision = "0008_read_model_json_text"
branch_labels = None
depends_on = None

STATES = {"timeline_claims": False, "attribution_claims": False, "search_documents": True}  # table: nullable
READ_MODELS = {  # projection: its tables, in an order their rows can be deleted in
    "timelines": ("timeline_entries", "timeline_claims", "timeline_sources"),
    "attribution": ("attribution_citations", "attribution_carriers", "attribution_reports",
                    "attribution_claims", "attribution_sources"),
    "search": ("search_documents",),
}
REBUILD_SUFFIX = "__rebuild"


def _drop_rebuilds_in_progress() -> None:
    for name in sa.inspect(op.get_bind()).get_table_names():
        if name.endswith(REBUILD_SUFFIX):
            op.drop_table(name)
    op.execute(sa.text("DELETE FROM projection_checkpoints WHERE name LIKE :pattern")
               .bindparams(pattern=f"%{REBUILD_SUFFIX}%"))


def _key_entries(columns: list[str]) -> None:
    with op.batch_alter_table("timeline_entries") as batch:
        batch.drop_constraint("pk_timeline_entries", type_="primary")
        batch.create_primary_key("pk_timeline_entries", columns)


def upgrade() -> None:
    _drop_rebuilds_in_progress()
    for table in STATES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("state")
    op.drop_index("ix_timeline_entries_claim", table_name="timeline_entries")
    _key_entries(["claim_id", "timeline", "key"])


def downgrade() -> None:
    _drop_rebuilds_in_progress()
    bind = op.get_bind()
    for projection, tables in READ_MODELS.items():
        for table in tables:
            op.execute(f'DELETE FROM "{table}"')
        op.execute(sa.text("DELETE FROM projection_checkpoints WHERE name = :name")
                   .bindparams(name=projection))
    if bind.dialect.name == "sqlite" and sa.inspect(bind).has_table("search_fts"):
        op.execute('DELETE FROM "search_fts"')
    for table, nullable in STATES.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("state", sa.JSON(), nullable=nullable))
    _key_entries(["timeline", "key", "claim_id"])
    op.create_index("ix_timeline_entries_claim", "timeline_entries", ["claim_id"])
