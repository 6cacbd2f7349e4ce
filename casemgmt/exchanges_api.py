"""JSON API of a case's folder of exchanges (issue 16): open a further exchange, send the SPOC's own
request (Art. 4), record a message, close an exchange, decide a suggested duplicate; each is held for a
supervisor's approval when the SPOC asks for four eyes (issue 17, point 5)."""

from __future__ import annotations

from flask import jsonify
from pydantic import ValidationError

from casemgmt.api import NOT_FOUND, case_for, exchange_out, uploads
from casemgmt.models import Case
from casemgmt.schemas import (
    ExchangeCloseIn,
    ExchangeMessageIn,
    ExchangeMessageOut,
    ExchangeOpenIn,
    ExchangeOut,
    RequestIn,
    SuggestionDecisionIn,
)
from casemgmt.services import CaseError
from casemgmt.services.outgoing import no_undecided_strong_hits
from portal.api import APIError, current_api_user, endpoint, json_body, nothing_done
from portal.db import get_session
from portal.enums import N_, say
from portal.i18n import translate
from portal.messages import plain_message


def _case_for_change(registration_number: str) -> Case:
    return case_for(registration_number, handle=True)



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
    data = json_body()  # too deep, or a NUL that cannot be stored: 422 naming it
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
                 f"Request to {body.counterpart.country}: {body.subject}\n\n{request_body(payload['content'], payload['language'])}")
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
        except UploadError as exc:
            raise CaseError(exc.message, f"attachments.{i}", **exc.params) from None
        except ValueError as exc:
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
