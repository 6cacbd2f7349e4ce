"""Bulk actions on a selection of the inbox (issue 17, point 6): assign, add to a retention review,
export the list. Each case is handled as the one-case action would handle it (same checks, same
access-log entry); what cannot be done is listed with its reason and the rest still done."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Case
from casemgmt.services import CaseError
from casemgmt.services.access_log import log
from portal import policy
from portal.audit import AuditAction
from portal.db import utcnow
from portal.enums import N_
from portal.errors import rule_message

ACTIONS = {"assign": N_("Assign to"), "retention": N_("Add to a retention review"),
           "export": N_("Export the list (CSV)")}
MAX_SELECTION = 200


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # export: the selected cases as the list shows them


def selected_cases(session: Session, actor, numbers: list[str]) -> tuple[list[Case], list[tuple[str, str]]]:
    """The user's SPOC's cases among `numbers` (in the order given); the others, as refused, learn nothing."""
    numbers = list(dict.fromkeys(n.strip().upper() for n in numbers if n and n.strip()))
    if not numbers:
        raise CaseError("Tick at least one case.", "case")
    if len(numbers) > MAX_SELECTION:
        raise CaseError("At most %(count)s cases at a time.", "case", count=MAX_SELECTION)
    found = {c.registration_number: c for c in session.scalars(select(Case).where(
        Case.registration_number.in_(numbers), Case.country_code == actor.country_code))}
    cases, refused = [], []
    for number in numbers:
        case = found.get(number)
        if case is None or not policy.can_view_case(actor, case):
            refused.append((number, N_("no such case in your SPOC")))
        else:
            cases.append(case)
    return cases, refused


def apply(session: Session, actor, numbers: list[str], action: str, assignee=None) -> BulkResult:
    from casemgmt.services import workflow

    if action not in ACTIONS:
        raise CaseError("Choose what to do with the selection.", "action")
    if action == "assign" and assignee is None:
        raise CaseError("Choose whom to assign the cases to.", "assignee_id")
    cases, refused = selected_cases(session, actor, numbers)
    result = BulkResult(refused=refused)
    now = utcnow()
    for case in cases:
        try:
            if action == "export":
                result.rows.append(_row(case))
                log(session, actor, case, AuditAction.CONSULTATION, "listed in an export of the inbox")
            elif not policy.can_handle_case(actor, case):
                raise CaseError("not yours to change", "case")
            elif action == "assign":
                workflow.assign(session, case, actor, assignee)
            else:  # retention: the review falls due now (the case is listed under Retention reviews)
                if case.erased_at is not None:
                    raise CaseError("already erased", "case")
                if case.status not in ("closed", "archived") and case.merged_into_id is None:
                    raise CaseError("still open: close it first", "case")
                case.review_due_at = now
                log(session, actor, case, AuditAction.ALTERATION, "added to a retention review")
        except CaseError as exc:
            result.refused.append((case.registration_number, rule_message(exc)))
        else:
            result.done.append(case.registration_number)
    session.flush()
    return result


def _row(case: Case) -> list:
    return [case.registration_number, case.subject if policy.lists_show_subject(case) else "", case.channel,
            case.counterpart_country or "", case.status, case.due_at.isoformat() if case.legal_clock else "",
            case.assignee.email if case.assignee else ""]


EXPORT_HEADER = ["registration number", "subject", "channel", "counterpart", "status", "legal deadline (UTC)",
                 "assignee"]
__all__ = ["ACTIONS", "EXPORT_HEADER", "BulkResult", "apply", "selected_cases"]
