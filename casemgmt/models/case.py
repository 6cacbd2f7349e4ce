"""The case, its registration counter, external references, links, settings and the authority directory."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casemgmt.models.deadline import HasDeadline
from casemgmt.models.enums import OPEN_STATUSES, CaseStatus
from casemgmt.models.states import in_states, states_sql
from portal.db import Base, EnumText, UTCDateTime, utcnow

# A case's state, defined once (issue 22, point 4): the tuples below, the hybrid properties of Case
# (Python on an object, SQL in a query) and the partial indexes' WHERE text all come from them.
# The officer's lists (issue 16, point 9): what needs the SPOC's action, what waits on the
# requester's clarification or a national authority.
ACTION_STATES = (CaseStatus.RECEIVED, CaseStatus.EVALUATED, CaseStatus.CROSS_CHECKED, CaseStatus.DISSEMINATED)
WAITING_STATES = (CaseStatus.AWAITING_CLARIFICATION, CaseStatus.AWAITING_NATIONAL_REPLY,
                  CaseStatus.AWAITING_PARTNER)

# The partial indexes' WHERE, term for term what the hybrids render (SQLite's partial-index rule)
OPEN_CASE_SQL = f"{states_sql('status', OPEN_STATUSES)} AND merged_into_id IS NULL"
ACTION_CASE_SQL = f"{states_sql('status', ACTION_STATES)} AND merged_into_id IS NULL"
WAITING_CASE_SQL = f"{states_sql('status', WAITING_STATES)} AND merged_into_id IS NULL"
# The incoming requests still unanswered (the statistics dashboard's open count, read off their own
# index): must match casemgmt.services.statistics term for term, literals included.
OPEN_REQUEST_SQL = f"{OPEN_CASE_SQL} AND direction = 'in' AND request_type = 'request' AND replied_at IS NULL"
# Must match casemgmt.services.retention.reviews_due term for term.
REVIEW_DUE_SQL = "erased_at IS NULL AND review_due_at IS NOT NULL"




class CaseCounter(Base):
    """The last registration number given per country and year; incremented with UPDATE … RETURNING."""

    __tablename__ = "case_counters"
    __table_args__ = (UniqueConstraint("country_code", "year", name="uq_case_counters_country_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Case(HasDeadline, Base):
    """One case of a SPOC: a registration number and a folder of messages, entities and work."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("registration_number", name="uq_cases_registration_number"),
        UniqueConstraint("country_code", "year", "sequence", name="uq_cases_country_year_sequence"),
        Index("ix_cases_inbox", "country_code", "status", "priority", "due_at"),
        # the statistics dashboard's count of open requests in time / overdue (everything else it shows
        # comes from the maintained counts, casemgmt.services.counts): the SPOC's unanswered incoming
        # requests of a year, a small partial index that a new case enters once
        Index("ix_cases_open_requests", "country_code", "received_at", "due_at",
              sqlite_where=text(OPEN_REQUEST_SQL), postgresql_where=text(OPEN_REQUEST_SQL)),
        # the "all" list (every state) in display order, a keyset page read straight off the index
        # (bench/scale.py: without it 347 ms at 1M cases, every row of the SPOC sorted)
        Index("ix_cases_all_inbox", "country_code", "priority", "due_at", "id"),
        # the inbox of open cases in display order: partial, so closed history never costs anything
        Index("ix_cases_open_inbox", "country_code", "priority", "due_at", "id",
              sqlite_where=text(OPEN_CASE_SQL), postgresql_where=text(OPEN_CASE_SQL)),
        # the officer's lists of work (casemgmt.services.inbox.LISTS) by legal deadline, then priority
        Index("ix_cases_action_inbox", "country_code", "due_at", "priority", "id",
              sqlite_where=text(ACTION_CASE_SQL), postgresql_where=text(ACTION_CASE_SQL)),
        Index("ix_cases_waiting_inbox", "country_code", "due_at", "priority", "id",
              sqlite_where=text(WAITING_CASE_SQL), postgresql_where=text(WAITING_CASE_SQL)),
        # the supervisor's team load: counted from this index alone, open cases only
        Index("ix_cases_open_load", "country_code", "assignee_id", "due_at", "replied_at", "paused_since",
              "direction", "request_type", "legal_clock", sqlite_where=text(OPEN_CASE_SQL),
              postgresql_where=text(OPEN_CASE_SQL)),
        # the API's case list (GET /api/v1/cases) in keyset pages by id, each list read off its own index:
        # without them the open list sorted every open case of the SPOC on every call (issue 24: 1.37 s
        # at 100k imported cases)
        Index("ix_cases_api_all", "country_code", "id"),
        Index("ix_cases_api_status", "country_code", "status", "id"),
        Index("ix_cases_api_open", "country_code", "id", sqlite_where=text(OPEN_CASE_SQL),
              postgresql_where=text(OPEN_CASE_SQL)),
        Index("ix_cases_api_action", "country_code", "id", sqlite_where=text(ACTION_CASE_SQL),
              postgresql_where=text(ACTION_CASE_SQL)),
        Index("ix_cases_api_waiting", "country_code", "id", sqlite_where=text(WAITING_CASE_SQL),
              postgresql_where=text(WAITING_CASE_SQL)),
        # retention: the reviews due (the dashboard and the retention list) and the open cases without
        # activity, each off its own small index instead of every case of the SPOC
        Index("ix_cases_review_due", "country_code", "review_due_at",
              sqlite_where=text(REVIEW_DUE_SQL), postgresql_where=text(REVIEW_DUE_SQL)),
        Index("ix_cases_open_updated", "country_code", "updated_at", sqlite_where=text(OPEN_CASE_SQL),
              postgresql_where=text(OPEN_CASE_SQL)),
        # only the cases that have one (a new case has neither; queries always ask for a given value)
        Index("ix_cases_assignee_id", "assignee_id", sqlite_where=text("assignee_id IS NOT NULL"),
              postgresql_where=text("assignee_id IS NOT NULL")),
        Index("ix_cases_merged_into_id", "merged_into_id", sqlite_where=text("merged_into_id IS NOT NULL"),
              postgresql_where=text("merged_into_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    registration_number: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    status: Mapped[CaseStatus] = mapped_column(EnumText(CaseStatus, 30), default=CaseStatus.RECEIVED)
    subject: Mapped[str] = mapped_column(String(300), default="")
    # what the first message said: the case's origin
    direction: Mapped[str] = mapped_column(String(3), default="in")
    request_type: Mapped[str] = mapped_column(String(30), default="request")
    channel: Mapped[str] = mapped_column(String(12))
    counterpart_country: Mapped[str | None] = mapped_column(String(2))
    counterpart_type: Mapped[str] = mapped_column(String(30), default="spoc")
    language: Mapped[str] = mapped_column(String(5), default="")
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # evaluation
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgency_ground: Mapped[str | None] = mapped_column(String(40))
    information_access: Mapped[str | None] = mapped_column(String(10))
    crime_category: Mapped[str] = mapped_column(String(60), default="")
    source_code: Mapped[str | None] = mapped_column(String(1))
    information_code: Mapped[str | None] = mapped_column(String(1))
    handling_code: Mapped[str | None] = mapped_column(String(2))
    handling_text: Mapped[str] = mapped_column(Text, default="")
    evaluated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # priority: 1 (highest) .. 5; the computed one, an override, the effective one
    priority: Mapped[int] = mapped_column(Integer, default=4)
    priority_computed: Mapped[int] = mapped_column(Integer, default=4)
    priority_reasons: Mapped[list] = mapped_column(JSON, default=list)
    priority_override: Mapped[int | None] = mapped_column(Integer)
    priority_override_reason: Mapped[str] = mapped_column(Text, default="")
    # the legal framework of the first exchange (casemgmt.models.Exchange holds each exchange's own);
    # legal_clock: an incoming request under Directive (EU) 2023/977, timed by Art. 5(1)
    legal_framework: Mapped[str] = mapped_column(String(30), default="2023/977")
    legal_clock: Mapped[bool] = mapped_column(Boolean, default=True)
    # deadline (Art. 5): calendar time from receipt, moved on by paused time; for a case without a
    # legal clock, the inbox's ordering time (receipt + the SPOC's review target), shown as no time limit
    limit_hours: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    paused_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    judicial_authorisation_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    art5_2_deviation: Mapped[bool] = mapped_column(Boolean, default=False)  # counted for Art. 18(1)(d)
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reminded_for_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # one reminder per deadline
    cross_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deadline_met: Mapped[bool | None] = mapped_column(Boolean)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)  # information provided (Art. 18(1)(b))
    refused: Mapped[bool] = mapped_column(Boolean, default=False)  # a refusal, whole or partial, was sent
    # people and links
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))  # the case page lists merged cases
    # retention
    exchange_concluded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    review_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignee = relationship("User", foreign_keys=[assignee_id])
    merged_into: Mapped[Case | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    messages = relationship("Message", back_populates="case", order_by="Message.at, Message.id")
    references = relationship("ExternalReference", back_populates="case", order_by="ExternalReference.id")
    exchanges = relationship("Exchange", back_populates="case", order_by="Exchange.number")

    # -- its state, on an object and in a query alike (tests/casemgmt/test_domain_state.py) --------------
    @hybrid_property
    def is_open(self) -> bool:
        """Before closed (or archived), and not merged into another case."""
        return self.status in OPEN_STATUSES and self.merged_into_id is None

    @is_open.inplace.expression
    @classmethod
    def _is_open_sql(cls):
        return and_(in_states(cls.status, OPEN_STATUSES), cls.merged_into_id.is_(None))

    @hybrid_property
    def needs_action(self) -> bool:
        """Open and the next step is the SPOC's (the inbox's "action" list)."""
        return self.status in ACTION_STATES and self.merged_into_id is None

    @needs_action.inplace.expression
    @classmethod
    def _needs_action_sql(cls):
        return and_(in_states(cls.status, ACTION_STATES), cls.merged_into_id.is_(None))

    @hybrid_property
    def is_waiting(self) -> bool:
        """Open and waiting on the requester's clarification, a national authority or the partner."""
        return self.status in WAITING_STATES and self.merged_into_id is None

    @is_waiting.inplace.expression
    @classmethod
    def _is_waiting_sql(cls):
        return and_(in_states(cls.status, WAITING_STATES), cls.merged_into_id.is_(None))

    @hybrid_property
    def is_answered(self) -> bool:
        """Replied and not closed yet (the inbox's "answered" list)."""
        return self.status == CaseStatus.REPLIED and self.merged_into_id is None

    @is_answered.inplace.expression
    @classmethod
    def _is_answered_sql(cls):
        return and_(cls.status == CaseStatus.REPLIED, cls.merged_into_id.is_(None))

    @hybrid_property
    def clock_running(self) -> bool:
        """An open incoming request under the Directive's Art. 5(1) clock, not answered, not paused."""
        # legal_clock is NOT NULL once stored; a case not flushed yet has the column's default (True)
        return bool(self.is_open and self.direction == "in" and self.request_type == "request"
                    and self.legal_clock is not False and self.replied_at is None and self.paused_since is None)

    @clock_running.inplace.expression
    @classmethod
    def _clock_running_sql(cls):
        return and_(cls.is_open, cls.direction == "in", cls.request_type == "request", cls.legal_clock.is_(True),
                    cls.replied_at.is_(None), cls.paused_since.is_(None))

    @hybrid_property
    def urgent_unanswered(self) -> bool:
        """An urgent incoming request needing the SPOC's action, not answered yet: what a SPOC must not
        miss at night (24/7 duty, casemgmt.services.duty)."""
        return bool(self.needs_action and self.urgent and self.direction == "in" and self.request_type == "request"
                    and self.replied_at is None)

    @urgent_unanswered.inplace.expression
    @classmethod
    def _urgent_unanswered_sql(cls):
        return and_(cls.needs_action, cls.urgent.is_(True), cls.direction == "in", cls.request_type == "request",
                    cls.replied_at.is_(None))


class ExternalReference(Base):
    """A reference a channel gave a case's message (SIENA, SIRENE, INTERPOL numbers…)."""

    __tablename__ = "case_external_references"
    __table_args__ = (
        UniqueConstraint("country_code", "channel", "reference", name="uq_case_external_references_ref"),
        Index("ix_case_external_references_lookup", "country_code", "reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    channel: Mapped[str] = mapped_column(String(12))
    reference: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="references")


class CaseLink(Base):
    """Two related cases (both keep their own folder)."""

    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("case_id", "other_id", name="uq_case_links_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    other: Mapped[Case] = relationship(foreign_keys=[other_id])


class CaseSetting(Base):
    """A setting of a SPOC's case management (defaults live in casemgmt.services.settings)."""

    __tablename__ = "case_settings"
    __table_args__ = (UniqueConstraint("country_code", "key", name="uq_case_settings_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class NationalAuthority(Base):
    """A national competent authority a SPOC disseminates to (its own small directory)."""

    __tablename__ = "case_national_authorities"
    __table_args__ = (UniqueConstraint("country_code", "name", name="uq_case_national_authorities_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    kind: Mapped[str] = mapped_column(String(60), default="")  # police, customs, prosecution…
    active: Mapped[bool] = mapped_column(Boolean, default=True)
