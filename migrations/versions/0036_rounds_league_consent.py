"""questionnaires (issue 19 A): league tables and ranks per round (off unless the secretariat turns them on,
with a note), and each country's consent, per response, to other countries reading its own words.

Revision ID: 0036_rounds_league_consent
Revises: 0016_questionnaires_round2
"""

import sqlalchemy as sa
from alembic import op

revision = "0036_rounds_league_consent"
down_revision = "0016_questionnaires_round2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questionnaire_rounds") as batch:
        batch.add_column(sa.Column("league_tables", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("league_note", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("questionnaire_responses") as batch:
        batch.add_column(sa.Column("share_free_text", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_responses") as batch:
        batch.drop_column("share_free_text")
    with op.batch_alter_table("questionnaire_rounds") as batch:
        batch.drop_column("league_note")
        batch.drop_column("league_tables")
