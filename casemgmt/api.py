"""JSON API of case management: intake, case lists and cases, Art. 18 figures."""

from __future__ import annotations

from flask import current_app, jsonify, request
from pydantic import ValidationError
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
    ExchangeCloseIn,
    ExchangeMessageIn,
    ExchangeMessageOut,
    ExchangeOpenIn,
    ExchangeOut,
    IntakePayload,
    IntakeResponse,
    MessageOut,
    RequestIn,
    SuggestionDecisionIn,
    validate_intake,
)
from casemgmt.services import CaseError
from casemgmt.services import access_log as access
from casemgmt.services.deadlines import deadline_state
from casemgmt.services.dedupe import linked_cases
from casemgmt.services.folder import authorised_case, entities_of
from casemgmt.services.inbox import status_filter
from casemgmt.services.intake import Uploads, prepare_intake, register_incoming_message
from casemgmt.services.outgoing import no_undecided_strong_hits
from casemgmt.services.settings import load_settings
from casemgmt.services.statistics import art18_figures
from portal import policy
from portal.api import APIError, current_api_user, endpoint, json_body, nothing_done, query_int
from portal.audit import AuditAction
from portal.db import get_db, get_read_session, get_session, utcnow
from portal.enums import N_, say
from portal.i18n import translate
from portal.messages import plain_message

NOT_FOUND = APIError(404, "not_found", "There is no such case, or it is not yours to see.")


def uploads() -> Uploads:
    return Uploads(current_app.config["UPLOAD_FOLDER"], int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024)


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
                result = register_incoming_message(session, user.country_code, payload, user, uploads=uploads(),
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


def _case_for_change(registration_number: str) -> Case:
    return case_for(registration_number, handle=True)


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


def _exchange_for_change(registration_number: str, n: str):
    """The case (to be handled by this user) and its exchange number `n`; 404 otherwise."""
    from casemgmt.services.exchanges import exchange_by_number

    if not n.isdigit() or len(n) > 6:
        raise NOT_FOUND
    case = _case_for_change(registration_number)
    user, session = current_api_user(), get_session()
    exchange = exchange_by_number(session, case, int(n))
    if exchange is None:
        raise NOT_FOUND
    return user, session, case, exchange


def _body(model):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise APIError(422, "invalid", "The body must be a JSON object.", {"body": N_("a JSON object")})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise APIError(422, "invalid", "Some fields are not valid; nothing was recorded.",
                       {".".join(str(p) for p in e["loc"]) or "body": translate(plain_message(e)) for e in exc.errors()}) from None


@endpoint("/cases/<registration_number>/exchanges", ("POST",),
          summary="Open a further exchange in a case's folder (own request, copy, own-initiative information)",
          tag="cases", request_model=ExchangeOpenIn, response=ExchangeOut, statuses=(201, 404, 422),
          example={"direction": "out", "type": "request", "counterpart": {"kind": "member_state", "country": "FR"},
                   "channel": "SIENA", "subject": "Vehicle registered in France?"})
def exchange_open(registration_number: str):
    """The exchange gets the next number of the folder (`CC-YYYY-NNNNNN/n`), its legal framework
    (defaulted by channel and counterpart as at intake) and its clock: an outgoing request carries
    the partner's Art. 5(1) deadline, so the officer sees when to chase."""
    from casemgmt.services.exchange_folder import add_exchange

    case = _case_for_change(registration_number)
    user, session = current_api_user(), get_session()
    body = _body(ExchangeOpenIn)
    with nothing_done("No exchange was opened."):
        exchange = add_exchange(
            session, case, user, direction=body.direction.value, type_=body.type,
            counterpart=body.counterpart.model_dump(mode="json"), channel=body.channel.value,
            channel_reason=body.channel_reason.value if body.channel_reason else None,
            legal_framework=body.legal_framework.value if body.legal_framework else None, urgent=body.urgent,
            urgency_ground=body.urgency_ground.value if body.urgency_ground else None,
            information_access=body.information_access.value if body.information_access else None,
            language=body.language, subject=body.subject, body=body.body, sent_at=body.sent_at)
        session.commit()
    return jsonify(exchange_out(case, exchange).model_dump(mode="json")), 201


@endpoint("/cases/<registration_number>/requests", ("POST",),
          summary="Send the SPOC's own request to another Member State's SPOC (Art. 4), in a case's folder",
          tag="cases", request_model=RequestIn, response=ExchangeOut, statuses=(201, 202, 404, 422),
          example={"counterpart": {"kind": "member_state", "country": "FR"}, "channel": "SIENA", "language": "en",
                   "subject": "Registered keeper of FR-AB-123-CD",
                   "content": {"information_sought": "Registered keeper and address", "purpose": "Theft investigation",
                               "objective_reasons": "The car is registered in France",
                               "connection": "The keeper may have lent the car to the suspect",
                               "restrictions": "none"},
                   "europol_copy": False, "europol_reason": "Not within Europol's objectives"})
def request_send(registration_number: str):
    """Art. 4(5): `content` states the information sought, the purpose, the objective reasons, the
    connection between purpose and person, the reasons for urgency (when `urgent`) and restrictions on
    use; `language` is on the requested State's Art. 11 list; `europol_copy` and `europol_reason`
    record the Art. 12 decision. A missing item is a 422 naming it (`content.purpose`)."""
    from casemgmt.services.requests import request_body, send_request

    case = _case_for_change(registration_number)
    user, session = current_api_user(), get_session()
    body = _body(RequestIn)
    payload = dict(counterpart=body.counterpart.model_dump(mode="json"), channel=body.channel.value,
                   channel_reason=body.channel_reason.value if body.channel_reason else None, urgent=body.urgent,
                   urgency_ground=body.urgency_ground.value if body.urgency_ground else None,
                   information_access=body.information_access.value if body.information_access else None,
                   language=body.language, subject=body.subject, content=body.content.model_dump(),
                   europol_copy=body.europol_copy, europol_reason=body.europol_reason)
    held = _held(session, case, user, "request", {**payload, "sent_at": body.sent_at.isoformat() if body.sent_at
                                                 else None},
                 f"Request to {body.counterpart.country}: {body.subject}\n\n{request_body(payload['content'])}")
    if held is not None:
        return held
    with nothing_done("The request was not sent."):
        exchange = send_request(session, case, user, **payload, sent_at=body.sent_at)
        session.commit()
    return jsonify(exchange_out(case, exchange).model_dump(mode="json")), 201


@endpoint("/cases/<registration_number>/exchanges/<n>/messages", ("POST",),
          summary="Record a message of an exchange (reply, refusal, delay notice, clarification, update, reminder)",
          tag="cases", request_model=ExchangeMessageIn, response=ExchangeMessageOut, statuses=(201, 202, 404, 422),
          example={"type": "reply", "body": "Nothing known.", "channel": "SIENA", "handling_code": "H0"})
def exchange_message(registration_number: str, n: str):
    """`<n>` is the exchange's number within the case (the part after the slash). `sent_at` defaults to
    now; a past time records what was sent outside the portal; the future is refused. A refusal needs
    `refusal_grounds` (Art. 6(1) a-h), a delay notice `expected_delay_hours` and its reasons in `body`
    (Art. 5(2)); a channel other than SIENA under 2023/977 needs `channel_reason` (Art. 13)."""
    from casemgmt.services.exchanges import add_message

    user, session, case, exchange = _exchange_for_change(registration_number, n)
    body = _body(ExchangeMessageIn)
    held = _held(session, case, user, "exchange_message", {
        "exchange": exchange.number, "type_": body.type, "body": body.body,
        "channel": body.channel.value if body.channel else None,
        "channel_reason": body.channel_reason.value if body.channel_reason else None,
        "channel_reason_text": body.channel_reason_text, "refusal_grounds": body.refusal_grounds,
        "partial": body.partial, "expected_delay_hours": body.expected_delay_hours,
        "handling_code": body.handling_code, "handling_text": body.handling_text, "source_code": body.source_code,
        "information_code": body.information_code, "language": body.language,
        "sent_at": body.sent_at.isoformat() if body.sent_at else None, "justification": body.justification},
        f"{body.type.replace('_', ' ').capitalize()} in {case.registration_number}/{exchange.number}:\n{body.body}",
        exchange.number, attachments=bool(body.attachments))
    if held is not None:
        return held
    with nothing_done("Nothing was recorded."):
        message = add_message(
            session, case, exchange, user, type_=body.type, body=body.body,
            channel=body.channel.value if body.channel else None,
            channel_reason=body.channel_reason.value if body.channel_reason else None,
            channel_reason_text=body.channel_reason_text, refusal_grounds=body.refusal_grounds, partial=body.partial,
            expected_delay_hours=body.expected_delay_hours, handling_code=body.handling_code,
            handling_text=body.handling_text, source_code=body.source_code, information_code=body.information_code,
            language=body.language, sent_at=body.sent_at, justification=body.justification)
        if body.type in ("reply", "refusal") and exchange.direction == "in":
            no_undecided_strong_hits(session, case)
        _attach(session, case, message, user, body.attachments)
        session.commit()
    return jsonify(ExchangeMessageOut(id=message.id, exchange=exchange_out(case, exchange)).model_dump(mode="json")), 201


def _held(session, case: Case, user, action: str, payload: dict, summary: str, exchange_number: int | None = None,
          *, attachments: bool = False):
    """Four-eyes (issue 17, point 5): 202 with the approval waiting, when the SPOC wants a supervisor to
    approve this before it leaves; None to carry it out now."""
    from casemgmt.services import approvals

    kind = approvals.needs_approval(session, case, user, action, payload)
    if kind is None:
        return None
    if attachments:
        raise APIError(422, "invalid", "Nothing was recorded.", {"attachments": N_(
            "A draft waiting for a supervisor's approval carries no attachments: send it without them and add "
            "them to the case's folder.")})
    with nothing_done("Nothing was recorded.", rename={"type_": "type"}):
        approval = approvals.submit(session, case, user, kind=kind, action=action, payload=payload, summary=summary,
                                    exchange_number=exchange_number)
        session.commit()
    return jsonify({"approval": approval.id, "state": "pending", "kind": kind,
                    "detail": say("%(what)s need a supervisor's approval; nothing was sent yet.",
                                  what=translate(approvals.FOUR_EYES[kind]))}), 202


def _attach(session, case: Case, message, user, attachments) -> None:
    """A message's own attachments (checked as at intake: size limit, type sniffed from the content)."""
    from casemgmt.services import scans
    from casemgmt.services.intake import attach_file
    from portal.files import ScanNotConfirmed, UploadError

    for i, att in enumerate(attachments):
        try:
            attach_file(session, case, att.content(), att.filename, user, uploads(), message=message,
                        scan_confirmed=att.scan_confirmed)
        except ScanNotConfirmed:
            raise CaseError(scans.API_NOTE, f"attachments.{i}.scan_confirmed") from None
        except (UploadError, ValueError) as exc:
            raise CaseError(str(exc), f"attachments.{i}") from None


@endpoint("/cases/<registration_number>/exchanges/<n>/close", ("POST",),
          summary="Close an exchange with its outcome (the case closes with its last open exchange)", tag="cases",
          request_model=ExchangeCloseIn, response=ExchangeOut, statuses=(404, 422),
          example={"outcome": "information_provided"})
def exchange_close(registration_number: str, n: str):
    """`outcome`: information_provided, partly_refused, refused, no_information, withdrawn,
    information_only (copies and own-initiative information) or transferred; required (422 naming it)."""
    from casemgmt.services.exchanges import close_exchange

    user, session, case, exchange = _exchange_for_change(registration_number, n)
    body = _body(ExchangeCloseIn)
    with nothing_done("The exchange was not closed.", field="outcome"):
        close_exchange(session, case, exchange, user, body.outcome, note=body.note)
        session.commit()
    return jsonify(exchange_out(case, exchange).model_dump(mode="json"))


@endpoint("/cases/<registration_number>/exchanges/<n>/suggestions", ("POST",),
          summary="Confirm or dismiss a possible duplicate suggested at intake", tag="cases",
          request_model=SuggestionDecisionIn, response=ExchangeOut, statuses=(404, 422),
          example={"of": "BE-2026-000042", "decision": "dismiss", "link": True})
def exchange_suggestion(registration_number: str, n: str):
    """`confirm`: the same request received twice (this case is merged into the suggested one, whose
    exchange is timed from the earlier receipt); `dismiss`: not the same (with `link`, the cases are linked)."""
    from casemgmt.services.exchange_folder import decide_suggestion

    user, session, case, exchange = _exchange_for_change(registration_number, n)
    body = _body(SuggestionDecisionIn)
    with nothing_done("Nothing was changed.", field="of"):
        decide_suggestion(session, case, exchange, user, of=body.of, decision=body.decision, link=body.link,
                          justification=body.justification)
        session.commit()
    return jsonify(exchange_out(case, exchange).model_dump(mode="json"))


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
