"""The folder's exchanges on the case page (issue 16, point 1): a message of any exchange, closing one
with its outcome, opening a further one. Each action one POST, one service call, one commit; the
rules are those of the API (casemgmt.services.exchanges)."""

from __future__ import annotations

import datetime as dt

from flask_login import current_user, login_required

from casemgmt.exchange_forms import ExchangeCloseForm, ExchangeMessageForm, NewExchangeForm, RequestForm
from casemgmt.services import CaseError
from casemgmt.services.exchange_folder import add_exchange
from casemgmt.services.exchanges import add_message, close_exchange, exchange_by_number
from casemgmt.services.outgoing import no_undecided_strong_hits
from casemgmt.views import bp, load_case
from casemgmt.views.actions import _run, held_for_approval
from casemgmt.views.intake import _zone
from portal.db import get_session


def _exchange(case, number: int):
    exchange = exchange_by_number(get_session(), case, number or 0)
    if exchange is None:
        raise CaseError("Choose an exchange of this case.", "exchange")
    return exchange


def _sent_at(text: str | None) -> dt.datetime | None:
    """Empty: now. A time without offset is read in the officer's time zone."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise CaseError("Give the date and time, e.g. 2026-12-05 14:30.", "sent_at") from None
    return value if value.tzinfo else value.replace(tzinfo=_zone())


@bp.route("/<number>/exchanges/messages", methods=["POST"])
@login_required
def exchange_message(number: str):
    case = load_case(number, handle=True)

    def work(s, f):
        exchange = _exchange(case, f.exchange.data)
        sent_at = _sent_at(f.sent_at.data)
        payload = dict(type_=f.type.data, body=f.body.data or "", channel=f.channel.data or None,
                       channel_reason=f.channel_reason.data or None, refusal_grounds=f.refusal_grounds.data or [],
                       partial=f.partial.data, expected_delay_hours=f.expected_delay_hours.data,
                       handling_code=f.handling_code.data or None, handling_text=f.handling_text.data or "",
                       justification=f.justification.data or "")
        held = held_for_approval(s, case, "exchange_message", {
            "exchange": exchange.number, **payload, "sent_at": sent_at.isoformat() if sent_at else None},
            f"{f.type.data.replace('_', ' ').capitalize()} in {case.registration_number}/{exchange.number}"
            f"{' (' + payload['handling_code'] + ')' if payload['handling_code'] else ''}:\n{payload['body']}",
            exchange.number)
        if held:
            return held
        add_message(s, case, exchange, current_user, sent_at=sent_at, **payload)
        if f.type.data in ("reply", "refusal") and exchange.direction == "in":
            # Art. 16(1)(d): nothing leaves while strong cross-check hits are undecided
            no_undecided_strong_hits(s, case)
        return None

    return _run(case, ExchangeMessageForm(prefix="xm"), "exchange_message", work, "Message recorded.")


@bp.route("/<number>/exchanges/close", methods=["POST"])
@login_required
def exchange_close(number: str):
    case = load_case(number, handle=True)
    return _run(case, ExchangeCloseForm(prefix="xc"), "exchange_close", lambda s, f: close_exchange(
        s, case, _exchange(case, f.exchange.data), current_user, f.outcome.data or None, note=f.note.data or ""),
        "Exchange closed.")


@bp.route("/<number>/exchanges", methods=["POST"])
@login_required
def exchange_open(number: str):
    case = load_case(number, handle=True)

    def work(s, f):
        counterpart = {"kind": f.counterpart_kind.data, "country": f.counterpart_country.data or None,
                       "name": (f.counterpart_name.data or "").strip()}
        try:
            add_exchange(s, case, current_user, direction=f.direction.data, type_=f.type.data,
                         channel=f.channel.data, counterpart=counterpart, subject=f.subject.data,
                         body=f.body.data or "", legal_framework=f.legal_framework.data or None,
                         urgent=f.urgent.data, urgency_ground=f.urgency_ground.data or None,
                         information_access=f.information_access.data or None,
                         channel_reason=f.channel_reason.data or None, language=(f.language.data or "").lower())
        except CaseError as exc:  # the service names the API's fields: counterpart.country -> counterpart_country
            exc.field = (exc.field or "").replace("counterpart.", "counterpart_") or None
            raise

    return _run(case, NewExchangeForm(prefix="xn"), "exchange_open", work, "Exchange opened.")


def exchange_forms(case, bound: dict, rows: list[dict]) -> dict:
    """The three forms of the folder's exchanges, with the case's exchanges (exchange_rows) as choices."""
    from casemgmt.forms import country_choices

    open_rows = [(r["exchange"].number, r["reference"]) for r in rows if r["exchange"].is_open]
    message = bound.get("exchange_message") or _picked_template(case) or ExchangeMessageForm(prefix="xm")
    close = bound.get("exchange_close") or ExchangeCloseForm(prefix="xc")
    new = bound.get("exchange_open") or NewExchangeForm(prefix="xn")
    message.exchange.choices = close.exchange.choices = open_rows
    new.counterpart_country.choices = country_choices()
    request = bound.get("request") or RequestForm(prefix="rq", language="en")
    request.counterpart_country.choices = [("", "—"), *member_state_choices(case.country_code)]
    return {"exchange_message": message, "exchange_close": close, "exchange_open": new, "request": request}


def _picked_template(case):
    """?template=ID&exchange=N on the case page: the message form filled from the SPOC's template."""
    from flask import request

    from casemgmt.views.templates import filled_message_form

    template, number = request.args.get("template", ""), request.args.get("exchange", "")
    if not (template.isdigit() and number.isdigit() and len(template) < 10 and len(number) < 7):
        return None
    return filled_message_form(case, int(template), int(number))


def member_state_choices(own: str) -> list[tuple[str, str]]:
    """The other Member States of the network, by name in the reader's language."""
    from portal.directory.reference import COUNTRY_CODES, country_names

    return country_names([c for c in COUNTRY_CODES if c != own])


@bp.route("/<number>/requests", methods=["POST"])
@login_required
def request_send(number: str):
    """The SPOC's own request to another Member State's SPOC, in this folder (Art. 4)."""
    from casemgmt.services.requests import CONTENT_KEYS, request_body, send_request

    case = load_case(number, handle=True)

    def work(s, f):
        payload = dict(counterpart={"kind": "member_state", "country": f.counterpart_country.data or None},
                       channel=f.channel.data, channel_reason=f.channel_reason.data or None,
                       urgent=f.urgent.data, urgency_ground=f.urgency_ground.data or None,
                       information_access=f.information_access.data or None,
                       language=(f.language.data or "").lower(), subject=f.subject.data,
                       content={key: getattr(f, key).data or "" for key in CONTENT_KEYS},
                       europol_copy={"yes": True, "no": False}.get(f.europol_copy.data),
                       europol_reason=f.europol_reason.data or "")
        try:
            held = held_for_approval(s, case, "request", payload, f"Request to {payload['counterpart']['country']}: "
                                     f"{payload['subject']}\n\n{request_body(payload['content'], payload['language'])}")
            if held:
                return held
            send_request(s, case, current_user, **payload)
        except CaseError as exc:  # the service names the API's fields: content.purpose -> purpose
            exc.field = {"counterpart.country": "counterpart_country"}.get(
                exc.field or "", (exc.field or "").removeprefix("content.")) or None
            raise
        return None

    return _run(case, RequestForm(prefix="rq"), "request", work,
                "Request sent; it waits for the partner's answer.")
