"""meetings (issue 19 A): the marking of a meeting, of its minutes, of each agenda item and document; the
release of a meeting's documents and minutes to its observers; items and documents for Member States only;
the named participants of each delegation (with identity details kept until the meeting is over).

Revision ID: 0035_meetings_markings_release
Revises: 0015_meetings_ical_sequence
"""

import sqlalchemy as sa
from alembic import op

import portal.db

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
    op.create_table(
        "meeting_delegates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invitation_id", sa.Integer(), sa.ForeignKey("meeting_invitations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("function", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("nationality", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("document_number", sa.String(length=60), nullable=False),
        sa.Column("identity_erased_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attendance", sa.String(length=20), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_meeting_delegates_invitation_id", "meeting_delegates", ["invitation_id"])


def downgrade() -> None:
    op.drop_index("ix_meeting_delegates_invitation_id", table_name="meeting_delegates")
    op.drop_table("meeting_delegates")
    for table in ("meeting_documents", "meeting_agenda_items"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("member_states_only")
            batch.drop_column("marking")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("released_to_observers")
        batch.drop_column("minutes_marking")
        batch.drop_column("marking")
