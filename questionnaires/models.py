"""Models of this domain (SQLAlchemy 2 typed ORM): questionnaires and their versions, rounds,
one response per country and round, its answers and every change to them."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, EnumText, UTCDateTime, utcnow
from portal.enums import translated

MAX_ID = 2**31 - 1  # ids above this cannot exist (and would overflow the database's integer)


class RoundStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return translated({"open": "Open", "closed": "Closed"}[self.value])


class ResponseStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    FOR_APPROVAL = "for_approval"  # national clearance: sent to the Head of SPOC, locked until approved or sent back
    SUBMITTED = "submitted"
    REOPENED = "reopened"

    @property
    def label(self) -> str:
        return translated({"not_started": "Not started", "draft": "Draft", "for_approval": "Awaiting the Head of SPOC",
                           "submitted": "Submitted", "reopened": "Reopened"}[self.value])

    @property
    def editable(self) -> bool:
        return self not in (ResponseStatus.SUBMITTED, ResponseStatus.FOR_APPROVAL)


class Questionnaire(Base):
    """A questionnaire across its versions, known by its slug (the `id` of the YAML file)."""

    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.number")


class QuestionnaireVersion(Base):
    """One definition of a questionnaire; once published it never changes (an edit is version+1)."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    # deferred: read once per process by versions.definition_of (cached by id and hash), not parsed again
    # with every page that loads the version (a tenth of the answering page's time, issue 24)
    definition: Mapped[dict] = mapped_column(JSON, deferred=True)
    # SHA-256 of the definition without its version number: "changed" means a different hash.
    content_hash: Mapped[str] = mapped_column(String(64))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")

    @property
    def title(self) -> str:
        return str(self.definition.get("title", {}).get("en", self.questionnaire.title))

    @property
    def label(self) -> str:
        from portal.enums import say

        return say("%(title)s (version %(number)s)", title=self.title, number=self.number)


class ImmutableVersionError(RuntimeError):
    """Someone tried to change a published questionnaire version."""


@event.listens_for(QuestionnaireVersion, "before_update")
def _refuse_edit_of_published(mapper, connection, target: QuestionnaireVersion) -> None:
    from sqlalchemy import inspect

    state = inspect(target)
    published = state.attrs.published.history
    was_published = (published.unchanged or published.deleted or [False])[0]
    changed = any(state.attrs[a].history.has_changes()
                  for a in ("definition", "content_hash", "number", "questionnaire_id"))
    if was_published and changed:
        raise ImmutableVersionError("a published questionnaire version cannot be changed; "
                                    "publish a new version instead")


class Round(Base):
    """A round of one questionnaire version, sent to chosen countries, with a deadline."""

    __tablename__ = "questionnaire_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[RoundStatus] = mapped_column(EnumText(RoundStatus, 10), default=RoundStatus.OPEN)
    # released to observers (EU agencies, international organisations): they read the round's network report,
    # and the free text of the countries that agreed to share theirs (Response.share_free_text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    # league tables and ranks in the network view: off unless the secretariat turns them on, with a note
    league_tables: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    league_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # printed at the top of every page of the round's PDFs (e.g. "LIMITE"); '' for none
    marking: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # national clearance: a country's response goes to its Head of SPOC, who submits it or sends it back
    requires_clearance: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # the new drafts started from each country's last submitted answers to the same questions
    prefilled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[QuestionnaireVersion] = relationship()
    countries: Mapped[list[RoundCountry]] = relationship(
        back_populates="round", order_by="RoundCountry.country_code", cascade="all, delete-orphan")
    responses: Mapped[list[Response]] = relationship(back_populates="round", order_by="Response.country_code")

    @property
    def country_codes(self) -> list[str]:
        return [c.country_code for c in self.countries]

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class RoundCountry(Base):
    __tablename__ = "questionnaire_round_countries"

    round_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_rounds.id", ondelete="CASCADE"),
                                          primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), primary_key=True, index=True)
    invited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[Round] = relationship(back_populates="countries")


class Response(Base):
    """The one response of a country in a round, edited together by the country's respondents."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (UniqueConstraint("round_id", "country_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_rounds.id"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(EnumText(ResponseStatus, 12), default=ResponseStatus.NOT_STARTED)
    # optimistic locking: every save increments it; a stale one is a conflict, never an overwrite
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    # national clearance: the Head of SPOC's comment when sending the response back ('' otherwise)
    clearance_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    # the country agreed, when submitting, that other countries read its own words (free text, SWOT, process
    # descriptions, file names) in the reports; without it they see only codes and figures
    share_free_text: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    round: Mapped[Round] = relationship(back_populates="responses")
    answers: Mapped[list[Answer]] = relationship(back_populates="response", order_by="Answer.id",
                                                 foreign_keys="Answer.response_id")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    reopened_by = relationship("User", foreign_keys=[reopened_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_enum(self) -> ResponseStatus:
        return ResponseStatus(self.status)


class Answer(Base):
    """The current value of one question in one response; `revision` counts its changes."""

    __tablename__ = "questionnaire_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_responses.id", ondelete="CASCADE"),
                                             index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[object | None] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # prefill: the earlier submitted response this value was copied from, until a respondent changes it;
    # `confirmed` once a respondent has said it still holds
    prefilled_from_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_responses.id"))
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    response: Mapped[Response] = relationship(back_populates="answers", foreign_keys=[response_id])
    prefilled_from: Mapped[Response | None] = relationship(foreign_keys=[prefilled_from_id])
    updated_by = relationship("User")

    @property
    def unconfirmed_prefill(self) -> bool:
        return self.prefilled_from_id is not None and not self.confirmed


class AnswerHistory(Base):
    """Every change of an answer: the old and new value, who and when (insert-only)."""

    __tablename__ = "questionnaire_answer_history"
    __table_args__ = (Index("ix_questionnaire_answer_history_response_question", "response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_responses.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer)
    old_value: Mapped[object | None] = mapped_column(JSON)
    new_value: Mapped[object | None] = mapped_column(JSON)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # what the change came through: page, autosave, api, demo, import
    via: Mapped[str] = mapped_column(String(12), default="page")

    changed_by = relationship("User")


class ReminderSent(Base):
    """One reminder to one country in one round on one day: `spoc send-reminders` mails at most daily."""

    __tablename__ = "questionnaire_reminders"
    __table_args__ = (UniqueConstraint("round_id", "country_code", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_rounds.id", ondelete="CASCADE"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipients: Mapped[list] = mapped_column(JSON, default=list)


class ResponseEvent(Base):
    """What happened to a response as a whole (sent for approval, sent back, submitted, reopened), with the
    comment given: the response's history (insert-only)."""

    __tablename__ = "questionnaire_response_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_responses.id", ondelete="CASCADE"),
                                             index=True)
    event: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User")

    LABELS = {"sent_for_approval": "Sent to the Head of SPOC for approval", "sent_back": "Sent back by the Head of SPOC",
              "approved": "Approved and submitted by the Head of SPOC", "submitted": "Submitted",
              "reopened": "Reopened by the secretariat", "prefilled": "Started from the last submitted answers",
              "confirmed": "Carried-over answers confirmed"}

    @property
    def label(self) -> str:
        return translated(self.LABELS.get(self.event, self.event))


class QuestionThread(Base):
    """A country's question to the secretariat about one question of a round, and the secretariat's answer.

    Visible to that country and the secretariat; once the secretariat publishes an answer (`public_note`),
    every country of the round sees it as a note on the question."""

    __tablename__ = "questionnaire_threads"
    __table_args__ = (Index("ix_questionnaire_threads_round_country", "round_id", "country_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_rounds.id", ondelete="CASCADE"))
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    question_id: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    public_note: Mapped[str] = mapped_column(Text, default="")  # shown to every country when not ''
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    messages: Mapped[list[ThreadMessage]] = relationship(back_populates="thread", order_by="ThreadMessage.id",
                                                         cascade="all, delete-orphan")
    created_by = relationship("User")


class ThreadMessage(Base):
    __tablename__ = "questionnaire_thread_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_threads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_secretariat: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    thread: Mapped[QuestionThread] = relationship(back_populates="messages")
    author = relationship("User")
