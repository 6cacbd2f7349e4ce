"""markings (issue 19 A): the network settings table (the secretariat's list of markings) and the kind of each
observer organisation (INTERPOL is an international organisation, not an EU agency).

Revision ID: 0034_network_settings_markings
Revises: 0023_security_pass2
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0034_network_settings_markings"
down_revision = "0023_security_pass2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_settings",
        sa.Column("key", sa.String(length=64), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("agencies") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=30), nullable=False, server_default="eu_agency"))
    agencies = sa.table("agencies", sa.column("code", sa.String), sa.column("kind", sa.String))
    op.get_bind().execute(agencies.update().where(agencies.c.code == "INTERPOL")
                          .values(kind="international_organisation"))


def downgrade() -> None:
    with op.batch_alter_table("agencies") as batch:
        batch.drop_column("kind")
    op.drop_table("network_settings")
