"""Reading a case folder: loading by number (and authorising), its entities, its attachments."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from casemgmt.models import Attachment, Case, Note, Task
from casemgmt.models.entities import ENTITY_MODELS
from portal import policy
from portal.db import Prepared


def case_by_number(session: Session, registration_number: str) -> Case | None:
    return session.scalar(select(Case).where(Case.registration_number == (registration_number or "").upper()))


def authorised_case(session: Session, user, registration_number: str, *, handle: bool = False) -> Case | None:
    """The one load-and-authorise of a case, for the pages and the API alike: the case with this number
    when `user` may read it (with `handle`: may change it, portal.policy.can_handle_case); None for a
    missing case and for one the user may not see, which both answer 404."""
    case = case_by_number(session, registration_number)
    if case is None:
        return None
    allowed = policy.can_handle_case if handle else policy.can_view_case
    return case if allowed(user, case) else None


def entities_of(session: Session, case: Case) -> list:
    out: list = []
    for model in ENTITY_MODELS:
        out.extend(session.scalars(select(model).where(model.case_id == case.id).order_by(model.id)))
    return out


def attachments_of(session: Session, case: Case) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)))


def notes_of(session: Session, case: Case) -> list[Note]:
    return list(session.scalars(select(Note).where(Note.case_id == case.id).order_by(Note.created_at)))


def tasks_of(session: Session, case: Case) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.case_id == case.id).order_by(Task.status.desc(), Task.id)))


def _folder_statements() -> list[Prepared]:
    """Whole rows of everything the case page's folder shows, each joined to the names it prints."""
    from casemgmt.models import (
        Approval,
        CaseLink,
        Dissemination,
        Exchange,
        ExternalReference,
        Message,
        NationalAuthority,
        RetentionReview,
    )
    from portal.accounts.models import User
    from portal.files import StoredFile

    case_id = bindparam("case_id")
    users, requested, decided = User.__table__, User.__table__.alias("requested"), User.__table__.alias("decided")
    cases, files = Case.__table__, StoredFile.__table__
    plain = [m.__table__ for m in (Exchange, Message, ExternalReference, *ENTITY_MODELS, RetentionReview)]
    statements = [select(t).where(t.c.case_id == case_id).order_by(t.c.id) for t in plain]
    att, notes, tasks, links = (m.__table__ for m in (Attachment, Note, Task, CaseLink))
    dis, auth, appr = Dissemination.__table__, NationalAuthority.__table__, Approval.__table__
    statements += [
        select(att, files).join(files, files.c.id == att.c.file_id).where(att.c.case_id == case_id).order_by(att.c.id),
        select(notes, users.c.name, users.c.email).outerjoin(users, users.c.id == notes.c.author_id)
        .where(notes.c.case_id == case_id).order_by(notes.c.id),
        select(tasks, users.c.name, users.c.email).outerjoin(users, users.c.id == tasks.c.assignee_id)
        .where(tasks.c.case_id == case_id).order_by(tasks.c.id),
        select(links, cases.c.registration_number).join(cases, cases.c.id == links.c.other_id)
        .where(links.c.case_id == case_id).order_by(links.c.id),
        select(cases.c.id, cases.c.registration_number).where(cases.c.merged_into_id == case_id).order_by(cases.c.id),
        select(dis, auth.c.name).outerjoin(auth, auth.c.id == dis.c.authority_id)
        .where(dis.c.case_id == case_id).order_by(dis.c.id),
        select(appr, requested.c.name, requested.c.email, decided.c.name, decided.c.email)
        .outerjoin(requested, requested.c.id == appr.c.requested_by_id)
        .outerjoin(decided, decided.c.id == appr.c.decided_by_id).where(appr.c.case_id == case_id).order_by(appr.c.id),
    ]
    return [Prepared(s, raw=True) for s in statements]


_FOLDER: list[Prepared] = []


def folder_fingerprint(session: Session, case: Case) -> tuple:
    """Every row the case page's folder is made of (exchanges, messages, references, the 11 kinds of
    entities, attachments and their files, notes, tasks, links, merged cases, disseminations, retention
    decisions, four-eyes approvals, with the users' and authorities' names they show), as the driver
    returns them: a part of the key under which its rendering is kept (casemgmt/views/case_folder.py).
    Any change of what the folder shows changes one of these rows. Read by statements prepared on the
    driver, ~20 of them cost less than loading one kind of entity through the ORM."""
    if not _FOLDER:
        _FOLDER.extend(_folder_statements())
    conn = session.connection()
    params = {"case_id": case.id}
    return tuple(statement.key_rows(conn, params) for statement in _FOLDER)


def _side_statements() -> list[Prepared]:
    from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun, ReferenceDataset
    from casemgmt.models import MessageTemplate, NationalAuthority
    from portal.accounts.models import User

    case_id, country = bindparam("case_id"), bindparam("country")
    users = User.__table__
    by_case = [m.__table__ for m in (CrossCheckRun, CrossCheckHit)]
    by_country = [m.__table__ for m in (NationalAuthority, MessageTemplate, ReferenceDataset)]
    return [Prepared(s, raw=True) for s in (
        select(users.c.id, users.c.name, users.c.email, users.c.role, users.c.active)
        .where(users.c.country_code == country).order_by(users.c.id),
        *(select(t).where(t.c.case_id == case_id).order_by(t.c.id) for t in by_case),
        *(select(t).where(t.c.country_code == country).order_by(t.c.id) for t in by_country),
    )]


_SIDE: list[Prepared] = []


def side_fingerprint(session: Session, case: Case) -> tuple:
    """The rows the case page's side column is made of besides the folder's: the SPOC's users (whom a
    case or a task may be assigned to), national authorities, message templates and reference data
    sets, the case's cross-check runs and hits; whole rows as the driver returns them, for the keys of
    the cross-check panel and the column of actions (casemgmt/views/case_folder.py, case_actions.py)."""
    if not _SIDE:
        _SIDE.extend(_side_statements())
    conn = session.connection()
    params = {"case_id": case.id, "country": case.country_code}
    return tuple(statement.key_rows(conn, params) for statement in _SIDE)
