"""meetings (issue 19 A): the marking of a meeting, of its minutes, of each agenda item and document; the
release of a meeting's documents and minutes to its observers; items and documents for Member States only.

Revision ID: 0035_meetings_markings_release
Revises: 0015_meetings_ical_sequence
"""

import sqlalchemy as sa
from alembic import op

revision = "0035_meetings_markings_release"
down_revision = "0015_meetings_ical_sequence"
branch_labels = None
depends_on = None


def _marking() -> sa.Column:
    return sa.Column("marking", sa.String(length=60), nullable=False, server_default="")


def _ms_only() -> sa.Column:
    return sa.Column("member_states_only", sa.Boolean(), nullable=False, server_default="0")


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(_marking())
        batch.add_column(sa.Column("minutes_marking", sa.String(length=60), nullable=False, server_default=""))
        batch.add_column(sa.Column("released_to_observers", sa.Boolean(), nullable=False, server_default="0"))
    for table in ("meeting_agenda_items", "meeting_documents"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(_marking())
            batch.add_column(_ms_only())


def downgrade() -> None:
    for table in ("meeting_documents", "meeting_agenda_items"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("member_states_only")
            batch.drop_column("marking")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("released_to_observers")
        batch.drop_column("minutes_marking")
        batch.drop_column("marking")
