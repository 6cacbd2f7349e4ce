"""meetings: an invitation can be withdrawn (kept, with when and why).

Revision ID: 0012_meetings_withdrawn
Revises: 0004_meetings
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0012_meetings_withdrawn"
down_revision = "0004_meetings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_invitations") as batch:
        batch.add_column(sa.Column("withdrawn_at", portal.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("meeting_invitations") as batch:
        batch.drop_column("withdrawn_reason")
        batch.drop_column("withdrawn_at")
