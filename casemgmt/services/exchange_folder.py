"""A folder's further exchanges (the SPOC's own request to another partner in the same matter, a copy,
own-initiative information) and the officer's answer to a possible duplicate suggested at intake."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casemgmt.models import (
    Case,
    Channel,
    Exchange,
    Message,
)
from casemgmt.services import CaseError, search
from casemgmt.services.access_log import log
from casemgmt.services.counts import counting, keeps_counts
from casemgmt.services.exchanges import (
    _legacy_type,
    exchange_by_number,
    exchange_label,
    next_number,
)
from portal.audit import AuditAction
from portal.db import utcnow


@keeps_counts
def add_exchange(session: Session, case: Case, actor, *, direction: str, type_: str, channel: str, counterpart: dict,
                 subject: str, body: str, sent_at: dt.datetime | None = None, legal_framework: str | None = None,
                 urgent: bool = False, urgency_ground: str | None = None, information_access: str | None = None,
                 channel_reason: str | None = None, language: str = "", now: dt.datetime | None = None,
                 art4_checked: bool = False) -> Exchange:
    """A further exchange in the case's folder (e.g. the SPOC's own request to another Member State in
    the same matter), with its first message; its framework and clock as at intake."""
    from casemgmt.services.frameworks import (
        bound_countries,
        check_counterpart,
        check_framework,
        clock_for,
        default_framework,
    )
    from casemgmt.services.settings import load_settings

    now = now or utcnow()
    at = (sent_at or now).astimezone(dt.UTC)
    if at > now + dt.timedelta(minutes=1):
        raise CaseError("An exchange cannot start in the future.", "sent_at")
    if not case.is_open:
        raise CaseError("This case is closed: a new exchange is registered as a new case.", "type")
    party = check_counterpart(counterpart.get("kind", ""), counterpart.get("country"), counterpart.get("name", ""))
    bound = bound_countries(session)
    framework = (check_framework(legal_framework, party, case.country_code, bound) if legal_framework
                 else default_framework(channel, party, case.country_code, bound))
    if direction == "out" and type_ == "request" and framework == "2023/977" and not art4_checked:
        # Art. 4(5): the SPOC's own request states its minimum content (casemgmt.services.requests)
        raise CaseError("A request to another Member State's SPOC under Directive (EU) 2023/977 is sent with "
                        "its Art. 4(5) content: use “Send a request to another Member State's SPOC”.", "type")
    if direction == "out" and framework == "2023/977" and channel != Channel.SIENA and not channel_reason:
        # Art. 13(1): requests to another Member State's SPOC go through SIENA unless a reason applies
        raise CaseError("Art. 13: a channel other than SIENA needs a reason.", "channel_reason")
    if not (subject or "").strip():
        raise CaseError("Give the subject.", "subject")
    limit, due, target = clock_for(framework, type_, at, urgent, information_access,
                                   load_settings(session, case.country_code))
    exchange = Exchange(case_id=case.id, country_code=case.country_code, number=next_number(session, case),
                        direction=direction, type=type_, legal_framework=framework, counterpart_kind=party.kind,
                        counterpart_country=party.country, counterpart_name=party.name, channel=channel,
                        channel_reason=channel_reason, language=language, received_at=at, urgent=urgent,
                        urgency_ground=urgency_ground, information_access=information_access, limit_hours=limit,
                        due_at=due, target_at=target, paused_seconds=0,
                        state="awaiting_partner" if direction == "out" and type_ == "request" else "open",
                        possible_duplicates=[], created_at=now)
    session.add(exchange)
    session.flush()
    session.add(Message(case_id=case.id, exchange_id=exchange.id, country_code=case.country_code, direction=direction,
                        type=type_, channel=channel, channel_reason=channel_reason, counterpart_country=party.country,
                        counterpart_type=_legacy_type(exchange), language=language, at=at, subject=subject.strip()[:300],
                        body=(body or "").strip(), urgent=urgent, urgency_ground=urgency_ground,
                        information_access=information_access, created_by_id=getattr(actor, "id", None),
                        created_at=now))
    log(session, actor, case, AuditAction.DISCLOSURE if direction == "out" else AuditAction.COLLECTION,
        f"exchange {exchange_label(case, exchange)} opened: {'outgoing' if direction == 'out' else 'incoming'} "
        f"{type_.replace('_', ' ')}", channel=channel, framework=framework)
    search.reindex_case(session, case)
    return exchange


@keeps_counts
def decide_suggestion(session: Session, case: Case, exchange: Exchange, actor, *, of: str, decision: str,
                      link: bool = False, justification: str = "", now: dt.datetime | None = None) -> None:
    """The officer's answer to a possible duplicate (issue 16, point 5).

    confirm: one request received twice (two channels): this exchange becomes the other's, whose clock
             starts at the earlier receipt; this case's folder moves into the other case (merged);
    dismiss: not the same matter; the suggestion goes, and with `link` the cases are linked."""
    from casemgmt.services import dedupe
    from casemgmt.services.folder import case_by_number

    now = now or utcnow()
    of = (of or "").strip().upper()
    suggestion = next((d for d in exchange.possible_duplicates or [] if d.get("registration_number") == of), None)
    if suggestion is None:
        raise CaseError("This exchange has no such suggestion.", "of")
    if decision not in ("confirm", "dismiss"):
        raise CaseError("decision must be confirm or dismiss.", "decision")
    other = case_by_number(session, of)
    if other is None or other.country_code != case.country_code:
        raise CaseError("There is no such case in your SPOC.", "of")
    remaining = [d for d in exchange.possible_duplicates if d.get("registration_number") != of]
    if decision == "dismiss":
        exchange.possible_duplicates = remaining
        log(session, actor, case, AuditAction.COMBINATION, f"{exchange_label(case, exchange)}: not the same as {of}",
            other=of)
        if link and not any(c.id == other.id for c in dedupe.linked_cases(session, case)):
            dedupe.link_cases(session, case, other, actor, justification or "Suggested at intake, related matter")
        session.flush()
        return
    other = dedupe.surviving(other)
    if not other.is_open:
        raise CaseError("%(number)s is closed: a new request is its own exchange. Dismiss the suggestion (and link "
                        "the cases) instead.", "decision", number=other.registration_number)
    number = int(str(suggestion.get("exchange") or f"{of}/1").rsplit("/", 1)[-1])
    target = exchange_by_number(session, other, number)
    if target is None or not target.is_open:
        raise CaseError("The suggested exchange is closed: dismiss the suggestion instead.", "decision")
    if session.scalar(select(func.count(Exchange.id)).where(Exchange.case_id == case.id)) != 1:
        raise CaseError("This case holds other exchanges: link the cases instead.", "decision")
    with counting(session, other):  # the other case changes too
        # one request received on two channels: one exchange, timed from the earliest receipt (Art. 5(1))
        if exchange.received_at < target.received_at:
            shift = target.received_at - exchange.received_at
            target.received_at = exchange.received_at
            if target.due_at is not None:
                target.due_at = target.due_at - shift
            if target.target_at is not None:
                target.target_at = target.target_at - shift
        for message in session.scalars(select(Message).where(Message.exchange_id == exchange.id)):
            message.exchange_id = target.id
        exchange.duplicate_of_id = target.id
        exchange.state, exchange.closed_at, exchange.possible_duplicates = "closed", now, []
        session.flush()
        dedupe.merge_case(session, case, other, actor, justification or
                          f"The same request received twice: {exchange_label(case, exchange)} is {exchange_label(other, target)}")
        if target.number == 1:
            if target.due_at is not None and other.legal_clock:
                other.due_at = target.due_at
            other.received_at = min(other.received_at, target.received_at)
        session.flush()
