"""casemgmt: case folder -> exchanges -> messages (issue 16). Every case becomes a folder whose first
exchange is what the case was: its direction, type, counterpart (typed), channel, legal framework,
Art. 5(1) deadline, state and outcome; every message of the case belongs to that exchange. The
countries get the directory field saying whether Directive (EU) 2023/977 binds them.

An Art. 5(2) deviation is re-derived as the Directive defines it (answered after the limit, with a
delay notice for judicial authorisation given): before, a delay notice alone set it. Nothing is
dropped: the case's own columns stay as they were.

Revision ID: 0015_exchanges
Revises: 0013_cases_all_inbox
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0015_exchanges"
down_revision = "0013_cases_all_inbox"
branch_labels = None
depends_on = ("0001_foundation",)

NETWORK = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL", "HU", "IE", "IT", "LV", "LT",
           "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH")
NOT_BOUND = ("DK",)  # recital 44 (portal.directory.reference.DIRECTIVE_2023_977_NOT_BINDING)
LIMITS = {"direct": 8, "indirect": 72}
NO_CLOCK_ORDER = dt.timedelta(hours=100 * 365 * 24)  # casemgmt.services.deadlines.NO_CLOCK_ORDER_HOURS
ACTION_CASE_SQL = "status IN ('received', 'evaluated', 'cross_checked', 'disseminated') AND merged_into_id IS NULL"
WAITING_CASE_SQL = "status IN ('awaiting_clarification', 'awaiting_national_reply') AND merged_into_id IS NULL"
OPEN_CASE_SQL = ("status IN ('received', 'evaluated', 'awaiting_clarification', 'cross_checked', 'disseminated', "
                 "'awaiting_national_reply', 'replied') AND merged_into_id IS NULL")
UTC = portal.db.UTCDateTime(timezone=True)
TIMES = {"received_at", "paused_since", "replied_at", "exchange_concluded_at", "created_at", "due_at", "target_at",
         "delay_notice_at", "answered_at", "closed_at", "at"}


def upgrade() -> None:
    with op.batch_alter_table("countries") as batch:
        batch.add_column(sa.Column("bound_by_2023_977", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute(sa.text("UPDATE countries SET bound_by_2023_977 = :f WHERE code IN ('DK')").bindparams(f=False))
    op.create_table(
        "case_exchanges",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("legal_framework", sa.String(30), nullable=False),
        sa.Column("counterpart_kind", sa.String(30), nullable=False),
        sa.Column("counterpart_country", sa.String(2), nullable=True),
        sa.Column("counterpart_name", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("channel_reason", sa.String(60), nullable=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("received_at", UTC, nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("urgency_ground", sa.String(40), nullable=True),
        sa.Column("information_access", sa.String(10), nullable=True),
        sa.Column("limit_hours", sa.Integer(), nullable=True),
        sa.Column("due_at", UTC, nullable=True),
        sa.Column("target_at", UTC, nullable=True),
        sa.Column("paused_since", UTC, nullable=True),
        sa.Column("paused_seconds", sa.Integer(), nullable=False),
        sa.Column("delay_notice_at", UTC, nullable=True),
        sa.Column("answered_at", UTC, nullable=True),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("refused", sa.Boolean(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("art5_2_deviation", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("possible_duplicates", sa.JSON(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), sa.ForeignKey("case_exchanges.id"), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.UniqueConstraint("case_id", "number", name="uq_case_exchanges_number"),
    )
    op.create_index("ix_case_exchanges_case_id", "case_exchanges", ["case_id"])
    op.create_index("ix_case_exchanges_art18", "case_exchanges", ["country_code", "legal_framework", "received_at"])
    with op.batch_alter_table("case_messages") as batch:
        batch.add_column(sa.Column("exchange_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("expected_delay_hours", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("source_code", sa.String(1), nullable=True))
        batch.add_column(sa.Column("information_code", sa.String(1), nullable=True))
        batch.create_foreign_key("fk_case_messages_exchange_id", "case_exchanges", ["exchange_id"], ["id"])
        batch.create_index("ix_case_messages_exchange_id", ["exchange_id"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("legal_framework", sa.String(30), nullable=False, server_default="2023/977"))
        batch.add_column(sa.Column("legal_clock", sa.Boolean(), nullable=False, server_default=sa.true()))
    fold_cases_into_exchanges()
    # the team load counts running legal clocks only: legal_clock joins its index (still read alone)
    op.drop_index("ix_cases_open_load", table_name="cases")
    op.create_index("ix_cases_open_load", "cases", ["country_code", "assignee_id", "due_at", "replied_at", "paused_since",
                                                    "direction", "request_type", "legal_clock"],
                    sqlite_where=sa.text(OPEN_CASE_SQL), postgresql_where=sa.text(OPEN_CASE_SQL))
    for name, where in (("ix_cases_action_inbox", ACTION_CASE_SQL), ("ix_cases_waiting_inbox", WAITING_CASE_SQL)):
        op.create_index(name, "cases", ["country_code", "due_at", "priority", "id"],
                        sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def _counterpart(own: str, country: str | None, kind: str) -> tuple[str, str | None, str]:
    if kind == "europol":
        return "agency", None, "EUROPOL"
    if country == own and kind in ("competent_authority", "designated_authority", "other"):
        return ("designated_authority" if kind == "designated_authority" else "national_authority"), None, ""
    if country in NETWORK:
        return "member_state", country, ""
    return "third_country", country, ""


def _framework(own: str, channel: str, kind: str, country: str | None, name: str) -> str:
    if channel == "SIRENE":
        return "sis_sirene"
    if kind == "agency" and name == "EUROPOL":
        return "europol_regulation"
    if channel == "INTERPOL":
        return "interpol"
    if channel == "NATIONAL" or kind in ("national_authority", "designated_authority"):
        return "national"
    if kind == "member_state" and country not in NOT_BOUND and own not in NOT_BOUND:
        return "2023/977"
    return "other_agreement"


def _outcome(status: str, request_type: str, answered: bool, refused: bool) -> str | None:
    if status not in ("closed", "archived"):
        return None
    if request_type in ("copy", "own_initiative"):
        return "information_only"
    if refused:
        return "partly_refused" if answered else "refused"
    if answered:
        return "information_provided"
    return None  # closed before outcomes were recorded: left unknown, not invented


def fold_cases_into_exchanges() -> None:
    conn = op.get_bind()
    def col(name):
        if name == "possible_duplicates":
            return sa.column(name, sa.JSON())
        return sa.column(name, UTC) if name in TIMES else sa.column(name)

    cases = sa.table("cases", *[col(c) for c in (
        "id", "country_code", "status", "direction", "request_type", "channel", "counterpart_country",
        "counterpart_type", "language", "received_at", "urgent", "urgency_ground", "information_access",
        "paused_since", "paused_seconds", "replied_at", "answered", "refused", "judicial_authorisation_pending",
        "exchange_concluded_at", "created_at", "legal_framework", "legal_clock", "art5_2_deviation", "due_at")])
    messages = sa.table("case_messages", sa.column("id"), sa.column("case_id"), sa.column("type"),
                        sa.column("at", UTC), sa.column("exchange_id"), sa.column("channel_reason"))
    exchanges = sa.table("case_exchanges", *[col(c) for c in (
        "id", "case_id", "country_code", "number", "direction", "type", "legal_framework", "counterpart_kind",
        "counterpart_country", "counterpart_name", "channel", "channel_reason", "language", "received_at",
        "urgent", "urgency_ground", "information_access", "limit_hours", "due_at", "target_at", "paused_since",
        "paused_seconds", "delay_notice_at", "answered_at", "answered", "refused", "late", "art5_2_deviation",
        "state", "outcome", "closed_at", "possible_duplicates", "duplicate_of_id", "created_at")])
    notices = dict(conn.execute(sa.select(messages.c.case_id, sa.func.min(messages.c.at))
                                .where(messages.c.type == "delay_notice").group_by(messages.c.case_id)).all())
    reasons = dict(conn.execute(sa.select(messages.c.case_id, sa.func.min(messages.c.channel_reason))
                                .group_by(messages.c.case_id)).all())
    last_id = 0
    while True:
        batch = conn.execute(sa.select(cases).where(cases.c.id > last_id).order_by(cases.c.id).limit(2000)).all()
        if not batch:
            break
        last_id = batch[-1].id
        rows, updates = [], []
        for c in batch:
            kind, country, name = _counterpart(c.country_code, c.counterpart_country, c.counterpart_type)
            framework = _framework(c.country_code, c.channel, kind, country, name)
            ex_type = c.request_type if c.request_type in ("request", "own_initiative", "copy") else "copy"
            clock = framework == "2023/977" and ex_type == "request"
            received = _aware(c.received_at)
            limit = (LIMITS.get(c.information_access, 72) if c.urgent else 168) if clock else None
            due = received + dt.timedelta(hours=limit, seconds=c.paused_seconds or 0) if clock else None
            answered_at = _aware(c.replied_at)
            late = bool(due is not None and answered_at is not None and answered_at > due)
            notice = _aware(notices.get(c.id))
            closed = c.status in ("closed", "archived")
            state = ("closed" if closed else "answered" if answered_at is not None
                     else "awaiting_clarification" if c.status == "awaiting_clarification"
                     else "awaiting_partner" if c.direction == "out" and ex_type == "request" else "open")
            rows.append(dict(
                case_id=c.id, country_code=c.country_code, number=1, direction=c.direction, type=ex_type,
                legal_framework=framework, counterpart_kind=kind, counterpart_country=country, counterpart_name=name,
                channel=c.channel, channel_reason=reasons.get(c.id), language=c.language or "", received_at=received,
                urgent=bool(c.urgent), urgency_ground=c.urgency_ground, information_access=c.information_access,
                limit_hours=limit, due_at=due, target_at=None, paused_since=_aware(c.paused_since) if clock else None,
                paused_seconds=c.paused_seconds or 0, delay_notice_at=notice, answered_at=answered_at,
                answered=bool(c.answered), refused=bool(c.refused), late=late,
                art5_2_deviation=bool(late and notice is not None), state=state,
                outcome=_outcome(c.status, c.request_type, bool(c.answered), bool(c.refused)),
                closed_at=_aware(c.exchange_concluded_at) if closed else None, possible_duplicates=[],
                duplicate_of_id=None, created_at=_aware(c.created_at)))
            case_clock = clock and c.direction == "in"
            updates.append(dict(cid=c.id, fw=framework, clock=case_clock, dev=bool(late and notice is not None),
                                order=None if case_clock else received + NO_CLOCK_ORDER))
        conn.execute(exchanges.insert(), rows)
        conn.execute(sa.update(cases).where(cases.c.id == sa.bindparam("cid")).values(
            legal_framework=sa.bindparam("fw"), legal_clock=sa.bindparam("clock"),
            art5_2_deviation=sa.bindparam("dev")), updates)
        untimed = [u for u in updates if u["order"] is not None]
        if untimed:
            conn.execute(sa.update(cases).where(cases.c.id == sa.bindparam("cid")).values(
                due_at=sa.bindparam("order", type_=UTC)), untimed)
    conn.execute(sa.text("UPDATE case_messages SET exchange_id = (SELECT e.id FROM case_exchanges e "
                         "WHERE e.case_id = case_messages.case_id AND e.number = 1) WHERE exchange_id IS NULL"))


def _aware(value):
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def downgrade() -> None:
    op.drop_index("ix_cases_open_load", table_name="cases")
    op.create_index("ix_cases_open_load", "cases", ["country_code", "assignee_id", "due_at", "replied_at", "paused_since",
                                                    "direction", "request_type"],
                    sqlite_where=sa.text(OPEN_CASE_SQL), postgresql_where=sa.text(OPEN_CASE_SQL))
    op.drop_index("ix_cases_waiting_inbox", "cases")
    op.drop_index("ix_cases_action_inbox", "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("legal_clock")
        batch.drop_column("legal_framework")
    with op.batch_alter_table("case_messages") as batch:
        batch.drop_index("ix_case_messages_exchange_id")
        batch.drop_constraint("fk_case_messages_exchange_id", type_="foreignkey")
        batch.drop_column("information_code")
        batch.drop_column("source_code")
        batch.drop_column("expected_delay_hours")
        batch.drop_column("exchange_id")
    op.drop_index("ix_case_exchanges_art18", "case_exchanges")
    op.drop_index("ix_case_exchanges_case_id", "case_exchanges")
    op.drop_table("case_exchanges")
    with op.batch_alter_table("countries") as batch:
        batch.drop_column("bound_by_2023_977")
