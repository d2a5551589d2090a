"""The append-only event store: the events table and the triggers that refuse UPDATE and DELETE.

Revision ID: 0001_event_store
Revises:
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0001_event_store"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "events is an append-only log: {operation} is not allowed; record a new event instead"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    json_type = postgresql.JSONB() if postgres else sa.JSON()
    op.create_table(
        "events",
        sa.Column("position", sa.BigInteger() if postgres else sa.Integer(), primary_key=True,
                  autoincrement=True),
        sa.Column("tx_id", sa.BigInteger(), nullable=False,
                  server_default=sa.text("(pg_current_xact_id()::text::bigint)") if postgres else sa.text("0")),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("stream_version", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("schema_version", sa.SmallInteger(), nullable=False),
        sa.Column("data", json_type, nullable=False),
        sa.Column("metadata", json_type, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("now()") if postgres
                  else sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now'))")),
        sa.PrimaryKeyConstraint("position", name="pk_events"),
        sa.UniqueConstraint("event_id", name="uq_events_event_id"),
        sa.UniqueConstraint("stream_id", "stream_version", name="uq_events_stream_id_stream_version"),
        sa.CheckConstraint("stream_version >= 1", name="stream_version_positive"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_tx_position", "events", ["tx_id", "position"])
    op.create_index("ix_events_event_type_position", "events", ["event_type", "position"])
    op.create_index("uq_events_idempotency_key", "events", ["idempotency_key"], unique=True,
                    postgresql_where=sa.text("idempotency_key IS NOT NULL"),
                    sqlite_where=sa.text("idempotency_key IS NOT NULL"))
    if postgres:
        op.execute(f"""
            CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{APPEND_ONLY_MESSAGE.format(operation="%")}', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$""")
        op.execute("CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events "
                   "FOR EACH ROW EXECUTE FUNCTION events_refuse_change()")
        op.execute("CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events "
                   "FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()")
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER events_refuse_{operation.lower()} BEFORE {operation} ON events
                BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE.format(operation=operation)}'); END""")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP TRIGGER events_refuse_truncate ON events")
        op.execute("DROP TRIGGER events_refuse_update_delete ON events")
        op.execute("DROP FUNCTION events_refuse_change()")
    else:
        op.execute("DROP TRIGGER events_refuse_update")
        op.execute("DROP TRIGGER events_refuse_delete")
    op.drop_table("events")
