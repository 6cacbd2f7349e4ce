"""crosscheck: the data-set index of the subjects covers only reference data (the subjects of
cases, written at every intake, have no data set).

Revision ID: 0011_crosscheck_dataset_index
Revises: 0005_crosscheck
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_crosscheck_dataset_index"
down_revision = "0005_crosscheck"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_xc_subjects_dataset", table_name="xc_subjects")
    where = sa.text("dataset_id IS NOT NULL")
    op.create_index("ix_xc_subjects_dataset", "xc_subjects", ["dataset_id"], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    op.drop_index("ix_xc_subjects_dataset", table_name="xc_subjects")
    op.create_index("ix_xc_subjects_dataset", "xc_subjects", ["dataset_id"])
