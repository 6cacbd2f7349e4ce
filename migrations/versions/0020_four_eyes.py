"""casemgmt: four-eyes approvals of refusals, restricted information and own requests (issue 17, point 5).

Revision ID: 0020_four_eyes
Revises: 0019_message_templates
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0020_four_eyes"
down_revision = "0019_message_templates"
branch_labels = None
depends_on = None
UTC = portal.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "case_approvals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("exchange_number", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("requested_at", UTC, nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_index("ix_case_approvals_case_id", "case_approvals", ["case_id"])
    op.create_index("ix_case_approvals_pending", "case_approvals", ["country_code", "state", "requested_at"])


def downgrade() -> None:
    op.drop_index("ix_case_approvals_pending", table_name="case_approvals")
    op.drop_index("ix_case_approvals_case_id", table_name="case_approvals")
    op.drop_table("case_approvals")
