"""meetings: the iCalendar SEQUENCE of a meeting, raised on each change mailed to the invitees (RFC 5546).

Revision ID: 0015_meetings_ical_sequence
Revises: 0012_meetings_withdrawn
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_meetings_ical_sequence"
down_revision = "0012_meetings_withdrawn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("ical_sequence", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("ical_sequence")
