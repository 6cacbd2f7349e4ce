"""casemgmt: an index for the "all" list of the inbox (every state, in display order).

Revision ID: 0013_cases_all_inbox
Revises: 0012_entity_flags
"""

from alembic import op

revision = "0013_cases_all_inbox"
down_revision = "0012_entity_flags"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_all_inbox", "cases", ["country_code", "priority", "due_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_cases_all_inbox", table_name="cases")
