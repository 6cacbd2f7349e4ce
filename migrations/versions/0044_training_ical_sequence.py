"""training: the iCalendar SEQUENCE of an activity, raised on each change mailed to its confirmed participants
(RFC 5546).

Revision ID: 0044_training_ical_sequence
Revises: 0007_training
"""

import sqlalchemy as sa
from alembic import op

revision = "0044_training_ical_sequence"
down_revision = "0007_training"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_activities") as batch:
        batch.add_column(sa.Column("ical_sequence", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("training_activities") as batch:
        batch.drop_column("ical_sequence")
