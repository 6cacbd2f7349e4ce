"""The intake form: a message typed or pasted in by an officer, checked by the API's model."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casemgmt.forms import IntakeForm, country_choices
from casemgmt.models import LegalFramework
from casemgmt.schemas import validate_intake
from casemgmt.services import CaseError
from casemgmt.services.intake import attach_file, register_incoming_message
from casemgmt.views import bp, require_cases, uploads
from portal import policy
from portal.db import get_session
from portal.errors import rule_message
from portal.files import UploadError

# payload field of an entity -> form field that shows its error
_PERSON_FIELDS = {"surname": "person_surname", "given_names": "person_given_names",
                  "date_of_birth": "person_date_of_birth", "nationality": "person_nationality",
                  "category": "person_category", "documents": "person_document"}


def _zone() -> ZoneInfo:
    try:
        return ZoneInfo(current_user.timezone or "Europe/Brussels")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _received_at(text: str) -> str:
    """Keep an explicit offset; otherwise read the time in the user's zone."""
    text = (text or "").strip()
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return text  # the model reports it
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone())
    return value.isoformat()


def payload_from_form(form: IntakeForm) -> tuple[dict, list[str]]:
    """The form as an intake payload, and for each entity the form field that shows its errors."""
    d = form.data
    refs = []
    for line in (d["external_references"] or "").splitlines():
        if line.strip():
            channel, _, ref = line.partition(":")
            refs.append({"channel": channel.strip().upper(), "reference": ref.strip()})
    payload = {
        "channel": d["channel"], "channel_reason": d["channel_reason"] or None,
        "channel_reason_text": d["channel_reason_text"] or "", "direction": d["direction"], "type": d["type"],
        "external_reference": d["external_reference"] or "", "external_references": refs,
        "received_at": _received_at(d["received_at"]), "urgent": bool(d["urgent"]),
        "urgency_ground": d["urgency_ground"] or None, "information_access": d["information_access"] or None,
        "counterpart_country": d["counterpart_country"] or None, "counterpart_type": d["counterpart_type"],
        "legal_framework": d["legal_framework"] or None,
        "language": (d["language"] or "").lower(), "subject": d["subject"] or "", "body": d["body"] or "",
        "crime_category": d["crime_category"] or "", "entities": []}
    owners: list[str] = []
    if (d["person_surname"] or "").strip():
        person = {"kind": "person", "surname": d["person_surname"], "given_names": d["person_given_names"] or "",
                  "date_of_birth": d["person_date_of_birth"] or None, "nationality": d["person_nationality"] or None,
                  "category": d["person_category"]}
        if (d["person_document"] or "").strip():
            parts = d["person_document"].split()
            doc = {"type": parts[0] if len(parts) > 1 else "", "number": parts[1] if len(parts) > 1 else parts[0]}
            if len(parts) > 2:
                doc["country"] = parts[2]
            person["documents"] = [doc]
        payload["entities"].append(person)
        owners.append("person")
    for line in (d["vehicles"] or "").splitlines():
        if line.strip():
            parts = [p.strip() for p in line.split(",")]
            payload["entities"].append({"kind": "vehicle", "plate": parts[0], "country": (parts + [""])[1] or None,
                                        "vin": (parts + ["", ""])[2]})
            owners.append("vehicles")
    for field, kind, key in (("phones", "phone", "number"), ("emails", "email", "address"),
                             ("ip_addresses", "ip_address", "address")):
        for line in (d.get(field) or "").splitlines():
            if line.strip():
                payload["entities"].append({"kind": kind, key: line.strip()})
                owners.append(field)
    for field, kind, keys, sep in (
            ("addresses", "address", ("street", "number", "postcode", "city", "country"), ";"),
            ("bank_accounts", "bank_account", ("iban", "bic"), ","),
            ("crypto_addresses", "crypto_address", ("address", "currency"), ","),
            ("handles", "handle", ("platform", "handle"), None)):
        for line in (d.get(field) or "").splitlines():
            if line.strip():
                parts = [p.strip() for p in (line.split(sep) if sep else line.strip().split(None, 1))]
                entity = {"kind": kind, **{k: v for k, v in zip(keys, parts, strict=False) if v}}
                if kind == "address":
                    entity["country"] = (entity.get("country") or "").upper() or None
                payload["entities"].append(entity)
                owners.append(field)
    return payload, owners


def _show_errors(form: IntakeForm, errors: dict[str, str], owners: list[str]) -> list[str]:
    """Put each error beside its field; what has no field is returned for the top of the form."""
    leftover = []
    for loc, message in errors.items():
        parts = loc.split(".")
        name = parts[0]
        if name == "entities" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(owners):
            owner = owners[int(parts[1])]
            sub = parts[2] if len(parts) > 2 else ""
            name = _PERSON_FIELDS.get(sub, "person_surname") if owner == "person" else owner
            message = f"{sub.replace('_', ' ')}: {message}" if sub and owner != "person" else message
        elif name == "external_references":
            name = "external_references"
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), message]
        else:
            leftover.append(f"{loc}: {message}")
    return leftover


@bp.route("/new", methods=["GET", "POST"])
@login_required
def intake():
    require_cases()
    policy.ensure(policy.can_register_cases(current_user))
    form = IntakeForm()
    form.counterpart_country.choices = country_choices()
    form.legal_framework.choices = [("", "By channel and counterpart (default)"), *LegalFramework.choices()]
    leftover: list[str] = []
    if form.is_submitted() and form.validate():
        payload_data, owners = payload_from_form(form)
        payload, errors = validate_intake(payload_data)
        if payload is not None:
            session = get_session()
            try:
                result = register_incoming_message(session, current_user.country_code, payload, current_user,
                                                   source="web form")
                if form.attachment.data:
                    attach_file(session, result.case, form.attachment.data.read(), form.attachment.data.filename,
                                current_user, uploads(), message=result.message,
                                scan_confirmed=bool(form.scan_confirmed.data))
            except (CaseError, UploadError) as exc:  # a refused file names "file" (the form's "attachment")
                session.rollback()                    # or "scan_confirmed"
                errors = {{"file": "attachment"}.get(exc.field, exc.field) or "attachment": rule_message(exc)}
            else:
                session.commit()
                case = result.case
                if result.created and result.possible_duplicates:
                    flash(_("Registered as %(number)s, with its own clock. It may be the same matter as %(others)s: see "
                            "the suggestion on its page.", number=case.registration_number,
                            others=", ".join(d["registration_number"] for d in result.possible_duplicates)), "warning")
                elif result.created:
                    flash(_("Registered as %(number)s.", number=case.registration_number), "success")
                else:
                    flash(_("This message belongs to %(number)s: it was added to that case.", number=case.registration_number),
                          "info")
                return redirect(url_for("casemgmt.case_page", number=case.registration_number))
        leftover = _show_errors(form, errors, owners)
    elif not form.is_submitted():
        form.received_at.data = dt.datetime.now(_zone()).strftime("%Y-%m-%dT%H:%M")
    status = 422 if form.is_submitted() else 200
    return render_template("casemgmt/intake.html", form=form, leftover=leftover,
                           zone=str(_zone())), status
