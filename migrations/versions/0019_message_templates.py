"""casemgmt: a SPOC's message templates (issue 17, point 2).

Revision ID: 0019_message_templates
Revises: 0018_outgoing_requests
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0019_message_templates"
down_revision = "0018_outgoing_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_message_templates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("ground", sa.String(1), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("country_code", "kind", "language", "title", name="uq_case_message_templates"),
    )
    op.create_index("ix_case_message_templates_country_code", "case_message_templates", ["country_code"])


def downgrade() -> None:
    op.drop_index("ix_case_message_templates_country_code", table_name="case_message_templates")
    op.drop_table("case_message_templates")
