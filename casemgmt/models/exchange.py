"""An exchange: one incoming or outgoing request, or one item of information, inside a case folder.

A case folder (one registration number) holds exchanges numbered ``CC-YYYY-NNNNNN/n``; every
message belongs to one exchange. The Directive counts and times exchanges, not folders: Art. 5(1)
sets the time limit of each incoming request, Art. 18(2) counts requests sent, received, answered,
refused and delayed (casemgmt.services.exchanges, casemgmt.services.statistics).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    and_,
    literal_column,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casemgmt.models.deadline import HasDeadline
from casemgmt.models.enums import ExchangeOutcome, ExchangeState
from portal.db import Base, EnumText, UTCDateTime, utcnow

# the partial index of the requests to chase: term for term what Exchange.waiting_on_partner renders
WAITING_ON_PARTNER_SQL = "state = 'awaiting_partner' AND direction = 'out' AND due_at IS NOT NULL"


class Exchange(HasDeadline, Base):
    __tablename__ = "case_exchanges"
    __table_args__ = (
        UniqueConstraint("case_id", "number", name="uq_case_exchanges_number"),
        # the SPOC's own requests waiting on the partner, by the partner's deadline: the ones to chase
        Index("ix_case_exchanges_chase", "country_code", "due_at", sqlite_where=text(WAITING_ON_PARTNER_SQL),
              postgresql_where=text(WAITING_ON_PARTNER_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    country_code: Mapped[str] = mapped_column(String(2))
    number: Mapped[int] = mapped_column(Integer)  # n of CC-YYYY-NNNNNN/n
    direction: Mapped[str] = mapped_column(String(3))
    type: Mapped[str] = mapped_column(String(30))  # request | own_initiative | copy
    legal_framework: Mapped[str] = mapped_column(String(30))
    counterpart_kind: Mapped[str] = mapped_column(String(30))
    counterpart_country: Mapped[str | None] = mapped_column(String(2))
    counterpart_name: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(12))
    channel_reason: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(5), default="")
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # received (in) or sent (out)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgency_ground: Mapped[str | None] = mapped_column(String(40))
    information_access: Mapped[str | None] = mapped_column(String(10))
    # Art. 5(1): the legal limit and deadline (None: no legal clock), moved by Art. 6(3) pauses only
    limit_hours: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    target_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the SPOC's shorter internal target
    paused_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    # Art. 5(2): a delay notice for judicial authorisation was given
    delay_notice_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # first reply or refusal
    answered: Mapped[bool] = mapped_column(Boolean, default=False)  # information provided
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # answered after its Art. 5(1) limit
    art5_2_deviation: Mapped[bool] = mapped_column(Boolean, default=False)  # late, with a delay notice
    state: Mapped[ExchangeState] = mapped_column(EnumText(ExchangeState, 30), default=ExchangeState.OPEN)
    outcome: Mapped[ExchangeOutcome | None] = mapped_column(EnumText(ExchangeOutcome, 30))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # suggestions at intake (a known reference or registration number quoted), until confirmed or dismissed
    possible_duplicates: Mapped[list] = mapped_column(JSON, default=list)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("case_exchanges.id"))
    # the SPOC's own request (casemgmt.services.requests): its Art. 4(5) content, and the Art. 12
    # decision whether Europol gets a copy (None: not decided, e.g. a request recorded at intake)
    request_content: Mapped[dict] = mapped_column(JSON, default=dict)
    europol_copy: Mapped[bool | None] = mapped_column(Boolean)
    europol_copy_reason: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="exchanges")
    messages = relationship("Message", back_populates="exchange", order_by="Message.at, Message.id")

    @property
    def reference(self) -> str:
        return f"{self.case.registration_number}/{self.number}"

    # -- its state, on an object and in a query alike (tests/casemgmt/test_domain_state.py) --------------
    @hybrid_property
    def is_open(self) -> bool:
        """Not closed with an outcome."""
        return self.state != ExchangeState.CLOSED

    @is_open.inplace.expression
    @classmethod
    def _is_open_sql(cls):
        return cls.state != ExchangeState.CLOSED.value

    @hybrid_property
    def is_answered(self) -> bool:
        """The first reply or refusal was given (it stopped the clock)."""
        return self.answered_at is not None

    @is_answered.inplace.expression
    @classmethod
    def _is_answered_sql(cls):
        return cls.answered_at.is_not(None)

    @hybrid_property
    def clock_running(self) -> bool:
        """Open, with a deadline (ours for an incoming request, the partner's for our own), not answered,
        not paused for a clarification (Art. 6(3))."""
        return (self.state != ExchangeState.CLOSED and self.due_at is not None and self.answered_at is None
                and self.paused_since is None)

    @clock_running.inplace.expression
    @classmethod
    def _clock_running_sql(cls):
        return and_(cls.is_open, cls.due_at.is_not(None), cls.answered_at.is_(None), cls.paused_since.is_(None))

    @hybrid_property
    def waiting_on_partner(self) -> bool:
        """The SPOC's own request, sent, its answer awaited by the partner's deadline (to chase once passed)."""
        return (self.state == ExchangeState.AWAITING_PARTNER and self.direction == "out"
                and self.due_at is not None)

    @waiting_on_partner.inplace.expression
    @classmethod
    def _waiting_on_partner_sql(cls):
        # written out, not bound: SQLite uses the partial index only for the index's literal terms
        return and_(cls.state == literal_column("'awaiting_partner'"), cls.direction == literal_column("'out'"),
                    cls.due_at.is_not(None))

    @property
    def has_clock(self) -> bool:
        return self.due_at is not None
