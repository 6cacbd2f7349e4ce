"""casemgmt: the SPOC's own requests wait on the partner in their own state (issue 16, point 9).

An open outgoing request whose partner has not answered moves from "received" (where it sat in the
list of work needing the SPOC's action) to "awaiting_partner", listed with what waits on others. The
partial indexes of the open and waiting lists name the new state.

Revision ID: 0017_cases_awaiting_partner
Revises: 0015_exchanges
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_cases_awaiting_partner"
down_revision = "0015_exchanges"
branch_labels = None
depends_on = None

OLD_WAITING = "status IN ('awaiting_clarification', 'awaiting_national_reply') AND merged_into_id IS NULL"
OLD_OPEN = ("status IN ('received', 'evaluated', 'awaiting_clarification', 'cross_checked', 'disseminated', "
            "'awaiting_national_reply', 'replied') AND merged_into_id IS NULL")
# casemgmt.models.case WAITING_CASE_SQL / OPEN_CASE_SQL (term for term: SQLite's partial-index rule)
WAITING = ("status IN ('awaiting_clarification', 'awaiting_national_reply', 'awaiting_partner') "
           "AND merged_into_id IS NULL")
OPEN = ("status IN ('received', 'evaluated', 'awaiting_clarification', 'cross_checked', 'disseminated', "
        "'awaiting_national_reply', 'awaiting_partner', 'replied') AND merged_into_id IS NULL")
LOAD_COLUMNS = ["country_code", "assignee_id", "due_at", "replied_at", "paused_since", "direction", "request_type",
                "legal_clock"]


def _indexes(open_sql: str, waiting_sql: str) -> None:
    for name in ("ix_cases_open_inbox", "ix_cases_waiting_inbox", "ix_cases_open_load"):
        op.drop_index(name, table_name="cases")
    op.create_index("ix_cases_open_inbox", "cases", ["country_code", "priority", "due_at", "id"],
                    sqlite_where=sa.text(open_sql), postgresql_where=sa.text(open_sql))
    op.create_index("ix_cases_waiting_inbox", "cases", ["country_code", "due_at", "priority", "id"],
                    sqlite_where=sa.text(waiting_sql), postgresql_where=sa.text(waiting_sql))
    op.create_index("ix_cases_open_load", "cases", LOAD_COLUMNS,
                    sqlite_where=sa.text(open_sql), postgresql_where=sa.text(open_sql))


def upgrade() -> None:
    op.execute("UPDATE cases SET status = 'awaiting_partner' WHERE status = 'received' AND direction = 'out' "
               "AND request_type = 'request' AND replied_at IS NULL")
    _indexes(OPEN, WAITING)


def downgrade() -> None:
    op.execute("UPDATE cases SET status = 'received' WHERE status = 'awaiting_partner'")
    _indexes(OLD_OPEN, OLD_WAITING)
