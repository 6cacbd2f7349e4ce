"""crosscheck: a reference data set is searched once it is loaded whole (xc_datasets.ready), so that
`spoc crosscheck load` can write it in batches of short transactions (issue 25).

Revision ID: 0025_xc_dataset_ready
Revises: 0024_xc_identifiers_legal_basis
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_xc_dataset_ready"
down_revision = "0024_xc_identifiers_legal_basis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("xc_datasets") as batch:
        batch.add_column(sa.Column("ready", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("xc_datasets") as batch:
        batch.drop_column("ready")
