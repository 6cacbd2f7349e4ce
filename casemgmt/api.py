"""JSON API of case management: intake, case lists and cases, Art. 18 figures (a case's exchanges:
casemgmt.exchanges_api; its persons and objects: casemgmt.entities_api)."""

from __future__ import annotations

from flask import current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from casemgmt import search_api  # noqa: F401  (registers /cases/search)
from casemgmt.entities_api import entity_out
from casemgmt.models import Case, CaseStatus
from casemgmt.schemas import (
    EXAMPLE,
    Art18Figures,
    CaseDetail,
    CaseList,
    CaseSummary,
    ExchangeOut,
    IntakePayload,
    IntakeResponse,
    MessageOut,
    validate_intake,
)
from casemgmt.services import access_log as access
from casemgmt.services.deadlines import deadline_state
from casemgmt.services.dedupe import linked_cases
from casemgmt.services.folder import authorised_case, entities_of
from casemgmt.services.inbox import status_filter
from casemgmt.services.intake import Uploads, prepare_intake, register_incoming_message
from casemgmt.services.settings import load_settings
from casemgmt.services.statistics import art18_figures
from portal import policy
from portal.api import APIError, current_api_user, endpoint, json_body, nothing_done, query_int
from portal.audit import AuditAction
from portal.db import get_db, get_read_session, get_session, utcnow
from portal.enums import N_
from portal.i18n import translate

NOT_FOUND = APIError(404, "not_found", "There is no such case, or it is not yours to see.")


def uploads(unattended: bool = False) -> Uploads:
    """Where attachments go. `unattended`: the intake of a message sent by another system (nobody to ask
    whether a scanned PDF holds a classified marking): it is held for an officer (casemgmt.services.scans)."""
    return Uploads(current_app.config["UPLOAD_FOLDER"], int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024,
                   unattended=unattended)


@endpoint("/cases/intake", ("POST",), summary="Register an incoming message (new case, or attached to the known case)",
          tag="cases", request_model=IntakePayload, response=IntakeResponse, statuses=(201, 200, 404),
          example=EXAMPLE)
def cases_intake():
    """201 with the new registration number, or 200 with `duplicate_of` when the message belongs to a
    known case: the same (channel, external_reference), or a quoted reference of another channel.
    A channel other than SIENA needs `channel_reason` (Art. 13): third_country_or_international_organisation,
    urgency or technical_or_operational_incident, with `channel_reason_text`."""
    user = current_api_user()
    if not policy.can_register_cases(user):
        raise APIError(404, "not_found", "Case management is not available to this user.")
    payload, errors = validate_intake(json_body())
    if payload is None:
        raise APIError(422, "invalid", translate("Some fields are not valid; nothing was registered."),
                       {name: translate(message) for name, message in errors.items()})  # catalogue messages (N_)
    # settings, deadline, priority and the entities are worked out before the write transaction
    with nothing_done("Some fields are not valid; nothing was registered."):
        prepared = prepare_intake(get_read_session(), user.country_code, payload, user)
    session = get_session()
    for attempt in (1, 2):
        try:
            with nothing_done("Some fields are not valid; nothing was registered."):
                result = register_incoming_message(session, user.country_code, payload, user, uploads=uploads(unattended=True),
                                                   source="API", prepared=prepared if attempt == 1 else None)
                session.commit()
            break
        except IntegrityError:
            # a concurrent intake registered the same reference first: the retry finds its case
            session.rollback()
            if attempt == 2:
                raise
    body = IntakeResponse(registration_number=result.registration_number, case_id=result.case_id,
                          exchange=result.exchange, due_at=result.due_at, legal_framework=result.legal_framework,
                          duplicate_of=result.duplicate_of, attached_to=result.attached_to,
                          possible_duplicates=result.possible_duplicates)
    return jsonify(body.model_dump(mode="json")), 201 if result.created else 200


def _summary(case: Case) -> dict:
    return dict(registration_number=case.registration_number, case_id=case.id, status=case.status,
                subject=case.subject if policy.lists_show_subject(case) else "", channel=case.channel,
                counterpart_country=case.counterpart_country, urgent=case.urgent, priority=case.priority,
                received_at=case.received_at, due_at=case.due_at if case.legal_clock else None,
                merged_into=case.merged_into.registration_number if case.merged_into else None)


@endpoint("/cases", summary="The SPOC's cases, oldest first, in keyset pages", tag="cases", response=CaseList,
          statuses=(404, 422), params=[
              {"name": "status", "in": "query", "required": False, "description": "`action` (needs the SPOC's "
               "action), `waiting`, `answered`, `open` (any state before closed, not merged), `all` or a workflow "
               "state", "schema": {"type": "string", "enum": [
                   "open", "all", "action", "waiting", "answered", *[s.value for s in CaseStatus]]}},
              {"name": "after", "in": "query", "required": False, "description": "`next_after` of the previous page",
               "schema": {"type": "string"}},
              {"name": "limit", "in": "query", "required": False,
               "schema": {"type": "integer", "minimum": 1, "maximum": 200}}])
def cases_list():
    user = current_api_user()
    if not policy.can_use_cases(user):
        raise APIError(404, "not_found", "Case management is not available to this user.")
    status = request.args.get("status", "open")
    fields = {}
    if status != "all" and status_filter(status) is None:
        fields["status"] = "use action, waiting, answered, open, all or a workflow state"
    if fields:
        raise APIError(422, "invalid", "Some parameters are not valid.", fields)
    after = query_int("after", 0, 0, 2**31 - 1, "pass next_after of the previous page")
    limit = query_int("limit", 50, 1, 200, "a number from 1 to 200")
    q = policy.visible_cases(user)
    if status != "all":
        q = q.where(status_filter(status))
    if after:
        q = q.where(Case.id > after)
    rows = list(get_session().scalars(q.order_by(Case.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    body = CaseList(items=[CaseSummary(**_summary(c)) for c in rows],
                    next_after=str(rows[-1].id) if more and rows else None)
    return jsonify(body.model_dump(mode="json"))


def case_for(registration_number: str, *, handle: bool = False) -> Case:
    """The case with this number that the API's user may read (with `handle`: change); 404 otherwise.
    The pages load theirs through the same casemgmt.services.folder.authorised_case (views.load_case)."""
    case = authorised_case(get_session(), current_api_user(), registration_number, handle=handle)
    if case is None:
        raise NOT_FOUND
    return case


def closed_case_justification(case: Case) -> str:
    """`?justification=`: required (else 422) to read a closed case, as its page asks; "" for an open one."""
    justification = request.args.get("justification", "").strip()
    if not case.is_open and case.merged_into_id is None and not justification:
        raise APIError(422, "justification_required", "Say why you open a closed case.",
                       {"justification": "required to open a closed case"})
    return justification


@endpoint("/cases/<registration_number>", summary="One case (the consultation is logged)", tag="cases",
          response=CaseDetail, statuses=(404, 422), params=[
              {"name": "justification", "in": "query", "required": False,
               "description": "required to read a closed or archived case's personal data (without it: the "
                              "record and exchanges only, `personal_data_withheld`)", "schema": {"type": "string"}}])
def case_detail(registration_number: str):
    user = current_api_user()
    session = get_session()
    case = case_for(registration_number)
    # A closed case without a reason: its record and exchanges (state, outcome, deadlines: what the officer
    # needs to follow the work), but none of its personal data (subject, messages, entities), as the page's gate
    withheld = not case.is_open and case.merged_into_id is None and not request.args.get("justification", "").strip()
    justification = "" if withheld else closed_case_justification(case)
    now = utcnow()
    settings = load_settings(session, case.country_code)
    entities = [] if withheld else entities_of(session, case)
    summary = {**_summary(case), "subject": "" if withheld else case.subject}
    body = CaseDetail(
        **summary, direction=case.direction, request_type=case.request_type,
        urgency_ground=case.urgency_ground, information_access=case.information_access,
        deadline_state=deadline_state(case, now, settings), replied_at=case.replied_at,
        references=[] if withheld else [f"{r.channel}:{r.reference}" for r in case.references],
        messages=[] if withheld else [
            MessageOut(id=m.id, direction=m.direction, type=m.type, channel=m.channel, at=m.at,
                       external_reference=m.external_reference, subject=m.subject,
                       counterpart_country=m.counterpart_country) for m in case.messages],
        entities=[entity_out(e) for e in entities],
        linked_cases=[c.registration_number for c in linked_cases(session, case)],
        exchanges=[exchange_out(case, e) for e in case.exchanges], personal_data_withheld=withheld)
    with get_db().unit_of_work() as s:
        access.log(s, user, s.get(Case, case.id), AuditAction.CONSULTATION,
                   "closed case's record read through the API, personal data withheld (no justification)"
                   if withheld else "case read through the API", justification=justification)
    return jsonify(body.model_dump(mode="json"))


def exchange_out(case: Case, exchange) -> ExchangeOut:
    from casemgmt.services.frameworks import Counterpart

    counterpart = Counterpart(exchange.counterpart_kind, exchange.counterpart_country, exchange.counterpart_name)
    return ExchangeOut(
        id=f"{case.registration_number}/{exchange.number}", direction=exchange.direction, type=exchange.type,
        legal_framework=exchange.legal_framework, counterpart=counterpart.as_dict(), channel=exchange.channel,
        received_at=exchange.received_at, due_at=exchange.due_at, target_at=exchange.target_at,
        state=exchange.state, outcome=exchange.outcome, late=exchange.late,
        art5_2_deviation=exchange.art5_2_deviation, possible_duplicates=exchange.possible_duplicates or [])


@endpoint("/statistics/art18", summary="Art. 18 annual figures of the SPOC", tag="cases", response=Art18Figures,
          statuses=(404, 422), params=[{"name": "year", "in": "query", "required": True,
                                        "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}])
def statistics_art18():
    user = current_api_user()
    if not policy.can_use_cases(user):
        raise APIError(404, "not_found", "Case management is not available to this user.")
    if not request.args.get("year"):
        raise APIError(422, "invalid", "Give the year.", {"year": N_("a year such as 2026")})
    year = query_int("year", 0, 2000, 2100, "a year such as 2026")
    figures = art18_figures(get_session(), user.country_code, year)
    return jsonify(Art18Figures(**figures).model_dump(mode="json"))
