"""Message templates of a SPOC (issue 17, point 2): acknowledgement, clarification request, delay
notice, refusal per Art. 6(1) ground, reply cover, chaser; kept by supervisors, in the languages the
SPOC uses, with placeholders such as {registration_number} or {deadline}.

A placeholder is a name in braces, nothing more: a template naming an unknown one, or using format
specifications or attribute access (`{deadline:%Y}`, `{case.id}`), is refused with its name when
saved. Filling inserts plain text (the page escapes it, like any text); the officer edits the result
before the message is recorded.
"""

from __future__ import annotations

import datetime as dt
import string
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Case, Exchange, Message, MessageTemplate, RefusalGround
from casemgmt.services import CaseError
from portal.audit import AuditAction, record
from portal.enums import N_

# kind -> (label, the message type the officer records with it)
KINDS = {  # labels translated where they are shown (the templates page, the case log: casemgmt/log_text.py)
    "acknowledgement": (N_("Acknowledgement of receipt"), "acknowledgement"),
    "clarification_request": (N_("Request for clarification (Art. 6(3))"), "clarification_request"),
    "delay_notice": (N_("Delay notice (Art. 5(2))"), "delay_notice"),
    "refusal": (N_("Refusal (Art. 6(1), per ground)"), "refusal"),
    "reply_cover": (N_("Reply cover"), "reply"),
    "chaser": (N_("Chaser to a partner"), "reminder"),
}
PLACEHOLDERS = {  # what each stands for, translated where the templates page shows it
    "registration_number": N_("the case's registration number"),
    "exchange": N_("the exchange's number (CC-YYYY-NNNNNN/n)"),
    "received_at": N_("when the request was received (or sent)"),
    "deadline": N_("the Art. 5(1) deadline (the partner's, for our own request)"),
    "counterpart": N_("the partner (country, agency or authority)"),
    "their_reference": N_("the partner's reference of the request"),
    "subject": N_("the request's subject"),
    "grounds": N_("the refusal's Art. 6(1) ground"),
    "spoc": N_("our SPOC's name"),
    "officer": N_("the officer's name"),
    "today": N_("today's date"),
}


def placeholders_of(text: str) -> list[str]:
    """The placeholders a template uses; CaseError naming the first one not allowed."""
    names = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise CaseError("A brace is not closed: write placeholders as {registration_number}, and a brace "
                        "itself as {{ or }}.", "text") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise CaseError("Unknown placeholder %(shown)s: use one of %(placeholders)s.", "text", shown=shown,
                            placeholders=", ".join("{" + p + "}" for p in PLACEHOLDERS))
        names.append(name)
    return names


def save_template(session: Session, actor, country_code: str, *, kind: str, language: str, title: str, text: str,
                  ground: str | None = None, template_id: int | None = None) -> MessageTemplate:
    """Add a template, or change one of the SPOC's (`template_id`)."""
    if kind not in KINDS:
        raise CaseError("Choose what the template is for.", "kind")
    language = (language or "").strip().lower()
    if len(language) != 2 or not language.isalpha():
        raise CaseError("Give the language as two letters, e.g. en, fr, de.", "language")
    if kind == "refusal":
        if ground not in {g.value for g in RefusalGround}:
            raise CaseError("A refusal template is for one ground of Art. 6(1): choose it.", "ground")
    else:
        ground = None
    title = " ".join((title or "").split())
    if not title:
        raise CaseError("Give the template a title.", "title")
    text = (text or "").strip()
    if not text:
        raise CaseError("Write the template's text.", "text")
    placeholders_of(text)
    template = None
    if template_id is not None:
        template = session.get(MessageTemplate, template_id)
        if template is None or template.country_code != country_code:
            raise CaseError("There is no such template in your SPOC.", "title")
    duplicate = session.scalar(select(MessageTemplate.id).where(
        MessageTemplate.country_code == country_code, MessageTemplate.kind == kind,
        MessageTemplate.language == language, MessageTemplate.title == title))
    if duplicate is not None and duplicate != template_id:
        raise CaseError("Your SPOC has a template of this kind with this title in this language.", "title")
    if template is None:
        template = MessageTemplate(country_code=country_code)
        session.add(template)
    template.kind, template.ground, template.language, template.title, template.text = kind, ground, language, \
        title, text
    template.updated_by_id = getattr(actor, "id", None)
    session.flush()
    record(session, actor=actor, area="casemgmt", action=AuditAction.ADMIN, object_type="message_template",
           object_id=str(template.id), country_code=country_code,
           details={"what": f"message template saved: {KINDS[kind][0]}, {language}, {title}"})
    return template


def delete_template(session: Session, actor, country_code: str, template_id: int) -> None:
    template = session.get(MessageTemplate, template_id)
    if template is None or template.country_code != country_code:
        raise CaseError("There is no such template in your SPOC.", "title")
    session.delete(template)
    record(session, actor=actor, area="casemgmt", action=AuditAction.ADMIN, object_type="message_template",
           object_id=str(template_id), country_code=country_code,
           details={"what": f"message template deleted: {template.title}"})


def templates_of(session: Session, country_code: str) -> list[MessageTemplate]:
    return list(session.scalars(select(MessageTemplate).where(MessageTemplate.country_code == country_code)
                                .order_by(MessageTemplate.kind, MessageTemplate.ground, MessageTemplate.language,
                                          MessageTemplate.title)))


def template_of(session: Session, country_code: str, template_id: int) -> MessageTemplate | None:
    template = session.get(MessageTemplate, template_id)
    return template if template is not None and template.country_code == country_code else None


def _local(value: dt.datetime | None, zone: ZoneInfo, fmt: str = "%d %b %Y %H:%M %Z") -> str:
    return value.astimezone(zone).strftime(fmt) if value is not None else ""


def values_for(session: Session, case: Case, exchange: Exchange, actor, template: MessageTemplate,
               zone: ZoneInfo, now: dt.datetime) -> dict[str, str]:
    """The placeholders' values for this exchange, as plain text in the officer's time zone."""
    from casemgmt.services.frameworks import Counterpart
    from portal.directory.models import Spoc

    first = session.scalar(select(Message).where(Message.exchange_id == exchange.id).order_by(Message.at, Message.id))
    spoc = session.get(Spoc, case.country_code)
    counterpart = Counterpart(exchange.counterpart_kind, exchange.counterpart_country, exchange.counterpart_name)
    return {
        "registration_number": case.registration_number, "exchange": f"{case.registration_number}/{exchange.number}",
        "received_at": _local(exchange.received_at, zone), "deadline": _local(exchange.due_at, zone),
        "counterpart": counterpart.label, "their_reference": (first.external_reference or "") if first else "",
        "subject": case.subject, "grounds": RefusalGround(template.ground).label if template.ground else "",
        "spoc": spoc.name if spoc else case.country_code,
        "officer": getattr(actor, "name", "") or getattr(actor, "email", ""),
        "today": _local(now, zone, "%d %b %Y"),
    }


def fill(session: Session, case: Case, exchange: Exchange, actor, template: MessageTemplate, *, zone: ZoneInfo,
         now: dt.datetime) -> tuple[str, str]:
    """(message type, the text with its placeholders filled) for the officer to edit and record."""
    placeholders_of(template.text)  # saved before the rule, or changed behind our back: never format blindly
    values = values_for(session, case, exchange, actor, template, zone, now)
    return KINDS[template.kind][1], template.text.format_map(values)


__all__ = ["KINDS", "PLACEHOLDERS", "delete_template", "fill", "placeholders_of", "save_template",
           "template_of", "templates_of"]
