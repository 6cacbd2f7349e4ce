"""casemgmt: indexes so that no page or API call reads the whole SPOC's data (issue 24).

- The API's case list (GET /api/v1/cases, keyset pages by id): one index per list, so that a page is
  read in id order off an index instead of sorting every open case of the SPOC on every call.
- The statistics dashboard and the Art. 18 figures: the year's cases and exchanges read off covering
  indexes (ix_cases_statistics replaces ix_cases_country_received, which only the statistics used;
  ix_case_exchanges_art18 is widened).
- Retention: the reviews due and the open cases without activity, off small partial indexes.
- The SPOC's case-management log newest first (the DPO's page), and a case's LED Art. 25 log on its
  page: the entries of one object, newest first, instead of every entry of the SPOC's log.

Revision ID: 0024_perf_indexes
Revises: 0021_duty
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_perf_indexes"
down_revision = "0021_duty"
branch_labels = None
depends_on = ("0001_foundation",)

OPEN_CASE_SQL = ("status IN ('received', 'evaluated', 'awaiting_clarification', 'cross_checked', 'disseminated', "
                 "'awaiting_national_reply', 'awaiting_partner', 'replied') AND merged_into_id IS NULL")
ACTION_CASE_SQL = "status IN ('received', 'evaluated', 'cross_checked', 'disseminated') AND merged_into_id IS NULL"
WAITING_CASE_SQL = ("status IN ('awaiting_clarification', 'awaiting_national_reply', 'awaiting_partner') "
                    "AND merged_into_id IS NULL")
REVIEW_DUE_SQL = "erased_at IS NULL AND review_due_at IS NOT NULL"
# the statistics dashboard and the Art. 18 figures: a year read off the index alone
STATISTICS_COLUMNS = ["received_at", "country_code", "merged_into_id", "direction", "request_type", "channel",
                      "counterpart_country", "urgent", "information_access", "status", "replied_at", "deadline_met",
                      "due_at"]
ART18_COLUMNS = ["country_code", "legal_framework", "received_at", "counterpart_kind", "type", "duplicate_of_id",
                 "direction", "counterpart_country", "urgent", "answered", "art5_2_deviation", "refused", "case_id"]
PARTIAL = (("ix_cases_api_open", OPEN_CASE_SQL), ("ix_cases_api_action", ACTION_CASE_SQL),
           ("ix_cases_api_waiting", WAITING_CASE_SQL))


def upgrade() -> None:
    op.create_index("ix_cases_api_all", "cases", ["country_code", "id"])
    op.create_index("ix_cases_api_status", "cases", ["country_code", "status", "id"])
    for name, where in PARTIAL:
        op.create_index(name, "cases", ["country_code", "id"], sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))
    op.create_index("ix_cases_review_due", "cases", ["country_code", "review_due_at"],
                    sqlite_where=sa.text(REVIEW_DUE_SQL), postgresql_where=sa.text(REVIEW_DUE_SQL))
    op.create_index("ix_cases_open_updated", "cases", ["country_code", "updated_at"],
                    sqlite_where=sa.text(OPEN_CASE_SQL), postgresql_where=sa.text(OPEN_CASE_SQL))
    op.drop_index("ix_cases_country_received", table_name="cases")
    op.create_index("ix_cases_statistics", "cases", STATISTICS_COLUMNS)
    op.drop_index("ix_case_exchanges_art18", table_name="case_exchanges")
    op.create_index("ix_case_exchanges_art18", "case_exchanges", ART18_COLUMNS)
    op.create_index("ix_audit_log_object", "audit_log", ["object_id", "object_type", "country_code", "area", "seq"])
    op.create_index("ix_audit_log_country_area_seq", "audit_log", ["country_code", "area", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_country_area_seq", table_name="audit_log")
    op.drop_index("ix_audit_log_object", table_name="audit_log")
    op.drop_index("ix_case_exchanges_art18", table_name="case_exchanges")
    op.create_index("ix_case_exchanges_art18", "case_exchanges", ["country_code", "legal_framework", "received_at"])
    op.drop_index("ix_cases_statistics", table_name="cases")
    op.create_index("ix_cases_country_received", "cases", ["country_code", "received_at"])
    op.drop_index("ix_cases_open_updated", table_name="cases")
    op.drop_index("ix_cases_review_due", table_name="cases")
    for name, _ in reversed(PARTIAL):
        op.drop_index(name, table_name="cases")
    op.drop_index("ix_cases_api_status", table_name="cases")
    op.drop_index("ix_cases_api_all", table_name="cases")
