"""The SPOC's own requests to another Member State's SPOC (issue 17, point 1), Directive (EU) 2023/977.

- Art. 4(5): a request states at least the information sought, the purpose, the objective reasons
  to believe the information is available to the requested Member State, the connection between
  the purpose and the person concerned, the reasons for urgency when urgent, and any restrictions
  on the use of the information.
- Arts 4(6) and 11: it is written in a language on the requested Member State's list (every list
  includes English); the lists are the SPOC records of the directory ("Languages accepted").
- Art. 12: the SPOC decides case by case whether Europol gets a copy; the decision and its reason
  are recorded with the request.
- Art. 13: SIENA, or another channel with its reason (checked by `exchanges.add_exchange`).
Sent, the request waits on the partner's answer with the partner's Art. 5(1) deadline; overdue, it
is listed to chase, and a chaser is a `reminder` message of the exchange.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from casemgmt.models import Case, Exchange
from casemgmt.services import CaseError
from casemgmt.services.access_log import log
from casemgmt.services.counts import keeps_counts
from portal.audit import AuditAction
from portal.enums import N_, say_in, translated

# Art. 4(5) (a)-(f), in the order of the Directive, with what the officer is asked for when it is missing
CONTENT = (
    ("information_sought", N_("Art. 4(5): state the information sought.")),
    ("purpose", N_("Art. 4(5): state the purpose for which it is sought.")),
    ("objective_reasons", N_("Art. 4(5): state the objective reasons to believe that the requested Member State "
                             "has it.")),
    ("connection", N_("Art. 4(5): state the connection between the purpose and the person the information "
                      "relates to.")),
    ("urgency_reasons", N_("Art. 4(5): state the reasons why the request is urgent.")),
    ("restrictions", N_("Art. 4(5): state restrictions on the use of the information (or 'none').")),
)
CONTENT_KEYS = tuple(key for key, _ in CONTENT)


def accepted_languages(session: Session, country: str | None) -> list[str]:
    """The requested Member State's Art. 11 list (its SPOC record's languages); English always."""
    from portal.directory.models import Spoc

    listed = session.scalar(select(Spoc.languages).where(Spoc.country_code == (country or ""))) or ""
    languages = [x.strip().lower() for x in listed.split(",") if x.strip()]
    return languages if "en" in languages else ["en", *languages]


def check_content(content: dict, *, urgent: bool) -> dict:
    """The Art. 4(5) items, each required (the reasons for urgency only when urgent); the first missing
    one is refused with its field (`content.<key>`)."""
    unknown = set(content) - set(CONTENT_KEYS)
    if unknown:
        raise CaseError("Not an item of Art. 4(5): %(items)s.", f"content.{sorted(unknown)[0]}",
                        items=", ".join(sorted(unknown)))
    clean = {key: " ".join(str(content.get(key) or "").split()) if key != "information_sought"
             else str(content.get(key) or "").strip() for key in CONTENT_KEYS}
    for key, what in CONTENT:
        if key == "urgency_reasons" and not urgent:
            clean[key] = ""
            continue
        if not clean[key]:
            raise CaseError(what, f"content.{key}")
        if len(clean[key]) > 5000:
            raise CaseError("At most 5,000 characters.", f"content.{key}")
    return clean


# the headings of the request's text, in the language of the exchange (English where the portal has no catalogue)
HEADINGS = {"information_sought": N_("Information sought"), "purpose": N_("Purpose"),
            "objective_reasons": N_("Objective reasons"), "connection": N_("Connection between purpose and person"),
            "urgency_reasons": N_("Reasons for urgency"), "restrictions": N_("Restrictions on use")}


def request_body(content: dict, language: str = "en") -> str:
    """The request's text as it leaves: each Art. 4(5) item under its heading, the headings in the language chosen
    for the exchange (Arts 4(6) and 11: one the requested State accepts), not the sender's page's."""
    return "\n\n".join(f"{say_in(language, HEADINGS[key])}:\n{content[key]}" for key in CONTENT_KEYS
                        if content.get(key))


@keeps_counts
def send_request(session: Session, case: Case, actor, *, counterpart: dict, channel: str, subject: str,
                 content: dict, language: str, europol_copy: bool | None, europol_reason: str = "",
                 channel_reason: str | None = None, legal_framework: str | None = None, urgent: bool = False,
                 urgency_ground: str | None = None, information_access: str | None = None,
                 sent_at: dt.datetime | None = None, now: dt.datetime | None = None) -> Exchange:
    """A request of the SPOC to another Member State's SPOC, in the case's folder: a new exchange whose
    first message is the request with its Art. 4(5) content."""
    from casemgmt.services.exchange_folder import add_exchange

    if (counterpart or {}).get("kind") != "member_state":
        raise CaseError("A request under Art. 4 goes to another Member State's SPOC; for an agency or a third "
                        "country open an exchange instead.", "counterpart.kind")
    clean = check_content(content or {}, urgent=urgent)
    if urgent and not urgency_ground:
        raise CaseError("Art. 4(4): choose the ground that makes the request urgent.", "urgency_ground")
    country = (counterpart.get("country") or "").strip().upper()
    language = (language or "").strip().lower()
    accepted = accepted_languages(session, country)
    if language not in accepted:
        from portal.directory.reference import language_label

        raise CaseError("Arts 4(6) and 11: %(country)s accepts requests in %(languages)s.", "language",
                        country=country or translated(N_("the requested Member State")),
                        languages=language_label(", ".join(accepted)))
    if europol_copy is None:
        raise CaseError("Art. 12: decide whether Europol gets a copy.", "europol_copy")
    europol_reason = " ".join((europol_reason or "").split())
    if not europol_reason:
        raise CaseError("Art. 12: give the reason for the decision on a copy to Europol (e.g. whether the "
                        "offence falls within Europol's objectives).", "europol_reason")
    exchange = add_exchange(session, case, actor, direction="out", type_="request", channel=channel,
                            counterpart={**counterpart, "country": country}, subject=subject,
                            body=request_body(clean, language), sent_at=sent_at, legal_framework=legal_framework,
                            urgent=urgent, urgency_ground=urgency_ground, information_access=information_access,
                            channel_reason=channel_reason, language=language, now=now, art4_checked=True)
    if exchange.legal_framework != "2023/977":
        raise CaseError("A request with Art. 4(5) content is an exchange under Directive (EU) 2023/977.",
                        "legal_framework")
    exchange.request_content = clean
    exchange.europol_copy, exchange.europol_copy_reason = bool(europol_copy), europol_reason[:2000]
    if europol_copy:
        log(session, actor, case, AuditAction.DISCLOSURE,
            f"copy of request {case.registration_number}/{exchange.number} to Europol (Art. 12)",
            justification=europol_reason, exchange=exchange.number, channel="SIENA")
    session.flush()
    return exchange


_CHASE = (select(Case.registration_number, Exchange.number, Exchange.counterpart_country, Exchange.counterpart_name,
                 Exchange.due_at, func.count().over())
          .join(Case, Case.id == Exchange.case_id)
          .where(Exchange.country_code == bindparam("cc"), Exchange.waiting_on_partner,
                 Exchange.due_at < bindparam("now"))
          .order_by(Exchange.due_at, Exchange.id).limit(bindparam("limit")))


def to_chase(session: Session, country_code: str, now: dt.datetime, limit: int = 20) -> tuple[int, list[dict]]:
    """The SPOC's requests whose partner's deadline has passed without an answer, oldest deadline first
    (read off the partial index ix_case_exchanges_chase): how many, and the first `limit`. One
    statement, built once (the inbox runs it on every load), each row carrying the total."""
    from casemgmt.services.frameworks import country_name

    rows = session.execute(_CHASE, {"cc": country_code, "now": now, "limit": limit}).all()
    count = rows[0][5] if rows else 0
    return count, [{"registration_number": r[0], "exchange": f"{r[0]}/{r[1]}",
                    "counterpart": country_name(r[2]) if r[2] else r[3],
                    "due_at": r[4]} for r in rows]


def designated_copy(exchange: Exchange) -> bool:
    """A designated law-enforcement authority's request copied to the SPOC (Art. 4(1))."""
    return exchange.type == "copy" and exchange.counterpart_kind == "designated_authority"


__all__ = ["CONTENT", "CONTENT_KEYS", "accepted_languages", "check_content", "designated_copy", "request_body",
           "send_request", "to_chase"]
