"""Four-eyes (issue 17, point 5): per SPOC, chosen actions need a supervisor's approval before they
leave: refusals (Art. 6), passing on information restricted by handling code H2 or H3, and the SPOC's
own requests (Art. 4). The officer's draft is checked as if it were sent (in a savepoint, rolled
back), kept with what the approver reads, and carried out as the officer's once approved; sent back,
it carries the approver's comment. Both decisions are in the access log; the approver is never the
officer who asked (four eyes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casemgmt.models import Approval, ApprovalKind, ApprovalState, Case
from casemgmt.services import CaseError
from casemgmt.services.access_log import log
from casemgmt.services.settings import load_settings
from portal import policy
from portal.audit import AuditAction
from portal.db import utcnow
from portal.enums import N_, label_for, say

FOUR_EYES = {ApprovalKind.REFUSAL: N_("Refusals (Art. 6)"),
             ApprovalKind.RESTRICTED: N_("Information restricted by H2 or H3"),
             ApprovalKind.REQUEST: N_("The SPOC's own requests (Art. 4)")}
RESTRICTED_CODES = ("H2", "H3")


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _exchange_message(session: Session, case: Case, actor, p: dict) -> None:
    from casemgmt.services.exchanges import add_message, exchange_by_number
    from casemgmt.services.outgoing import no_undecided_strong_hits

    exchange = exchange_by_number(session, case, int(p["exchange"]))
    if exchange is None:
        raise CaseError("This exchange is not in the case any more.", "exchange")
    args = {k: v for k, v in p.items() if k != "exchange"}
    args["sent_at"] = _when(args.get("sent_at"))
    add_message(session, case, exchange, actor, **args)
    if args["type_"] in ("reply", "refusal") and exchange.direction == "in":
        no_undecided_strong_hits(session, case)


def _request(session: Session, case: Case, actor, p: dict) -> None:
    from casemgmt.services.requests import send_request

    send_request(session, case, actor, **{**p, "sent_at": _when(p.get("sent_at"))})


def _case_reply(session: Session, case: Case, actor, p: dict) -> None:
    from casemgmt.services.outgoing import send_reply

    send_reply(session, case, actor, **p)


def _case_refuse(session: Session, case: Case, actor, p: dict) -> None:
    from casemgmt.services.outgoing import refuse

    refuse(session, case, actor, **p)


EXECUTORS: dict[str, Callable[[Session, Case, object, dict], None]] = {
    "exchange_message": _exchange_message, "request": _request, "case_reply": _case_reply,
    "case_refuse": _case_refuse}


def kind_of(action: str, payload: dict) -> ApprovalKind | None:
    """Which four-eyes rule an action falls under (None: none)."""
    if action == "request":
        return ApprovalKind.REQUEST
    type_ = payload.get("type_") or ("refusal" if action == "case_refuse" else "reply")
    if type_ == "refusal":
        return ApprovalKind.REFUSAL
    if payload.get("handling_code") in RESTRICTED_CODES:
        return ApprovalKind.RESTRICTED
    return None


def needs_approval(session: Session, case: Case, actor, action: str, payload: dict) -> ApprovalKind | None:
    """The rule that holds this action back for approval in the SPOC, or None (the SPOC does not ask
    for it, or the actor approves such actions)."""
    kind = kind_of(action, payload)
    if kind is None or policy.can_approve(actor, case):
        return None
    return kind if kind in load_settings(session, case.country_code)["four_eyes"] else None


def submit(session: Session, case: Case, actor, *, kind: ApprovalKind | str, action: str, payload: dict, summary: str,
           exchange_number: int | None = None) -> Approval:
    """Keep the officer's draft for approval once it has been checked as if it were sent."""
    savepoint = session.begin_nested()
    try:
        EXECUTORS[action](session, case, actor, payload)
    finally:
        savepoint.rollback()
    approval = Approval(country_code=case.country_code, case_id=case.id, exchange_number=exchange_number,
                        kind=kind, action=action, payload=payload, summary=summary.strip()[:20000],
                        state=ApprovalState.PENDING, requested_by_id=actor.id, requested_at=utcnow(), comment="")
    session.add(approval)
    session.flush()
    log(session, actor, case, AuditAction.ALTERATION, f"{FOUR_EYES[kind].lower()}: draft sent for approval",
        approval=approval.id)
    return approval


def decide(session: Session, approval: Approval, approver, *, approve: bool, comment: str = "") -> None:
    """Approve (the draft is carried out as the officer's) or send back with a comment."""
    from portal.accounts.models import User

    case = approval.case
    if approval.state != ApprovalState.PENDING:
        raise CaseError("This draft was decided already.", "comment")
    if approver.id == approval.requested_by_id:
        raise CaseError("Four eyes: another supervisor approves what you asked for.", "comment")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise CaseError("Say why the draft goes back, so that the officer can change it.", "comment")
    if approve:
        EXECUTORS[approval.action](session, case, session.get(User, approval.requested_by_id), approval.payload)
    approval.state = ApprovalState.APPROVED if approve else ApprovalState.RETURNED
    approval.decided_by_id, approval.decided_at, approval.comment = approver.id, utcnow(), comment[:5000]
    log(session, approver, case, AuditAction.ALTERATION,
        f"{FOUR_EYES[approval.kind].lower()}: {'approved and sent' if approve else 'sent back'}",
        justification=comment or None, approval=approval.id)
    session.flush()


def approvals_of(session: Session, case: Case) -> list[Approval]:
    return list(session.scalars(select(Approval).where(Approval.case_id == case.id)
                                .order_by(Approval.requested_at.desc(), Approval.id.desc())))


def pending(session: Session, country_code: str, limit: int = 100) -> tuple[int, list[Approval]]:
    where = (Approval.country_code == country_code, Approval.state == ApprovalState.PENDING)
    count = session.scalar(select(func.count(Approval.id)).where(*where)) or 0
    return count, list(session.scalars(select(Approval).where(*where).order_by(Approval.requested_at).limit(limit)))


__all__ = ["EXECUTORS", "FOUR_EYES", "approvals_of", "decide", "kind_of", "needs_approval", "pending", "submit"]


def shown_summary(approval: Approval) -> str:
    """The draft as the approver reads it, in the reader's language (issue 19): made again from the stored
    action and payload; the summary stored in English when they lack a part (an older or unusual row)."""
    p = approval.payload or {}
    try:
        if approval.action == "case_reply":
            return say("Reply (%(code)s):\n%(body)s", code=p["handling_code"], body=p["body"])
        if approval.action == "case_refuse":
            grounds = ", ".join(label_for("RefusalGround", g) for g in p["grounds"])
            return say("Refusal on ground(s) %(grounds)s: %(justification)s", grounds=grounds,
                       justification=p["justification"])
        if approval.action == "exchange_message":
            values = dict(type=label_for("MessageType", p["type_"]), body=p["body"] or "",
                          exchange=f"{approval.case.registration_number}/{p['exchange']}")
            if p.get("handling_code"):
                return say("%(type)s in %(exchange)s (%(code)s):\n%(body)s", code=p["handling_code"], **values)
            return say("%(type)s in %(exchange)s:\n%(body)s", **values)
        if approval.action == "request":
            from casemgmt.services.frameworks import country_name
            from casemgmt.services.requests import request_body

            return say("Request to %(country)s: %(subject)s\n\n%(body)s", country=country_name(
                p["counterpart"]["country"]), subject=p["subject"], body=request_body(p["content"], p.get("language") or "en"))
    except (KeyError, TypeError, AttributeError):
        pass
    return approval.summary
