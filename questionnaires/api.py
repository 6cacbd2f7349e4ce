"""JSON API of the questionnaires: published versions, rounds, and a country's response."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from flask import current_app, jsonify, request, url_for
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import files, policy
from portal.api import APIError, current_api_user, endpoint, parse_body
from portal.db import get_session
from questionnaires.models import MAX_ID, Round
from questionnaires.question_types import question_type
from questionnaires.services import InvalidAnswers, Locked, StaleVersion, answer_files
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
    status: Literal["not_started", "draft", "for_approval", "submitted", "reopened"]
    version: int
    answers: dict[str, Any]


class ResponsePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any]
    version: int


class FileAnswerOut(BaseModel):
    """A file answer as the API shows it (stored as {file_id, name})."""

    file_id: int
    name: str
    size: int
    content_type: str
    download_url: str


class FileAnswerSaved(FileAnswerOut):
    question_id: str
    revision: int
    version: int  # the response's version after this save


class FileUpload(BaseModel):
    """multipart/form-data: the file part and the response's version as GET returned it."""

    file: bytes
    version: int
    scan_confirmed: bool = Field(False, description="true: a PDF without a text layer (a scan) holds no EU "
                                                    "classified marking, on the uploader's word; such a PDF is "
                                                    "refused without it.")


FILE_RULE = "/rounds/<int:round_id>/responses/<country>/answers/<question_id>/file"


def _file_url(response, question_id: str) -> str:
    return url_for("api.get_answer_file", round_id=response.round_id, country=response.country_code,
                   question_id=question_id)


def _file_out(response, question_id: str, stored: files.StoredFile) -> dict:
    return FileAnswerOut(file_id=stored.id, name=stored.original_name, size=stored.size,
                         content_type=stored.mimetype, download_url=_file_url(response, question_id)).model_dump()


def _file_questions(response) -> set[str]:
    return {q.id for q in response_service.definition_for(response).questions if question_type(q).uploaded}


def _response_out(session, response) -> dict:
    answers = response_service.answer_values(response)
    file_qids = _file_questions(response) & set(answers)
    stored = answer_files.stored_files(session, {qid: answers[qid] for qid in file_qids})
    for qid in file_qids:
        found = stored.get(answers[qid].get("file_id")) if isinstance(answers[qid], dict) else None
        if found is not None:
            answers[qid] = _file_out(response, qid, found)
    return ResponseOut(country=response.country_code, status=response.status, version=response.version,
                       answers=answers).model_dump(mode="json")


def _same_file(sent, current) -> bool:
    """A file answer sent back as GET showed it (or unchanged) is not a change."""
    if isinstance(sent, dict) and isinstance(current, dict):
        return sent.get("file_id") == current.get("file_id")
    return sent == current


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
    session, response = _load(round_id, country)
    return jsonify(_response_out(session, response))


@endpoint("/rounds/<int:round_id>/responses/<country>", ("PATCH",), summary="Save draft answers",
          tag="questionnaires", response=ResponseOut, request_model=ResponsePatch, statuses=(409,),
          example={"answers": {"avail_247": "yes", "staff_total": 24}, "version": 3})
def patch_round_response(round_id: int, country: str):
    user = current_api_user()
    session, response = _load(round_id, country)
    if not policy.can_edit_response(user, response.country_code):  # only its respondents edit it
        raise APIError(404, "not_found", "No such response to edit.")
    body = parse_body(ResponsePatch)
    current = response_service.answer_values(response)
    answers, refused = dict(body.answers), {}
    for qid in _file_questions(response) & set(body.answers):
        if _same_file(body.answers[qid], current.get(qid)):
            del answers[qid]
        else:
            refused[qid] = f"Upload a file with PUT, remove it with DELETE {_file_url(response, qid)}."
    try:
        if body.version != response.version:
            raise StaleVersion("Someone saved this response since you read it: read it again, then save.")
        if refused:
            raise InvalidAnswers(refused)
        response_service.save_answers(session, response, user, answers, expected_version=body.version,
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
    return jsonify(_response_out(session, response))


# File answers --------------------------------------------------------------------------------
# The same rules as the answering page: only respondents of the country upload or remove, to a
# draft in an open round; whoever may read the response downloads. The upload is checked by
# content through the page's own function, then saved as an answer (revision, history).
def _file_question(round_id: int, country: str, question_id: str, *, edit: bool):
    user = current_api_user()
    session, response = _load(round_id, country)
    allowed = (policy.can_edit_response if edit else policy.can_download_answer_file)(user, response.country_code)
    if not allowed:
        raise APIError(404, "not_found", "No such response to edit." if edit else "No such response.")
    question = response_service.definition_for(response).question_map.get(question_id)
    if question is None or not question_type(question).uploaded:
        raise APIError(404, "not_found", "This questionnaire has no file question with this id.")
    return user, session, response, question


NEEDS_VERSION = "Give the response's version (an integer) as GET returned it."
NEEDS_FILE = "Send the file as a multipart/form-data part named 'file', with its file name."


def _version(text: str | None) -> int | None:
    text = (text or "").strip()
    # isdigit() alone admits "²" and other digits int() refuses
    return int(text) if text.isascii() and text.isdigit() and int(text) <= 2**31 - 1 else None


def _invalid(fields: dict[str, str]) -> APIError:
    return APIError(422, "invalid", "Some fields are not valid.", fields)


def _conflict(exc: Exception) -> APIError:
    code = "locked" if isinstance(exc, Locked) else "stale_version"
    if isinstance(exc, StaleDataError | IntegrityError):
        return APIError(409, code, "Someone saved this response at the same moment: read it again, then save.")
    return APIError(409, code, str(exc))


@endpoint(FILE_RULE, summary="Download the file of a file answer", tag="questionnaires", response=bytes,
          media_type=tuple(sorted(files.ALLOWED_TYPES)))
def get_answer_file(round_id: int, country: str, question_id: str):
    _, session, response, question = _file_question(round_id, country, question_id, edit=False)
    stored = answer_files.current_file(session, response, question.id)
    if stored is None:
        raise APIError(404, "not_found", "This question has no file.")
    try:
        data = files.read_file(current_app.config["UPLOAD_FOLDER"], stored)
    except FileNotFoundError:
        raise APIError(404, "not_found", "This file was erased.") from None
    return files.download_response(data, stored.original_name, stored.mimetype)


@endpoint(FILE_RULE, ("PUT",), summary="Upload (or replace) the file of a file answer", tag="questionnaires",
          response=FileAnswerSaved, request_model=FileUpload, request_media_type="multipart/form-data",
          statuses=(200, 201, 409, 413, 422))
def put_answer_file(round_id: int, country: str, question_id: str):
    user, session, response, question = _file_question(round_id, country, question_id, edit=True)
    upload = request.files.get("file")
    version = _version(request.form.get("version"))
    missing = {"version": NEEDS_VERSION} if version is None else {}
    if upload is None or not upload.filename:
        missing["file"] = NEEDS_FILE
    if missing:
        raise _invalid(missing)
    replaced = answer_files.current_file(session, response, question.id) is not None
    try:
        answer_files.prepare_change(session, response, version)
        value = answer_files.store_answer_file(session, current_app.config["UPLOAD_FOLDER"], question, upload.read(),
                                               upload.filename, default_mb=float(current_app.config["MAX_UPLOAD_MB"]),
                                               user=user, scan_confirmed=request.form.get("scan_confirmed", "")
                                               .strip().lower() in ("true", "1", "yes", "on"))
        answer_files.set_file_answer(session, response, question, value, user, expected_version=version,
                                     lang=user.language or "en")
        session.commit()
    except files.ScanNotConfirmed:
        session.rollback()
        raise APIError(422, "invalid_file", "The file was not accepted; nothing was saved.",
                       {"scan_confirmed": "This PDF has no text layer (a scan): the portal cannot read it for an EU "
                                          "classification marking. Send scan_confirmed=true to confirm it holds "
                                          "none."}) from None
    except files.UploadError as exc:
        session.rollback()
        raise APIError(422, "invalid_file", "The file was not accepted; nothing was saved.",
                       {"file": str(exc)}) from None
    except InvalidAnswers as exc:
        session.rollback()
        raise APIError(422, "invalid_answers", "The answer is not valid; nothing was saved.",
                       {"file": "; ".join(exc.errors.values())}) from None
    except (StaleVersion, Locked, StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise _conflict(exc) from None
    stored = session.get(files.StoredFile, value["file_id"])
    answer = response_service.answers_by_question(response)[question.id]
    out = FileAnswerSaved(**_file_out(response, question.id, stored), question_id=question.id,
                          revision=answer.revision, version=response.version)
    return jsonify(out.model_dump()), (200 if replaced else 201)


@endpoint(FILE_RULE, ("DELETE",), summary="Remove the file of a file answer", tag="questionnaires",
          response=ResponseOut, statuses=(409, 422),
          params=[{"name": "version", "in": "query", "required": True, "schema": {"type": "integer"},
                   "description": "The response's version as GET returned it."}])
def delete_answer_file(round_id: int, country: str, question_id: str):
    user, session, response, question = _file_question(round_id, country, question_id, edit=True)
    version = _version(request.args.get("version"))
    if version is None:
        raise _invalid({"version": NEEDS_VERSION})
    try:
        answer_files.prepare_change(session, response, version)
        if response_service.answer_values(response).get(question.id) is None:
            raise APIError(404, "not_found", "This question has no file to remove.")
        answer_files.set_file_answer(session, response, question, None, user, expected_version=version,
                                     lang=user.language or "en")
        session.commit()
    except (StaleVersion, Locked, StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise _conflict(exc) from None
    except APIError:
        session.rollback()
        raise
    return jsonify(_response_out(session, response))
