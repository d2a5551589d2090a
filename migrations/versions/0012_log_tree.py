"""The tamper-evident log: Merkle tree leaves and perfect subtrees over the events, and signed tree heads.

The workers fill the tree from the log on their next run (``factlog.log.sign``), from the first event;
nothing here reads the events.

Revision ID: 0012_log_tree
Revises: 0010_timeline_ids
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_log_tree"
down_revision = "0010_timeline_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "log_tree_leaves",
        sa.Column("leaf_index", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.PrimaryKeyConstraint("leaf_index", name="pk_log_tree_leaves"),
    )
    op.create_index("uq_log_tree_leaves_position", "log_tree_leaves", ["position"], unique=True)
    op.create_table(
        "log_tree_nodes",
        sa.Column("level", sa.SmallInteger(), nullable=False, autoincrement=False),
        sa.Column("node_index", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.PrimaryKeyConstraint("level", "node_index", name="pk_log_tree_nodes"),
    )
    op.create_table(
        "log_tree_heads",
        sa.Column("tree_size", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("root_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("signature", sa.LargeBinary(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name="pk_log_tree_heads"),
    )


def downgrade() -> None:
    op.drop_table("log_tree_heads")
    op.drop_table("log_tree_nodes")
    op.drop_index("uq_log_tree_leaves_position", table_name="log_tree_leaves")
    op.drop_table("log_tree_leaves")
