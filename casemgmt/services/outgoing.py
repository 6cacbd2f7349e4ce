"""What leaves the SPOC: replies, refusals (Art. 6), delay notices (Art. 5(2)), disseminations to
national authorities and exports of a case file; each is a disclosure in the access log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import (
    Case,
    CounterpartType,
    Dissemination,
    HandlingCode,
    Message,
    NationalAuthority,
    RefusalGround,
)
from casemgmt.services import CaseError, search
from casemgmt.services.access_log import log
from casemgmt.services.counts import keeps_counts
from casemgmt.services.deadlines import record_reply
from casemgmt.services.entities import has_flagged
from casemgmt.services.workflow import apply, require
from portal.audit import AuditAction
from portal.db import utcnow
from portal.enums import N_


def _requester(case: Case) -> str:
    return f"{CounterpartType(case.counterpart_type).label} {case.counterpart_country or ''}".strip()


def _need(value: str, field: str, message: str) -> str:
    """`value` stripped; CaseError(`message`, a catalogue message marked with N_ where it is written) when empty."""
    if not (value or "").strip():
        raise CaseError(message, field)
    return value.strip()


def _check_handling(code: str | None, text: str) -> tuple[str, str]:
    if code not in {c.value for c in HandlingCode}:
        raise CaseError("Choose a handling code.", "handling_code")
    if code == HandlingCode.H3 and not text.strip():
        raise CaseError("H3 needs the text of the restriction.", "handling_text")
    return code, text.strip() if code == HandlingCode.H3 else ""


def _primary_id(session: Session, case: Case) -> int | None:
    from casemgmt.services.exchanges import primary

    exchange = primary(session, case)
    return exchange.id if exchange is not None else None


def _outgoing(session: Session, case: Case, actor, type_: str, body: str, now: dt.datetime, **fields) -> Message:
    message = Message(case_id=case.id, exchange_id=_primary_id(session, case), country_code=case.country_code, direction="out", type=type_,
                      channel=case.channel, counterpart_country=case.counterpart_country,
                      counterpart_type=case.counterpart_type, language=case.language, at=now,
                      subject=f"{type_.replace('_', ' ').capitalize()}: {case.subject}"[:300], body=body,
                      created_by_id=actor.id, **fields)
    session.add(message)
    session.flush()
    search.reindex_case(session, case)
    return message


def no_undecided_strong_hits(session: Session, case: Case) -> None:
    """Information leaves only once the officer has decided (confirmed or rejected) every strong hit of the
    cross-check (Art. 16(1)(d)); recording "the cross-check is done" does not decide them."""
    from casemgmt.crosscheck.services import unreviewed_strong_hits

    if unreviewed_strong_hits(session, case):
        raise CaseError("Decide the cross-check's strong hits (confirm or reject) before information is sent.", "body")


@keeps_counts
def send_reply(session: Session, case: Case, actor, *, body: str, handling_code: str, handling_text: str = "",
               justification: str, now: dt.datetime | None = None) -> Message:
    """Provide the information to the requester (the first answer stops the clock)."""
    now = now or utcnow()
    require(case, "reply")
    no_undecided_strong_hits(session, case)
    body = _need(body, "body", N_("Write the information provided."))
    justification = _need(justification, "justification", N_("Say why the information may be provided."))
    code, text = _check_handling(handling_code, handling_text)
    message = _outgoing(session, case, actor, "reply", body, now, handling_code=code, handling_text=text)
    record_reply(case, now)
    case.answered = True
    log(session, actor, case, AuditAction.DISCLOSURE, "reply sent to the requester", justification=justification,
        recipients=[_requester(case)], message_id=message.id, handling=code)
    apply(session, case, "reply", actor, now=now)
    return message


@keeps_counts
def refuse(session: Session, case: Case, actor, *, grounds: list[str], justification: str, partial: bool = False,
           body: str = "", handling_code: str | None = None, handling_text: str = "",
           now: dt.datetime | None = None) -> Message:
    """Refuse on one or more Art. 6(1) grounds; a partial refusal provides the rest of the information."""
    now = now or utcnow()
    require(case, "refuse")
    valid = {g.value for g in RefusalGround}
    grounds = sorted(set(grounds or []))
    if not grounds or any(g not in valid for g in grounds):
        raise CaseError("Choose at least one ground of Art. 6(1)(a)-(h).", "grounds")
    justification = _need(justification, "justification", N_("Justify the refusal."))
    fields = {}
    if partial:
        body = _need(body, "body", N_("A partial refusal provides the rest: write what is provided."))
        code, text = _check_handling(handling_code, handling_text)
        fields = {"handling_code": code, "handling_text": text}
    message = _outgoing(session, case, actor, "refusal", body.strip(), now, refusal_grounds=grounds,
                        refusal_justification=justification, partial_refusal=partial, **fields)
    record_reply(case, now)
    case.refused = True
    case.answered = case.answered or partial
    log(session, actor, case, AuditAction.DISCLOSURE, ("partial refusal" if partial else "refusal")
        + " sent to the requester", justification=justification, recipients=[_requester(case)],
        message_id=message.id, grounds=grounds)
    apply(session, case, "refuse", actor, now=now)
    return message


@keeps_counts
def send_delay_notice(session: Session, case: Case, actor, *, expected_delay_days: int, reasons: str,
                      now: dt.datetime | None = None) -> Message:
    """Art. 5(2): judicial authorisation is pending; tell the requester how long and why. Counted."""
    now = now or utcnow()
    if not case.is_open or case.replied_at is not None:
        raise CaseError("A delay notice is for an open request not answered yet.", "expected_delay_days")
    if not isinstance(expected_delay_days, int) or not 1 <= expected_delay_days <= 365:
        raise CaseError("Give the expected delay in days (1-365).", "expected_delay_days")
    reasons = _need(reasons, "reasons", N_("Give the reasons for the delay."))
    message = _outgoing(session, case, actor, "delay_notice", reasons, now, expected_delay_days=expected_delay_days)
    # counted as an Art. 5(2) deviation only if the answer then comes after the limit (Art. 18(2)(d))
    case.judicial_authorisation_pending = True
    message.exchange_id = _primary_id(session, case)
    from casemgmt.services.exchanges import follow_case

    follow_case(session, case, now=now)
    log(session, actor, case, AuditAction.DISCLOSURE, "delay notice sent (judicial authorisation pending)",
        justification="Art. 5(2) delay notice", recipients=[_requester(case)], message_id=message.id,
        expected_delay_days=expected_delay_days)
    session.flush()
    return message


@keeps_counts
def authorisation_decided(session: Session, case: Case, actor, granted: bool) -> None:
    if not case.judicial_authorisation_pending:
        raise CaseError("No judicial authorisation is pending.", "action")
    case.judicial_authorisation_pending = False
    log(session, actor, case, AuditAction.ALTERATION,
        "judicial authorisation " + ("granted" if granted else "refused"))
    session.flush()


def authorities(session: Session, country_code: str) -> list[NationalAuthority]:
    return list(session.scalars(select(NationalAuthority).where(
        NationalAuthority.country_code == country_code, NationalAuthority.active).order_by(NationalAuthority.name)))


def add_authority(session: Session, country_code: str, name: str, email: str = "", kind: str = "") -> NationalAuthority:
    name = _need(name, "name", N_("Give the authority's name."))
    if session.scalar(select(NationalAuthority.id).where(NationalAuthority.country_code == country_code,
                                                         NationalAuthority.name == name)):
        raise CaseError("This authority is already in the directory.", "name")
    authority = NationalAuthority(country_code=country_code, name=name, email=email.strip(), kind=kind.strip())
    session.add(authority)
    session.flush()
    return authority


def disseminate(session: Session, case: Case, actor, *, authority_id: int, summary: str, handling_code: str,
                handling_text: str = "", justification: str, now: dt.datetime | None = None) -> Dissemination:
    """Pass information to a national competent authority, recording what went to whom with which code."""
    now = now or utcnow()
    require(case, "disseminate")
    authority = session.get(NationalAuthority, authority_id) if authority_id else None
    if authority is None or authority.country_code != case.country_code or not authority.active:
        raise CaseError("Choose an authority from your SPOC's directory.", "authority_id")
    summary = _need(summary, "summary", N_("Say what is passed on."))
    justification = _need(justification, "justification", N_("Say why the authority needs it."))
    code, text = _check_handling(handling_code, handling_text)
    _keeps_the_providers_restriction(session, case, code, text)
    flagged = has_flagged(session, case)
    item = Dissemination(case_id=case.id, authority_id=authority.id, summary=summary, handling_code=code,
                         handling_text=text, justification=justification, sent_by_id=actor.id, sent_at=now)
    session.add(item)
    session.flush()
    log(session, actor, case, AuditAction.DISCLOSURE, f"disseminated to {authority.name}",
        justification=justification, recipients=[authority.name], handling=code, dissemination_id=item.id,
        # the summary is the officer's own text: nothing is taken out of it, the entry says the case
        # holds flagged data the officer was shown (and had to leave out)
        flagged_data_in_case=bool(flagged))
    apply(session, case, "disseminate", actor, now=now)
    return item


HANDLING_ORDER = {"H0": 0, "H1": 1, "H2": 2, "H3": 3}


def providers_restriction(session: Session, case: Case) -> tuple[str | None, str]:
    """The strictest handling code the providers gave the case's information (per incoming message, and
    the evaluation's), with an H3's text."""
    codes = [(m.handling_code, m.handling_text) for m in session.scalars(select(Message).where(
        Message.case_id == case.id, Message.direction == "in", Message.handling_code.is_not(None)))]
    if case.handling_code:
        codes.append((case.handling_code, case.handling_text))
    if not codes:
        return None, ""
    return max(codes, key=lambda pair: HANDLING_ORDER.get(pair[0], 0))


def _keeps_the_providers_restriction(session: Session, case: Case, code: str, text: str) -> None:
    """Passing information on to a competent authority (Art. 14(2)(b)) may not lower the restriction the
    provider put on it (its handling code)."""
    strictest, strict_text = providers_restriction(session, case)
    if strictest is None:
        return
    if HANDLING_ORDER[code] < HANDLING_ORDER[strictest]:
        raise CaseError("The provider restricted this information with %(strictest)s: it cannot be passed on with "
                        "the lower restriction %(code)s. Use %(strictest)s or stricter.", "handling_code",
                        strictest=strictest, code=code)
    if strictest == "H3" and code == "H3" and strict_text and strict_text.strip() not in text:
        raise CaseError("Keep the provider's H3 restriction in the text: “%(restriction)s”.", "handling_text",
                        restriction=strict_text.strip())


def disseminations(session: Session, case: Case) -> list[Dissemination]:
    return list(session.scalars(select(Dissemination).where(Dissemination.case_id == case.id)
                                .order_by(Dissemination.sent_at)))


def export_case_rows(session: Session, case: Case, actor, justification: str) -> list[list]:
    """The case folder as rows for a CSV; an export is a disclosure and needs a justification."""
    from casemgmt.services.folder import entities_of

    justification = _need(justification, "justification", N_("Say why the case file is exported."))
    rows: list[list] = [["case", case.registration_number, case.status, case.subject, case.received_at]]
    for m in case.messages:
        rows.append(["message", m.direction, m.type, m.channel, m.at, m.external_reference, m.subject, m.body])
    excluded = 0
    for entity in entities_of(session, case):
        person = getattr(entity, "person", None)  # a flagged person's documents go with it
        if entity.flagged_inaccurate or (person is not None and person.flagged_inaccurate):
            # Directive 2016/680 Art. 7(2): inaccurate data are not passed on
            excluded += 1
            continue
        rows.append(["entity", entity.kind, entity.label])
    log(session, actor, case, AuditAction.DISCLOSURE, "case file exported (CSV)", justification=justification,
        recipients=[actor.email], excluded_inaccurate=excluded)
    session.flush()
    return rows
