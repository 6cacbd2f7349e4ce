"""The workflow of a case: the allowed transitions (defined here and nowhere else), evaluation,
assignment, tasks and notes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Case, CaseStatus, HandlingCode, Note, Task
from casemgmt.services import CaseError, search
from casemgmt.services.access_log import log
from casemgmt.services.counts import keeps_counts
from casemgmt.services.deadlines import on_status_change, set_deadline
from casemgmt.services.priority import override_priority, refresh_priority
from casemgmt.services.settings import load_settings
from portal import policy
from portal.audit import AuditAction
from portal.db import utcnow
from portal.enums import N_, translated

S = CaseStatus
# For each state, the actions allowed in it and the state each action leads to.
TRANSITIONS: dict[CaseStatus, dict[str, CaseStatus]] = {
    # the cross-check runs by itself at intake: a reply needs no separate "record the cross-check" step
    # (casemgmt.services.outgoing refuses it while strong hits are undecided)
    S.RECEIVED: {"evaluate": S.EVALUATED, "request_clarification": S.AWAITING_CLARIFICATION, "reply": S.REPLIED,
                 "refuse": S.REPLIED, "close": S.CLOSED},
    S.EVALUATED: {"evaluate": S.EVALUATED, "cross_check": S.CROSS_CHECKED, "reply": S.REPLIED,
                  "request_clarification": S.AWAITING_CLARIFICATION, "refuse": S.REPLIED, "close": S.CLOSED},
    S.AWAITING_CLARIFICATION: {"clarification_received": S.EVALUATED, "refuse": S.REPLIED, "close": S.CLOSED},
    S.CROSS_CHECKED: {"evaluate": S.CROSS_CHECKED, "cross_check": S.CROSS_CHECKED, "disseminate": S.DISSEMINATED,
                      "await_national_reply": S.AWAITING_NATIONAL_REPLY, "reply": S.REPLIED, "refuse": S.REPLIED,
                      "request_clarification": S.AWAITING_CLARIFICATION, "close": S.CLOSED},
    S.DISSEMINATED: {"disseminate": S.DISSEMINATED, "await_national_reply": S.AWAITING_NATIONAL_REPLY,
                     "reply": S.REPLIED, "refuse": S.REPLIED, "close": S.CLOSED},
    S.AWAITING_NATIONAL_REPLY: {"disseminate": S.DISSEMINATED, "reply": S.REPLIED, "refuse": S.REPLIED,
                                "close": S.CLOSED},
    # the SPOC's own request: the partner's answer is a message of its exchange (it moves the case to replied)
    S.AWAITING_PARTNER: {"close": S.CLOSED},
    S.REPLIED: {"reply": S.REPLIED, "disseminate": S.REPLIED, "await_national_reply": S.AWAITING_NATIONAL_REPLY,
                "close": S.CLOSED},
    S.CLOSED: {"archive": S.ARCHIVED},
    S.ARCHIVED: {},
}

ACTION_LABELS = {"evaluate": N_("Evaluate"), "cross_check": N_("Record the cross-check"),
                 "request_clarification": N_("Ask the requester for clarification"),
                 "clarification_received": N_("Clarification received"),
                 "disseminate": N_("Channel to a competent authority"),
                 "await_national_reply": N_("Await a national authority's reply"), "reply": N_("Reply"),
                 "refuse": N_("Refuse"), "close": N_("Close"), "archive": N_("Archive")}
# actions that are a plain change of state (the others have their own forms)
PLAIN_ACTIONS = ("request_clarification", "clarification_received", "await_national_reply", "close", "archive")


def allowed_actions(case: Case) -> dict[str, CaseStatus]:
    if case.merged_into_id is not None or case.erased_at is not None:
        return {}
    return dict(TRANSITIONS[CaseStatus(case.status)])


def can(case: Case, action: str) -> bool:
    return action in allowed_actions(case)


def require(case: Case, action: str) -> CaseStatus:
    target = allowed_actions(case).get(action)
    if target is None:
        label = CaseStatus(case.status).label.lower()
        if case.merged_into_id is not None:
            raise CaseError("This case is merged into another; work in that case.", "action")
        raise CaseError("“%(action)s” is not possible while the case is %(status)s.", "action",
                        action=translated(ACTION_LABELS.get(action, action)), status=label)
    return target


@keeps_counts
def apply(session: Session, case: Case, action: str, actor, *, now: dt.datetime | None = None,
          settings: dict | None = None, note: str = "", outcome: str | None = None) -> None:
    """Move the case by `action` (checked against TRANSITIONS); clock, priority, retention and the
    case's first exchange follow (closing an unanswered request needs its `outcome`)."""
    from casemgmt.services.exchanges import follow_case
    from casemgmt.services.retention import on_close

    now = now or utcnow()
    settings = settings or load_settings(session, case.country_code)
    target = require(case, action)
    old = case.status
    case.status = target.value
    on_status_change(case, old, target.value, now, settings)
    if target is S.CLOSED and old != S.CLOSED:
        on_close(case, now, settings)
    follow_case(session, case, outcome=outcome, now=now)
    refresh_priority(case, settings, now)
    if old != target.value:
        log(session, actor, case, AuditAction.ALTERATION, f"status {old} → {target.value}", note=note)
    session.flush()


@keeps_counts
def evaluate(session: Session, case: Case, actor, *, urgent: bool, urgency_ground: str | None,
             information_access: str | None, crime_category: str = "", source_code: str | None = None,
             information_code: str | None = None, handling_code: str | None = None, handling_text: str = "",
             now: dt.datetime | None = None) -> None:
    """Record the evaluation; the deadline and the priority are recomputed from it."""
    now = now or utcnow()
    require(case, "evaluate")
    if urgent and not urgency_ground:
        raise CaseError("An urgent request needs one of the four Art. 4(4) grounds.", "urgency_ground")
    if not urgent:
        urgency_ground = None
    if urgent and not information_access:
        raise CaseError("Say whether the information is directly or indirectly accessible.", "information_access")
    if handling_code == HandlingCode.H3 and not handling_text.strip():
        raise CaseError("H3 needs the text of the restriction.", "handling_text")
    settings = load_settings(session, case.country_code)
    case.urgent, case.urgency_ground, case.information_access = urgent, urgency_ground, information_access
    case.crime_category = (crime_category or "").strip().lower()
    case.source_code, case.information_code = source_code or None, information_code or None
    case.handling_code = handling_code or None
    case.handling_text = handling_text.strip() if handling_code == HandlingCode.H3 else ""
    case.evaluated_at = now
    if case.replied_at is None:
        set_deadline(case, settings)
    log(session, actor, case, AuditAction.ALTERATION, "evaluation recorded", urgent=urgent,
        urgency_ground=urgency_ground, information_access=information_access, source=source_code,
        information=information_code, handling=handling_code, crime_category=case.crime_category)
    apply(session, case, "evaluate", actor, now=now, settings=settings)


def record_cross_check(session: Session, case: Case, actor, summary: str = "", hits: int | None = None) -> None:
    """The officer has seen the cross-check's hits (Art. 16(1)(d)); combination of data is logged."""
    require(case, "cross_check")
    case.cross_checked_at = utcnow()
    log(session, actor, case, AuditAction.COMBINATION, "cross-check against the module's data",
        summary=summary, hits=hits)
    apply(session, case, "cross_check", actor)


def assign(session: Session, case: Case, actor, assignee) -> None:
    if assignee is not None and not policy.can_be_assigned(assignee, case.country_code):
        raise CaseError("Choose an officer or supervisor of your SPOC.", "assignee")
    case.assignee_id = assignee.id if assignee else None
    log(session, actor, case, AuditAction.ALTERATION,
        f"assigned to {assignee.email}" if assignee else "unassigned")
    session.flush()


def set_priority(session: Session, case: Case, actor, level: int | None, reason: str) -> None:
    settings = load_settings(session, case.country_code)
    override_priority(case, level, reason, settings, utcnow())
    log(session, actor, case, AuditAction.ALTERATION,
        f"priority set to {level}" if level else "priority override removed", reason=reason)
    session.flush()


def add_note(session: Session, case: Case, actor, text: str) -> Note:
    if not text.strip():
        raise CaseError("Write the note.", "text")
    note = Note(case_id=case.id, text=text.strip(), author_id=actor.id)
    session.add(note)
    log(session, actor, case, AuditAction.ALTERATION, "note added")
    search.reindex_case(session, case)
    return note


def add_task(session: Session, case: Case, actor, title: str, assignee=None,
             due_at: dt.datetime | None = None) -> Task:
    if not title.strip():
        raise CaseError("Say what is to be done.", "title")
    if assignee is not None and assignee.country_code != case.country_code:
        raise CaseError("Choose someone of your SPOC.", "assignee")
    task = Task(case_id=case.id, title=title.strip()[:300], assignee_id=assignee.id if assignee else None,
                due_at=due_at, created_by_id=actor.id)
    session.add(task)
    session.flush()
    # the log names the task by its number: its text may name persons, and the log outlives erasure
    log(session, actor, case, AuditAction.ALTERATION, "task added", task_id=task.id)
    session.flush()
    return task


def complete_task(session: Session, case: Case, actor, task_id: int) -> Task:
    task = session.scalar(select(Task).where(Task.id == task_id, Task.case_id == case.id))
    if task is None:
        raise CaseError("There is no such task in this case.", "task")
    task.status, task.done_at = "done", utcnow()
    log(session, actor, case, AuditAction.ALTERATION, "task done", task_id=task.id)
    session.flush()
    return task
