"""questionnaires, second round (issue 20): national clearance (a round may require the Head of SPOC's
approval; the comment of a send-back; the response's history of events), prefill (a round's drafts start from
the last submitted answers, each marked until confirmed), and questions to the secretariat (threads, messages,
a published answer shown to every country), and the marking printed on a round's PDFs.

Revision ID: 0016_questionnaires_round2
Revises: 0002_questionnaires
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0016_questionnaires_round2"
down_revision = "0002_questionnaires"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questionnaire_rounds") as batch:
        batch.add_column(sa.Column("requires_clearance", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("prefilled", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("marking", sa.String(length=60), nullable=False, server_default=""))
    with op.batch_alter_table("questionnaire_responses") as batch:
        batch.add_column(sa.Column("clearance_comment", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("questionnaire_answers") as batch:
        batch.add_column(sa.Column("prefilled_from_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("confirmed", sa.Boolean(), nullable=False, server_default="1"))
        batch.create_foreign_key(batch.f("fk_questionnaire_answers_prefilled_from_id_questionnaire_responses"),
                                 "questionnaire_responses", ["prefilled_from_id"], ["id"])

    op.create_table(
        "questionnaire_response_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=24), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"],
                                name=op.f("fk_questionnaire_response_events_actor_id_users")),
        sa.ForeignKeyConstraint(["response_id"], ["questionnaire_responses.id"], ondelete="CASCADE",
                                name=op.f("fk_questionnaire_response_events_response_id_questionnaire_responses")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_response_events")),
    )
    with op.batch_alter_table("questionnaire_response_events") as batch:
        batch.create_index(batch.f("ix_questionnaire_response_events_response_id"), ["response_id"], unique=False)

    op.create_table(
        "questionnaire_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("public_note", sa.Text(), nullable=False),
        sa.Column("published_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["country_code"], ["countries.code"],
                                name=op.f("fk_questionnaire_threads_country_code_countries")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_questionnaire_threads_created_by_id_users")),
        sa.ForeignKeyConstraint(["round_id"], ["questionnaire_rounds.id"], ondelete="CASCADE",
                                name=op.f("fk_questionnaire_threads_round_id_questionnaire_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_threads")),
    )
    op.create_index("ix_questionnaire_threads_round_country", "questionnaire_threads", ["round_id", "country_code"])

    op.create_table(
        "questionnaire_thread_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("from_secretariat", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_questionnaire_thread_messages_author_id_users")),
        sa.ForeignKeyConstraint(["thread_id"], ["questionnaire_threads.id"], ondelete="CASCADE",
                                name=op.f("fk_questionnaire_thread_messages_thread_id_questionnaire_threads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_thread_messages")),
    )
    with op.batch_alter_table("questionnaire_thread_messages") as batch:
        batch.create_index(batch.f("ix_questionnaire_thread_messages_thread_id"), ["thread_id"], unique=False)


def downgrade() -> None:
    op.drop_table("questionnaire_thread_messages")
    op.drop_index("ix_questionnaire_threads_round_country", table_name="questionnaire_threads")
    op.drop_table("questionnaire_threads")
    op.drop_table("questionnaire_response_events")
    with op.batch_alter_table("questionnaire_answers") as batch:
        batch.drop_constraint("fk_questionnaire_answers_prefilled_from_id_questionnaire_responses", type_="foreignkey")
        batch.drop_column("confirmed")
        batch.drop_column("prefilled_from_id")
    with op.batch_alter_table("questionnaire_responses") as batch:
        batch.drop_column("clearance_comment")
    with op.batch_alter_table("questionnaire_rounds") as batch:
        batch.drop_column("marking")
        batch.drop_column("prefilled")
        batch.drop_column("requires_clearance")
