"""casemgmt: the SPOC's own requests carry their Art. 4(5) content and the Art. 12 decision on a copy
to Europol (issue 17, point 1). Existing exchanges get an empty content and no decision.

Revision ID: 0018_outgoing_requests
Revises: 0017_cases_awaiting_partner
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_outgoing_requests"
down_revision = "0017_cases_awaiting_partner"
branch_labels = None
depends_on = None
WAITING = "state = 'awaiting_partner' AND direction = 'out' AND due_at IS NOT NULL"  # casemgmt.models.exchange


def upgrade() -> None:
    with op.batch_alter_table("case_exchanges") as batch:
        batch.add_column(sa.Column("request_content", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("europol_copy", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("europol_copy_reason", sa.String(2000), nullable=False, server_default=""))
    op.create_index("ix_case_exchanges_chase", "case_exchanges", ["country_code", "due_at"],
                    sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING))


def downgrade() -> None:
    op.drop_index("ix_case_exchanges_chase", table_name="case_exchanges")
    with op.batch_alter_table("case_exchanges") as batch:
        batch.drop_column("europol_copy_reason")
        batch.drop_column("europol_copy")
        batch.drop_column("request_content")
