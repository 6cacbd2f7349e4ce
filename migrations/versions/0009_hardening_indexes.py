"""casemgmt: the merged-into index and partial indexes of the open cases for the inbox (display order) and the team's load.

Revision ID: 0009_hardening_indexes
Revises: 0003_casemgmt
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_hardening_indexes"
down_revision = "0003_casemgmt"
branch_labels = None
depends_on = None

# Must match casemgmt.models.case.OPEN_CASE_SQL (and the literal IN list of the inbox's query).
OPEN = ("status IN ('received', 'evaluated', 'awaiting_clarification', 'cross_checked', 'disseminated', "
        "'awaiting_national_reply', 'replied') AND merged_into_id IS NULL")


def upgrade() -> None:
    # the case page lists the cases merged into it: without this, a scan of every case
    op.create_index("ix_cases_merged_into_id", "cases", ["merged_into_id"])
    where = dict(sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_cases_open_inbox", "cases", ["country_code", "priority", "due_at", "id"], **where)
    op.create_index("ix_cases_open_load", "cases", ["country_code", "assignee_id", "due_at", "replied_at",
                                                    "paused_since", "direction", "request_type"], **where)


def downgrade() -> None:
    op.drop_index("ix_cases_open_load", table_name="cases")
    op.drop_index("ix_cases_open_inbox", table_name="cases")
    op.drop_index("ix_cases_merged_into_id", table_name="cases")
