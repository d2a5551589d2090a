"""Timeline entries carry a 64-bit ``timeline_id`` and the page indexes sort on it instead of (timeline, key).

Sorting two strings (a kind and a 36-character source id, most entries sharing both with their neighbours)
made the two page indexes cost four times what the same indexes on one fixed-width id cost: 3.8 of the 9 s
of CPU a rebuild of 200,000 events spent on its keys, indexes and statistics (docs/performance.md, eighth
round). The id is the kind's code in the top byte and 56 bits of a hash of kind and key
(``factlog.readmodels.timelines.timeline_id``, computed here the same way: the rows store it). The
said-date index also carries the key, so listing a kind's timelines reads that index alone.

Upgrading fills the id of every entry in one pass over the table and keeps every row (the whole upgrade took
6.4 s over the 402,669 entries of 200,000 events; 19.6 s with one UPDATE per timeline). A rebuild in
progress is dropped (its copies have the old shape) and the workers start it again. Downgrading drops the
id.

Revision ID: 0010_timeline_ids
Revises: 0009_claim_states_from_the_log
Create Date: 2026-12-03
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0010_timeline_ids"
down_revision = "0009_claim_states_from_the_log"
branch_labels = None
depends_on = None

KIND_CODES = {"all": 1, "topic": 2, "speaker": 3, "outlet": 4}
HASH_BITS = 56
REBUILD_SUFFIX = "__rebuild"
OLD_INDEXES = {"ix_timeline_entries_said": "said", "ix_timeline_entries_happened": "happened"}


def timeline_id(timeline: str, key: str) -> int:
    digest = hashlib.blake2b(f"{timeline}\x00{key}".encode(), digest_size=8).digest()
    return KIND_CODES[timeline] << HASH_BITS | int.from_bytes(digest, "big") >> (64 - HASH_BITS)


def _drop_rebuilds_in_progress() -> None:
    for name in sa.inspect(op.get_bind()).get_table_names():
        if name.endswith(REBUILD_SUFFIX):
            op.drop_table(name)
    op.execute(sa.text("DELETE FROM projection_checkpoints WHERE name LIKE :pattern")
               .bindparams(pattern=f"%{REBUILD_SUFFIX}%"))


def _date_columns(prefix: str) -> list[str]:
    return [f"{prefix}_unknown", f"{prefix}_start", f"{prefix}_end", "position"]


def upgrade() -> None:
    _drop_rebuilds_in_progress()
    bind = op.get_bind()
    op.add_column("timeline_entries", sa.Column("timeline_id", sa.BigInteger(), nullable=True))
    for name in OLD_INDEXES:  # not maintained while every row is rewritten
        op.drop_index(name, table_name="timeline_entries")
    timelines = bind.execute(sa.text("SELECT DISTINCT timeline, key FROM timeline_entries")).all()
    if timelines:
        # The ids in a table of their own, then one pass over the entries (not one UPDATE per timeline).
        ids = sa.table("timeline_ids_0010", sa.column("timeline"), sa.column("key"), sa.column("id"))
        bind.execute(sa.text("CREATE TEMPORARY TABLE timeline_ids_0010 (timeline VARCHAR(10) NOT NULL, "
                             "key VARCHAR(200) NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (timeline, key))"))
        bind.execute(sa.insert(ids), [{"timeline": timeline, "key": key, "id": timeline_id(timeline, key)}
                                      for timeline, key in timelines])
        bind.execute(sa.text("UPDATE timeline_entries SET timeline_id = (SELECT id FROM timeline_ids_0010 t "
                             "WHERE t.timeline = timeline_entries.timeline "
                             "AND t.key = timeline_entries.key)"))
        bind.execute(sa.text("DROP TABLE timeline_ids_0010"))
    with op.batch_alter_table("timeline_entries") as batch:
        batch.alter_column("timeline_id", existing_type=sa.BigInteger(), nullable=False)
    for name, prefix in OLD_INDEXES.items():
        op.create_index(name, "timeline_entries", ["timeline_id", *_date_columns(prefix)],
                        postgresql_include=["key"] if prefix == "said" else [])


def downgrade() -> None:
    _drop_rebuilds_in_progress()
    for name, prefix in OLD_INDEXES.items():
        op.drop_index(name, table_name="timeline_entries")
        op.create_index(name, "timeline_entries", ["timeline", "key", *_date_columns(prefix)])
    with op.batch_alter_table("timeline_entries") as batch:
        batch.drop_column("timeline_id")
