"""JSON API of a case's persons and objects after intake: add one, edit a person, flag data
inaccurate (the same service as the case page, casemgmt.services.entities)."""

from __future__ import annotations

from typing import Annotated

from flask import jsonify
from pydantic import BaseModel, Field

from casemgmt.models import DataSubjectCategory
from casemgmt.schemas import Entity, EntityOut, Strict, Text
from casemgmt.services import CaseError
from casemgmt.services import entities as service
from casemgmt.services.folder import authorised_case
from portal.api import APIError, current_api_user, endpoint, parse_body
from portal.db import get_session
from portal.enums import N_
from portal.errors import rule_message


class EntityAdd(Strict):
    """An entity added to an open case, and why."""

    entity: Entity
    justification: Annotated[Text, Field(min_length=1, max_length=2000)]


class PersonChanges(Strict):
    """The person's fields to change; those left out stay as they are."""

    surname: Annotated[Text, Field(min_length=1, max_length=200)] | None = None
    given_names: Annotated[Text, Field(max_length=200)] | None = None
    date_of_birth: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY; \"\" clears it")
    nationality: Annotated[str, Field(max_length=2)] | None = Field(default=None, description="\"\" clears it")
    category: DataSubjectCategory | None = None
    assessment: bool | None = None


class FlagChange(Strict):
    inaccurate: bool = Field(description="true: flag the data inaccurate or out of date; false: remove the flag")
    reason: Annotated[Text, Field(min_length=1, max_length=2000)]


class EntityPatch(Strict):
    """Edit a person (`person`) and/or flag or unflag any entity (`flag`); `justification` is logged
    with the edit (the flag's reason is its justification)."""

    person: PersonChanges | None = None
    flag: FlagChange | None = None
    justification: Annotated[Text, Field(max_length=2000)] = ""


ENTITY_EXAMPLE = {"entity": {"kind": "phone", "number": "+32 470 12 34 56"},
                  "justification": "Number given by the requester by phone, confirmed by SIENA message"}


NOT_FOUND = APIError(404, "not_found", "There is no such case or entity, or it is not yours to change.")


class EntitiesAdded(BaseModel):
    entities: list[EntityOut]


def entity_out(entity) -> EntityOut:
    return EntityOut(kind=entity.kind, id=entity.id, label=entity.label,
                     flagged_inaccurate=bool(entity.flagged_inaccurate), flag_reason=entity.flag_reason or "")


def _handled_case(registration_number: str):
    user = current_api_user()
    case = authorised_case(get_session(), user, registration_number, handle=True)
    if case is None:
        raise NOT_FOUND
    return user, case


def _commit_or_raise(work, prefix: str = ""):
    session = get_session()
    try:
        result = work(session)
    except service.CaseClosedError as exc:
        session.rollback()
        raise APIError(409, "case_closed", rule_message(exc)) from None
    except service.EntityInputError as exc:
        session.rollback()
        raise APIError(422, "invalid", rule_message(exc), {prefix + k: v for k, v in exc.errors.items()}) from None
    except CaseError as exc:
        session.rollback()
        raise APIError(422, "invalid", rule_message(exc), {exc.field or "body": rule_message(exc)}) from None
    session.commit()
    return result


@endpoint("/cases/<registration_number>/entities", ("POST",), summary="Add a person (with its documents) or an "
          "object to an open case", tag="cases", request_model=EntityAdd, response=EntitiesAdded,
          statuses=(201, 404, 409), example=ENTITY_EXAMPLE)
def case_entity_add(registration_number: str):
    """Checked as at intake; logged as an alteration with the justification. 409 when the case is
    closed, archived, merged or erased. The case's cross-check runs again."""
    user, case = _handled_case(registration_number)
    body = parse_body(EntityAdd)
    data = body.entity.model_dump(mode="json")
    rows = _commit_or_raise(lambda s: service.add_entity(s, case, user, data, body.justification), "entity.")
    return jsonify(EntitiesAdded(entities=[entity_out(r) for r in rows]).model_dump(mode="json")), 201


@endpoint("/cases/<registration_number>/entities/<kind>/<int:entity_id>", ("PATCH",),
          summary="Edit a person and/or flag or unflag any entity as inaccurate or out of date", tag="cases",
          request_model=EntityPatch, response=EntityOut, statuses=(404, 409))
def case_entity_patch(registration_number: str, kind: str, entity_id: int):
    """`kind`: person, document, vehicle, phone, email or company. `person` changes only the fields
    given (a person only; `justification` required); `flag` needs its `reason`. 409 when the case
    can no longer change; 422 naming the field otherwise, nothing changed."""
    user, case = _handled_case(registration_number)
    if service.entity_of(get_session(), case, kind, entity_id) is None:
        raise NOT_FOUND
    body = parse_body(EntityPatch)
    if body.person is None and body.flag is None:
        raise APIError(422, "invalid", "Give `person` changes or a `flag`.", {"body": N_("nothing to change")})
    if body.person is not None and kind != "person":
        raise APIError(422, "invalid", "Only a person's fields are edited.", {"person": N_("not a person")})

    def work(s):
        if body.person is not None:
            try:
                service.edit_person(s, case, user, entity_id,
                                    body.person.model_dump(mode="json", exclude_unset=True), body.justification)
            except service.NothingChanged as exc:
                if body.flag is None:  # with a flag, the person sent back as it is changes nothing: fine
                    exc.field = f"person.{exc.field}"
                    raise
            except (service.EntityInputError, service.CaseClosedError):
                raise
            except CaseError as exc:  # named as in the body: person.… (justification is top-level)
                exc.field = exc.field if exc.field in (None, "justification") else f"person.{exc.field}"
                raise
        if body.flag is not None:
            try:
                service.flag_entity(s, case, user, kind, entity_id, body.flag.inaccurate, body.flag.reason)
            except service.CaseClosedError:
                raise
            except CaseError as exc:
                exc.field = f"flag.{exc.field or 'reason'}"
                raise
        return service.entity_of(s, case, kind, entity_id)

    entity = _commit_or_raise(work, "person.")
    return jsonify(entity_out(entity).model_dump(mode="json"))
