"""casemgmt: fewer index pages written per intake. The entity tables' country indexes go (no query
reads entities by country: always by case); the assignee and merged-into indexes cover only the
cases that have one (a new case has neither, and every query on them asks for a given value).

Revision ID: 0010_intake_indexes
Revises: 0009_hardening_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_intake_indexes"
down_revision = "0009_hardening_indexes"
branch_labels = None
depends_on = None

ENTITY_TABLES = ("case_persons", "case_documents", "case_vehicles", "case_phones", "case_emails", "case_companies")
SPARSE = (("ix_cases_assignee_id", "assignee_id"), ("ix_cases_merged_into_id", "merged_into_id"))


def upgrade() -> None:
    for table in ENTITY_TABLES:
        op.drop_index(f"ix_{table}_country_code", table_name=table)
    for name, column in SPARSE:
        op.drop_index(name, table_name="cases")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, "cases", [column], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, column in SPARSE:
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", [column])
    for table in ENTITY_TABLES:
        op.create_index(f"ix_{table}_country_code", table, ["country_code"])
