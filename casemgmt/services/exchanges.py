"""Exchanges and their messages: what each message does to its exchange's clock, state and figures.

Directive (EU) 2023/977:
- Art. 5(1): an incoming request is answered within 8 hours, 3 or 7 calendar days of receipt;
- Art. 5(2): where a judicial authorisation is needed the limit may be passed; the requester is told
  at once of the expected delay and its reasons (a delay notice) and kept informed (updates);
- Art. 6(1): a refusal gives its grounds; Art. 6(3): a request for clarification suspends the limits
  until the clarification is given;
- Art. 13: a channel other than SIENA is used only for the reasons listed there;
- Art. 18(2)(d): a deviation is counted when the Art. 5(1) limit was exceeded because a judicial
  authorisation had to be obtained: answered late after a delay notice; late without one is late.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casemgmt.models import (
    Case,
    Channel,
    ChannelReason,
    Exchange,
    ExchangeOutcome,
    ExchangeState,
    HandlingCode,
    InformationCode,
    Message,
    MessageType,
    RefusalGround,
    SourceCode,
)
from casemgmt.services import CaseError, search
from casemgmt.services.access_log import log
from casemgmt.services.counts import keeps_counts
from portal.audit import AuditAction
from portal.db import utcnow
from portal.enums import say

# what a message of each type is, seen from the exchange's direction: who sends it
OUR_MESSAGES_ON_INCOMING = ("reply", "refusal", "delay_notice", "update", "clarification_request", "acknowledgement")
THEIR_MESSAGES_ON_INCOMING = ("clarification_reply",)
OUR_MESSAGES_ON_OUTGOING = ("clarification_reply", "reminder")
THEIR_MESSAGES_ON_OUTGOING = ("reply", "refusal", "delay_notice", "update", "clarification_request",
                              "acknowledgement")
MESSAGE_TYPES = ("reply", "refusal", "delay_notice", "update", "clarification_request", "clarification_reply",
                 "reminder", "acknowledgement")
ANSWERS = ("reply", "refusal")
# what may close an exchange, by what it is (issue 16, point 6)
OUTCOMES_NEEDING_ANSWER = {ExchangeOutcome.INFORMATION_PROVIDED: ("reply",), ExchangeOutcome.PARTLY_REFUSED: ("refusal",),
                           ExchangeOutcome.REFUSED: ("refusal",)}


def exchange_by_number(session: Session, case: Case, number: int) -> Exchange | None:
    return session.scalar(select(Exchange).where(Exchange.case_id == case.id, Exchange.number == number))


def primary(session: Session, case: Case) -> Exchange | None:
    """The case's first exchange (its origin; the case's own columns mirror it for the inbox)."""
    return exchange_by_number(session, case, 1)


def next_number(session: Session, case: Case) -> int:
    return (session.scalar(select(func.max(Exchange.number)).where(Exchange.case_id == case.id)) or 0) + 1


def direction_of(exchange: Exchange, type_: str) -> str:
    ours = OUR_MESSAGES_ON_INCOMING if exchange.direction == "in" else OUR_MESSAGES_ON_OUTGOING
    theirs = THEIR_MESSAGES_ON_INCOMING if exchange.direction == "in" else THEIR_MESSAGES_ON_OUTGOING
    if type_ in ours:
        return "out"
    if type_ in theirs:
        return "in"
    if exchange.direction == "in":
        raise CaseError("On an incoming request the SPOC sends replies, refusals, delay notices, updates and "
                        "clarification requests, and receives clarification replies.", "type")
    raise CaseError("On an outgoing request the SPOC sends clarification replies and reminders, and receives "
                    "the rest.", "type")


def _check_codes(handling_code: str | None, handling_text: str, source_code: str | None,
                 information_code: str | None) -> None:
    if handling_code is not None and handling_code not in {c.value for c in HandlingCode}:
        raise CaseError("Choose a handling code: H0, H1, H2 or H3.", "handling_code")
    if handling_code == HandlingCode.H3 and not (handling_text or "").strip():
        raise CaseError("H3 needs the text of the restriction.", "handling_text")
    if source_code is not None and source_code not in {c.value for c in SourceCode}:
        raise CaseError("Choose the source's reliability: A, B, C or X.", "source_code")
    if information_code is not None and information_code not in {c.value for c in InformationCode}:
        raise CaseError("Choose the information's reliability: 1, 2, 3 or 4.", "information_code")


def _message_time(exchange: Exchange, sent_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When the message was sent: now, or a past time within the exchange (recorded after the fact)."""
    at = sent_at or now
    if at.tzinfo is None:
        raise CaseError("Give the time with its offset (ISO 8601).", "sent_at")
    at = at.astimezone(dt.UTC)
    if at > now + dt.timedelta(minutes=1):
        raise CaseError("A message cannot be sent in the future.", "sent_at")
    if at < exchange.received_at:
        raise CaseError("A message of this exchange cannot be older than the exchange.", "sent_at")
    return at


def _check_channel(exchange: Exchange, direction: str, channel: str, channel_reason: str | None) -> None:
    if channel not in {c.value for c in Channel}:
        raise CaseError("Choose a channel.", "channel")
    if channel_reason is not None and channel_reason not in {c.value for c in ChannelReason}:
        raise CaseError("Choose an Art. 13 reason.", "channel_reason")
    if (direction == "out" and exchange.legal_framework == "2023/977" and channel != Channel.SIENA
            and not channel_reason):
        raise CaseError("Art. 13: a channel other than SIENA needs a reason.", "channel_reason")


def _type_fields(exchange: Exchange, type_: str, body: str, *, refusal_grounds: list[str] | None, partial: bool,
                 justification: str, expected_delay_hours: int | None) -> dict:
    """What this type of message must carry and when it may be sent; its own columns of the message."""
    fields: dict = {}
    if type_ == "refusal":
        valid = {g.value for g in RefusalGround}
        grounds = sorted(set(refusal_grounds or []))
        if not grounds or any(g not in valid for g in grounds):
            raise CaseError("Choose at least one ground of Art. 6(1)(a)-(h).", "refusal_grounds")
        fields.update(refusal_grounds=grounds, partial_refusal=bool(partial),
                      refusal_justification=(justification or body)[:5000])
    if type_ in ("delay_notice", "update"):
        if type_ == "delay_notice":
            if not exchange.has_clock or exchange.answered_at is not None:
                raise CaseError("A delay notice is for a request with an Art. 5(1) time limit, not answered yet.",
                                "type")
        elif exchange.delay_notice_at is None:
            raise CaseError("An update follows a delay notice (Art. 5(2)(b)).", "type")
        if expected_delay_hours is not None and (isinstance(expected_delay_hours, bool)
                                                 or not 1 <= int(expected_delay_hours) <= 8760):
            raise CaseError("Give the expected delay in hours (1-8760).", "expected_delay_hours")
        if type_ == "delay_notice" and expected_delay_hours is None:
            raise CaseError("Give the expected delay (Art. 5(2)(a)).", "expected_delay_hours")
        if not body:
            raise CaseError("Give the reasons for the delay.", "body")
        fields["expected_delay_hours"] = expected_delay_hours
        if expected_delay_hours:
            fields["expected_delay_days"] = max(1, -(-int(expected_delay_hours) // 24))
    if type_ == "clarification_request" and exchange.paused_since is not None:
        raise CaseError("A clarification is already awaited.", "type")
    if type_ == "clarification_reply" and exchange.paused_since is None and exchange.direction == "in":
        raise CaseError("No clarification was asked for.", "type")
    if type_ == "reply" and not body:
        raise CaseError("Write the information provided.", "body")
    if type_ in ANSWERS and exchange.answered_at is not None and type_ == "refusal" and exchange.refused:
        raise CaseError("This request was refused already.", "type")
    return fields


@keeps_counts
def add_message(session: Session, case: Case, exchange: Exchange, actor, *, type_: str, body: str = "",
                channel: str | None = None, channel_reason: str | None = None, channel_reason_text: str = "",
                refusal_grounds: list[str] | None = None, partial: bool = False,
                expected_delay_hours: int | None = None, handling_code: str | None = None,
                handling_text: str = "", source_code: str | None = None, information_code: str | None = None,
                language: str | None = None, sent_at: dt.datetime | None = None, justification: str = "",
                now: dt.datetime | None = None) -> Message:
    """Record one message of an exchange (sent now, or at `sent_at` outside the portal) and apply it."""
    now = now or utcnow()
    if type_ not in MESSAGE_TYPES:
        raise CaseError("Choose the kind of message: %(choices)s.", "type", choices=", ".join(MESSAGE_TYPES))
    if case.erased_at is not None or case.merged_into_id is not None:
        raise CaseError("This case takes no more messages.", "type")
    if not exchange.is_open:
        raise CaseError("This exchange is closed; a new message starts a new exchange.", "type")
    at = _message_time(exchange, sent_at, now)
    direction = direction_of(exchange, type_)
    channel = channel or exchange.channel
    _check_channel(exchange, direction, channel, channel_reason)
    _check_codes(handling_code, handling_text, source_code, information_code)
    body = (body or "").strip()
    fields = _type_fields(exchange, type_, body, refusal_grounds=refusal_grounds, partial=partial,
                          justification=justification, expected_delay_hours=expected_delay_hours)
    message = Message(case_id=case.id, exchange_id=exchange.id, country_code=case.country_code,
                      direction=direction, type=type_, channel=channel, channel_reason=channel_reason,
                      channel_reason_text=(channel_reason_text or "").strip(),
                      counterpart_country=exchange.counterpart_country,
                      counterpart_type=_legacy_type(exchange), language=language or exchange.language, at=at,
                      subject=f"{type_.replace('_', ' ').capitalize()}: {case.subject}"[:300], body=body,
                      handling_code=handling_code, handling_text=(handling_text or "").strip(),
                      source_code=source_code, information_code=information_code,
                      created_by_id=getattr(actor, "id", None), created_at=now, **fields)
    session.add(message)
    session.flush()
    apply_message(case, exchange, message)
    search.reindex_case(session, case)
    action = AuditAction.DISCLOSURE if direction == "out" else AuditAction.COLLECTION
    log(session, actor, case, action, f"{type_.replace('_', ' ')} {'sent' if direction == 'out' else 'received'} "
        f"({exchange_label(case, exchange)})", justification=justification or None, message_id=message.id,
        exchange=exchange.number, channel=channel, handling=handling_code)
    session.flush()
    return message


def _legacy_type(exchange: Exchange) -> str:
    return {"agency": "europol" if exchange.counterpart_name == "EUROPOL" else "other",
            "national_authority": "competent_authority", "designated_authority": "designated_authority",
            "member_state": "spoc"}.get(exchange.counterpart_kind, "other")


def exchange_label(case: Case, exchange: Exchange) -> str:
    return f"{case.registration_number}/{exchange.number}"


def apply_message(case: Case, exchange: Exchange, message: Message) -> None:
    """What a message does to its exchange (and, for the first exchange, to the case's mirror)."""
    at, type_ = message.at, message.type
    if type_ == "clarification_request":
        # Art. 6(3): the limits stand still from the request for clarification …
        exchange.paused_since = at
        exchange.state = "awaiting_clarification" if exchange.direction == "in" else "awaiting_partner"
    elif type_ == "clarification_reply" and exchange.paused_since is not None:
        # … until the clarification is given
        paused = max(0, int((at - exchange.paused_since).total_seconds()))
        exchange.paused_seconds = (exchange.paused_seconds or 0) + paused
        if exchange.due_at is not None:
            exchange.due_at = exchange.due_at + dt.timedelta(seconds=paused)
        if exchange.target_at is not None:
            exchange.target_at = exchange.target_at + dt.timedelta(seconds=paused)
        exchange.paused_since = None
        exchange.state = "open" if exchange.direction == "in" else "awaiting_partner"
    elif type_ == "delay_notice":
        exchange.delay_notice_at = exchange.delay_notice_at or at
    elif type_ in ANSWERS:
        record_answer(exchange, at, provided=type_ == "reply" or bool(message.partial_refusal),
                      refused=type_ == "refusal")
    if exchange.number == 1:
        mirror_to_case(case, exchange)


def record_answer(exchange: Exchange, at: dt.datetime, *, provided: bool, refused: bool) -> None:
    """The first answer stops the clock; lateness and an Art. 5(2) deviation are fixed then."""
    exchange.answered = exchange.answered or provided
    exchange.refused = exchange.refused or refused
    if exchange.answered_at is None:
        exchange.answered_at = at
        if exchange.due_at is not None and at > exchange.due_at:
            exchange.late = True
            # Art. 18(2)(d): late because a judicial authorisation had to be obtained (notice given)
            exchange.art5_2_deviation = exchange.delay_notice_at is not None
    exchange.paused_since = None
    exchange.state = "answered"


def mirror_to_case(case: Case, exchange: Exchange) -> None:
    """The case's columns that the inbox, reminders and dashboard read follow its first exchange."""
    if exchange.answered_at is not None and case.replied_at is None:
        case.replied_at = exchange.answered_at
        case.deadline_met = not exchange.late
    case.answered = exchange.answered
    case.refused = exchange.refused
    case.art5_2_deviation = exchange.art5_2_deviation
    case.judicial_authorisation_pending = exchange.delay_notice_at is not None
    if exchange.due_at is not None and case.legal_clock:
        case.due_at = exchange.due_at
    case.paused_since = exchange.paused_since
    case.paused_seconds = exchange.paused_seconds or 0
    if case.status not in ("closed", "archived"):
        if exchange.state == "awaiting_clarification":
            case.status = "awaiting_clarification"
        elif exchange.state == "answered":  # we answered, or the partner answered our request
            case.status = "replied"
        elif case.status == "awaiting_clarification":
            case.status = "evaluated"


@keeps_counts
def close_exchange(session: Session, case: Case, exchange: Exchange, actor, outcome: str | None, *,
                   note: str = "", now: dt.datetime | None = None) -> None:
    """Close one exchange with its outcome; the case closes with its last open exchange."""
    from casemgmt.services.retention import on_close
    from casemgmt.services.settings import load_settings

    now = now or utcnow()
    valid = {o.value for o in ExchangeOutcome}
    if not outcome:
        raise CaseError("Say how the exchange ended: choose an outcome.", "outcome")
    if outcome not in valid:
        raise CaseError("Choose an outcome from the list.", "outcome")
    if not exchange.is_open:
        raise CaseError("This exchange is closed already.", "outcome")
    if case.merged_into_id is not None or case.erased_at is not None:
        raise CaseError("This case is merged into another or erased.", "outcome")
    outcome = ExchangeOutcome(outcome)
    is_request = exchange.type == "request"
    if outcome == ExchangeOutcome.INFORMATION_ONLY and is_request:
        raise CaseError("A request needs an answer; 'information only' is for copies and own-initiative "
                        "information.", "outcome")
    needed = OUTCOMES_NEEDING_ANSWER.get(outcome)
    if needed and exchange.direction == "in" and is_request:
        if outcome == ExchangeOutcome.INFORMATION_PROVIDED and not exchange.answered:
            raise CaseError("No information was provided yet: record the reply first, or choose another outcome.",
                            "outcome")
        if outcome in (ExchangeOutcome.REFUSED, ExchangeOutcome.PARTLY_REFUSED) and not exchange.refused:
            raise CaseError("No refusal was recorded: record it with its Art. 6 grounds first.", "outcome")
    exchange.state, exchange.outcome, exchange.closed_at = ExchangeState.CLOSED, outcome, now
    exchange.paused_since = None
    log(session, actor, case, AuditAction.ALTERATION, f"exchange {exchange_label(case, exchange)} closed: "
        f"{outcome.label.lower()}", outcome=outcome, note=note or None)
    session.flush()
    still_open = session.scalar(select(func.count(Exchange.id)).where(Exchange.case_id == case.id,
                                                                      Exchange.is_open))
    if not still_open and case.status not in ("closed", "archived"):
        old = case.status
        case.status = "closed"
        case.paused_since = None
        on_close(case, now, load_settings(session, case.country_code))
        log(session, actor, case, AuditAction.ALTERATION, f"status {old} → closed (every exchange closed)")
    session.flush()


def implied_outcome(exchange: Exchange) -> ExchangeOutcome | None:
    if exchange.type in ("copy", "own_initiative"):
        return ExchangeOutcome.INFORMATION_ONLY
    if exchange.refused:
        return ExchangeOutcome.PARTLY_REFUSED if exchange.answered else ExchangeOutcome.REFUSED
    if exchange.answered:
        return ExchangeOutcome.INFORMATION_PROVIDED
    return None


def follow_case(session: Session, case: Case, *, outcome: str | None = None, now: dt.datetime | None = None) -> None:
    """The first exchange after a change made through the case's own workflow (the web forms: evaluate,
    clarification, reply, refusal, delay notice, close), then the case's mirror of it again."""
    from casemgmt.services.frameworks import legal_limit_hours

    exchange = primary(session, case)
    if exchange is None:
        return
    now = now or utcnow()
    exchange.urgent, exchange.urgency_ground = case.urgent, case.urgency_ground
    exchange.information_access = case.information_access
    if exchange.due_at is not None and exchange.answered_at is None:
        # the evaluation may change urgency and access: the Art. 5(1) limit follows
        exchange.limit_hours = legal_limit_hours(case.urgent, case.information_access)
        exchange.paused_seconds = case.paused_seconds or 0
        exchange.due_at = exchange.received_at + dt.timedelta(hours=exchange.limit_hours,
                                                              seconds=exchange.paused_seconds)
    exchange.paused_since = case.paused_since if exchange.due_at is not None else None
    if case.judicial_authorisation_pending and exchange.delay_notice_at is None:
        exchange.delay_notice_at = now
    if case.replied_at is not None and exchange.answered_at is None:
        record_answer(exchange, case.replied_at, provided=case.answered, refused=case.refused)
    exchange.answered, exchange.refused = case.answered, case.refused
    if case.status in ("closed", "archived"):
        if exchange.state != "closed":
            chosen = outcome or implied_outcome(exchange)
            if chosen is None and exchange.direction == "in" and exchange.type == "request":
                raise CaseError("This request was not answered: say how it ended (withdrawn by the requester, no "
                                "information available, transferred…).", "outcome")
            if chosen is not None and chosen not in {o.value for o in ExchangeOutcome}:
                raise CaseError("Choose an outcome from the list.", "outcome")
            exchange.state, exchange.closed_at = ExchangeState.CLOSED, now
            exchange.outcome = ExchangeOutcome(chosen) if chosen else None
            exchange.paused_since = None
    elif case.status == "awaiting_clarification":
        exchange.state = "awaiting_clarification"
    elif exchange.answered_at is not None:
        exchange.state = "answered"
    else:
        exchange.state = "awaiting_partner" if exchange.direction == "out" and exchange.type == "request" else "open"
    mirror_to_case(case, exchange)


def exchange_rows(session: Session, case: Case) -> list[dict]:
    """The case page's list of exchanges: each with its counterpart's label and its suggestions."""
    from casemgmt.models import CounterpartKind, LegalFramework
    from casemgmt.services.frameworks import Counterpart

    rows = []
    # the messages of every exchange counted in one query (one per exchange before: 10 on a busy folder)
    counts = dict(session.execute(select(Message.exchange_id, func.count(Message.id))
                                  .where(Message.case_id == case.id).group_by(Message.exchange_id)).all())
    for exchange in session.scalars(select(Exchange).where(Exchange.case_id == case.id).order_by(Exchange.number)):
        counterpart = Counterpart(exchange.counterpart_kind, exchange.counterpart_country, exchange.counterpart_name)
        rows.append({"exchange": exchange, "reference": exchange_label(case, exchange),
                     "framework": LegalFramework(exchange.legal_framework).label,
                     "counterpart": f"{CounterpartKind(exchange.counterpart_kind).label}: {counterpart.label}",
                     "outcome": ExchangeOutcome(exchange.outcome).label if exchange.outcome else "",
                     "state": ExchangeState(exchange.state).label,
                     "kind": (say("Copy of a designated authority's request (Art. 4(1))")
                              if exchange.type == "copy" and exchange.counterpart_kind == "designated_authority"
                              else MessageType(exchange.type).label),
                     "messages": counts.get(exchange.id, 0)})
    return rows
