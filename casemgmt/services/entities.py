"""A case's persons and objects after intake: add one, edit a person, flag data inaccurate.

Each change is an alteration in the access log with the user, the justification and the names
of the fields changed (never their values: the log is read more widely than the data). The
cross-check is called explicitly after each change (casemgmt.crosscheck.refresh.entities_changed):
the case is re-indexed and its cross-check runs again, so a later case finds what was added or renamed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.crosscheck.refresh import entities_changed
from casemgmt.models import ENTITY_KINDS, Case, Person
from casemgmt.schemas import PersonFields, parse_date_of_birth, validate_entity, validate_person
from casemgmt.services import CaseError, search
from casemgmt.services.access_log import log
from casemgmt.services.intake_rows import build_entities
from portal.audit import AuditAction
from portal.db import utcnow
from portal.enums import N_, say

PERSON_FIELDS = ("surname", "given_names", "date_of_birth", "nationality", "category", "assessment")


class EntityInputError(CaseError):
    """Bad values: {field: message} for every field, nothing changed."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(N_("Some fields are not valid; nothing was changed."), next(iter(errors), None))
        self.errors = errors


class NothingChanged(CaseError):
    """An edit that gives every field its present value."""


class CaseClosedError(CaseError):
    """The case's persons and objects can no longer change (409 in the API)."""


def require_changeable(case: Case) -> None:
    """Only an open case's persons and objects change; a closed, archived, merged or erased case
    keeps what it had (a new matter is a new case)."""
    if case.erased_at is not None:
        raise CaseClosedError("The personal data of this case were erased; nothing can be changed.", "case")
    if case.merged_into_id is not None:
        raise CaseClosedError("This case is merged into another; change its persons and objects there.", "case")
    if not case.is_open:
        raise CaseClosedError("This case is closed: its persons and objects can no longer be changed.", "case")


def _justification(text: str | None, field: str = "justification") -> str:
    text = (text or "").strip()
    if not text:
        raise CaseError("Say why the case's data are changed.", field)
    return text


def entity_of(session: Session, case: Case, kind: str, entity_id: int):
    """The case's entity of this kind and id, or None."""
    model = ENTITY_KINDS.get(kind)
    entity = session.get(model, entity_id) if model is not None else None
    return entity if entity is not None and entity.case_id == case.id else None


def _require(session: Session, case: Case, kind: str, entity_id: int):
    entity = entity_of(session, case, kind, entity_id)
    if entity is None:
        raise CaseError("There is no such person or object in this case.", "entity")
    return entity


def add_entity(session: Session, case: Case, actor, data: dict, justification: str) -> list:
    """Add a person (with its documents) or an object, validated as at intake; the new rows."""
    require_changeable(case)
    entity, errors = validate_entity(data)
    if entity is None:
        raise EntityInputError(errors)
    justification = _justification(justification)
    rows = build_entities([entity], dict(country_code=case.country_code, created_at=utcnow()))
    for row in rows:
        row.case_id = case.id
    session.add_all(rows)
    session.flush()
    first = rows[0]
    log(session, actor, case, AuditAction.ALTERATION, f"{first.kind} #{first.id} added",
        justification=justification, entity=f"{first.kind}:{first.id}",
        fields=sorted(k for k, v in entity.model_dump(exclude={"kind"}).items() if v not in (None, "", [], False)),
        documents=[r.id for r in rows[1:]])
    entities_changed(session, case, actor, trigger="edit")  # the officer changed the data
    search.reindex_case(session, case)
    return rows


def person_values(person: Person) -> dict:
    """The person's fields as the form and the API read them."""
    return dict(surname=person.surname, given_names=person.given_names or "",
                date_of_birth=person.date_of_birth_text or None, nationality=person.nationality,
                category=person.category, assessment=bool(person.assessment))


def edit_person(session: Session, case: Case, actor, person_id: int, changes: dict, justification: str) -> list[str]:
    """Change a person's fields (those in `changes`; the others stay); the names of those changed."""
    require_changeable(case)
    person = _require(session, case, "person", person_id)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise EntityInputError({f: say("not a field of a person") for f in sorted(unknown)})
    merged = {**person_values(person), **changes}
    for key in ("date_of_birth", "nationality"):
        if merged[key] == "":
            merged[key] = None
    fields, errors = validate_person(merged)
    if fields is None:
        raise EntityInputError(errors)
    justification = _justification(justification)
    changed = _apply(person, fields)
    if not changed:
        raise NothingChanged("Nothing was changed.", "surname")
    log(session, actor, case, AuditAction.ALTERATION, f"person #{person.id} edited: {', '.join(changed)}",
        justification=justification, entity=f"person:{person.id}", fields=changed)
    entities_changed(session, case, actor, trigger="edit")
    search.reindex_case(session, case)
    return changed


def _apply(person: Person, fields: PersonFields) -> list[str]:
    dob, precision = parse_date_of_birth(fields.date_of_birth)
    new = dict(surname=fields.surname, given_names=fields.given_names, date_of_birth=dob,
               date_of_birth_precision=precision, nationality=fields.nationality, category=fields.category.value,
               assessment=fields.assessment)
    changed = []
    for key, value in new.items():
        if getattr(person, key) != value:
            setattr(person, key, value)
            changed.append(key)
    if "date_of_birth_precision" in changed and "date_of_birth" not in changed:
        changed[changed.index("date_of_birth_precision")] = "date_of_birth"
    elif "date_of_birth_precision" in changed:
        changed.remove("date_of_birth_precision")
    return changed


def flag_entity(session: Session, case: Case, actor, kind: str, entity_id: int, inaccurate: bool, reason: str):
    """Flag an entity's data inaccurate or out of date (not passed on from now), or remove the flag;
    the reason is required either way and shown beside the entity."""
    require_changeable(case)
    entity = _require(session, case, kind, entity_id)
    reason = _justification(reason, "reason")
    if bool(entity.flagged_inaccurate) == bool(inaccurate):
        raise CaseError("It is flagged already." if inaccurate else "It is not flagged.", "reason")
    entity.flagged_inaccurate = bool(inaccurate)
    entity.flag_reason = reason if inaccurate else ""
    entity.flagged_at = utcnow() if inaccurate else None
    log(session, actor, case, AuditAction.ALTERATION,
        f"{kind} #{entity.id} " + ("flagged inaccurate or out of date" if inaccurate else "flag removed"),
        justification=reason, entity=f"{kind}:{entity.id}", fields=["flagged_inaccurate"])
    entities_changed(session, case, actor, trigger="edit")
    return entity


def has_flagged(session: Session, case: Case) -> bool:
    """Whether any of the case's entities is flagged (what is disclosed leaves them out)."""
    return any(session.scalar(select(m.id).where(m.case_id == case.id, m.flagged_inaccurate).limit(1))
               for m in ENTITY_KINDS.values())
