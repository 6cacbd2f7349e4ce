"""casemgmt: the wide statistics indexes give way to one small partial index (issue 16: the intake's rate).

Since the statistics dashboard and the Art. 18 figures read the maintained counts (0032), the two
covering indexes made for counting a year off the index alone (ix_cases_statistics, 13 columns;
ix_case_exchanges_art18, 13 columns) serve nothing but cost every new case and exchange an entry
written under the write lock. The dashboard's one count still read from the cases, the open incoming
requests overdue or in time, gets its own partial index (ix_cases_open_requests).

Revision ID: 0038_statistics_indexes
Revises: 0032_statistics_counts
"""

import sqlalchemy as sa
from alembic import op

revision = "0038_statistics_indexes"
down_revision = "0032_statistics_counts"
branch_labels = None
depends_on = None

# casemgmt.models.case.OPEN_REQUEST_SQL as it is at this revision
OPEN_REQUEST_SQL = (
    "status IN ('received', 'evaluated', 'awaiting_clarification', 'cross_checked', 'disseminated', "
    "'awaiting_national_reply', 'awaiting_partner', 'replied') AND merged_into_id IS NULL "
    "AND direction = 'in' AND request_type = 'request' AND replied_at IS NULL"
)

_CASE_COLUMNS = ["received_at", "country_code", "merged_into_id", "direction", "request_type", "channel",
                 "counterpart_country", "urgent", "information_access", "status", "replied_at", "deadline_met",
                 "due_at"]
_EXCHANGE_COLUMNS = ["country_code", "legal_framework", "received_at", "counterpart_kind", "type",
                     "duplicate_of_id", "direction", "counterpart_country", "urgent", "answered", "art5_2_deviation",
                     "refused", "case_id"]


def upgrade() -> None:
    op.drop_index("ix_cases_statistics", table_name="cases")
    op.drop_index("ix_case_exchanges_art18", table_name="case_exchanges")
    op.create_index("ix_cases_open_requests", "cases", ["country_code", "received_at", "due_at"],
                    sqlite_where=sa.text(OPEN_REQUEST_SQL), postgresql_where=sa.text(OPEN_REQUEST_SQL))


def downgrade() -> None:
    op.drop_index("ix_cases_open_requests", table_name="cases")
    op.create_index("ix_case_exchanges_art18", "case_exchanges", _EXCHANGE_COLUMNS)
    op.create_index("ix_cases_statistics", "cases", _CASE_COLUMNS)
