"""JSON API of the questionnaires: published versions, rounds, and a country's response."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from flask import jsonify
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import policy
from portal.api import APIError, current_api_user, endpoint, parse_body
from portal.db import get_session
from questionnaires.models import MAX_ID, Round
from questionnaires.services import InvalidAnswers, Locked, StaleVersion
from questionnaires.services import responses as response_service
from questionnaires.services import versions as version_service
from questionnaires.services.rounds import all_rounds


class QuestionnaireOut(BaseModel):
    id: int  # the version's id: rounds name it as questionnaire_id
    title: str
    version: int
    question_count: int


class RoundOut(BaseModel):
    id: int
    questionnaire_id: int
    deadline: dt.date
    countries: list[str]


class ResponseOut(BaseModel):
    country: str
    status: Literal["not_started", "draft", "submitted", "reopened"]
    version: int
    answers: dict[str, Any]


class ResponsePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any]
    version: int


def _response_out(response) -> dict:
    return ResponseOut(country=response.country_code, status=response.status, version=response.version,
                       answers=response_service.answer_values(response)).model_dump(mode="json")


def _load(round_id: int, country: str):
    """The round's response for `country` if this user may read it; 404 otherwise."""
    user = current_api_user()
    session = get_session()
    round_ = session.get(Round, round_id) if 0 < round_id <= MAX_ID else None
    if round_ is None or not policy.can_view_round(user, round_):
        raise APIError(404, "not_found", "No such round.")
    if not policy.can_view_response(user, country.upper()):
        raise APIError(404, "not_found", "No such response.")
    response = response_service.get_response(session, round_, country)
    if response is None:
        raise APIError(404, "not_found", "This country is not part of the round.")
    return session, response


@endpoint("/questionnaires", summary="Published questionnaire versions", tag="questionnaires",
          response=list[QuestionnaireOut])
def list_questionnaires():
    session = get_session()
    out = [QuestionnaireOut(id=v.id, title=v.title, version=v.number,
                            question_count=version_service.question_count(v)).model_dump()
           for v in version_service.published_versions(session)]
    return jsonify(out)


@endpoint("/rounds", summary="Questionnaire rounds the user may see", tag="questionnaires",
          response=list[RoundOut])
def list_rounds():
    user = current_api_user()
    rounds = all_rounds(get_session(), policy.visible_rounds(user))
    return jsonify([RoundOut(id=r.id, questionnaire_id=r.version_id, deadline=r.deadline,
                             countries=r.country_codes).model_dump(mode="json") for r in rounds])


@endpoint("/rounds/<int:round_id>/responses/<country>", summary="A country's response in a round",
          tag="questionnaires", response=ResponseOut)
def get_round_response(round_id: int, country: str):
    _, response = _load(round_id, country)
    return jsonify(_response_out(response))


@endpoint("/rounds/<int:round_id>/responses/<country>", ("PATCH",), summary="Save draft answers",
          tag="questionnaires", response=ResponseOut, request_model=ResponsePatch, statuses=(409,),
          example={"answers": {"avail_247": "yes", "staff_total": 24}, "version": 3})
def patch_round_response(round_id: int, country: str):
    user = current_api_user()
    session, response = _load(round_id, country)
    if not policy.can_edit_response(user, response.country_code):  # only its respondents edit it
        raise APIError(404, "not_found", "No such response to edit.")
    body = parse_body(ResponsePatch)
    definition = response_service.definition_for(response)
    current = response_service.answer_values(response)
    files = {qid: "Upload files on the answering page." for qid, value in body.answers.items()
             if qid in definition.question_map and definition.question_map[qid].type == "file"
             and value != current.get(qid)}
    try:
        if body.version != response.version:
            raise StaleVersion("Someone saved this response since you read it: read it again, then save.")
        if files:
            raise InvalidAnswers(files)
        response_service.save_answers(session, response, user, body.answers, expected_version=body.version,
                                      via="api", lang=user.language or "en")
        session.commit()
    except StaleVersion as exc:
        raise APIError(409, "stale_version", str(exc)) from None
    except Locked as exc:
        raise APIError(409, "locked", str(exc)) from None
    except InvalidAnswers as exc:
        session.rollback()
        raise APIError(422, "invalid_answers", "Some answers are not valid; nothing was saved.",
                       {f"answers.{k}": v for k, v in exc.errors.items()}) from None
    except (StaleDataError, IntegrityError):
        session.rollback()
        raise APIError(409, "stale_version", "Someone saved this response at the same moment: "
                                             "read it again, then save.") from None
    return jsonify(_response_out(response))
