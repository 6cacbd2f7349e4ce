"""crosscheck: a hit first found by a re-run after a data set was loaded carries when (new_data_at),
for the "new" marker on the case's hits and the inbox badge.

Revision ID: 0014_xc_hits_new_data
Revises: 0011_crosscheck_dataset_index
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0014_xc_hits_new_data"
down_revision = "0011_crosscheck_dataset_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("xc_hits") as batch:
        batch.add_column(sa.Column("new_data_at", portal.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("xc_hits") as batch:
        batch.drop_column("new_data_at")
