"""report builds: the round report's DOCX/XLSX built by the worker, with its progress

Revision ID: 0016_report_builds
Revises: 0015_jobs
"""
import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0016_report_builds"
down_revision = "0015_jobs"
branch_labels = None
depends_on = "0002_questionnaires"


def upgrade() -> None:
    op.create_table(
        "report_builds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("fmt", sa.String(length=8), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=120), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_report_builds_requested_by_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_id"], ["questionnaire_rounds.id"],
                                name=op.f("fk_report_builds_round_id_questionnaire_rounds"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_builds")),
    )
    with op.batch_alter_table("report_builds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_builds_requested_by_id"), ["requested_by_id"], unique=False)


def downgrade() -> None:
    op.drop_table("report_builds")
