"""casemgmt: the statistics' maintained counts (issue 24), filled from the existing cases and exchanges.

The dashboard and the Art. 18 figures read these few rows a year instead of the year's cases and
exchanges; the services that change a case or an exchange keep them (casemgmt.services.counts).

Revision ID: 0032_statistics_counts
Revises: 0024_perf_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0032_statistics_counts"
down_revision = "0024_perf_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    key = {"nullable": False, "server_default": ""}
    op.create_table(
        "case_statistics_counts",
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("figure", sa.String(16), nullable=False),
        sa.Column("k1", sa.String(64), **key),
        sa.Column("k2", sa.String(64), **key),
        sa.Column("k3", sa.String(64), **key),
        sa.Column("k4", sa.String(64), **key),
        sa.Column("k5", sa.String(64), **key),
        sa.Column("value", sa.Float(), nullable=False, server_default="0"),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("country_code", "year", "figure", "k1", "k2", "k3", "k4", "k5", "value",
                                name="pk_case_statistics_counts"),
    )
    from casemgmt.services.counts import rebuild

    rebuild(op.get_bind())  # what the existing cases and exchanges count


def downgrade() -> None:
    op.drop_table("case_statistics_counts")
