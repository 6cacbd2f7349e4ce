"""casemgmt: every kind of entity may be flagged inaccurate or out of date, with the reason and
when (until now only persons had the flag, and nothing set it).

Revision ID: 0012_entity_flags
Revises: 0010_intake_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_entity_flags"
down_revision = "0010_intake_indexes"
branch_labels = None
depends_on = None

TABLES = ("case_persons", "case_documents", "case_vehicles", "case_phones", "case_emails", "case_companies")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            if table != "case_persons":
                batch.add_column(sa.Column("flagged_inaccurate", sa.Boolean(), nullable=False,
                                           server_default=sa.false()))
            batch.add_column(sa.Column("flag_reason", sa.Text(), nullable=False, server_default=""))
            batch.add_column(sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("flagged_at")
            batch.drop_column("flag_reason")
            if table != "case_persons":
                batch.drop_column("flagged_inaccurate")
