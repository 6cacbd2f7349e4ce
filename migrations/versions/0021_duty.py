"""casemgmt: 24/7 duty roster, handover notes and duty alerts (issue 17, point 4).

Revision ID: 0021_duty
Revises: 0020_four_eyes
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0021_duty"
down_revision = "0020_four_eyes"
branch_labels = None
depends_on = None
UTC = portal.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "case_duty_shifts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("ends_at", UTC, nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_index("ix_case_duty_shifts_when", "case_duty_shifts", ["country_code", "ends_at", "starts_at"])
    op.create_table(
        "case_handover_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_case_handover_notes_at", "case_handover_notes", ["country_code", "at"])
    op.create_table(
        "case_duty_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sent_at", UTC, nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.UniqueConstraint("case_id", "kind", name="uq_case_duty_alerts"),
    )


def downgrade() -> None:
    op.drop_table("case_duty_alerts")
    op.drop_index("ix_case_handover_notes_at", table_name="case_handover_notes")
    op.drop_table("case_handover_notes")
    op.drop_index("ix_case_duty_shifts_when", table_name="case_duty_shifts")
    op.drop_table("case_duty_shifts")
