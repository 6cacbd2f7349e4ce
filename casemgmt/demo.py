"""Demo cases for BE and NL: about 200, across channels, with duplicates, links, a merge, overdue
cases, refusals and a delay notice. Seeded, so every run builds the same cases (times are relative
to now, so that deadlines are live)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.demo_templates import load_duty, load_templates
from casemgmt.models import Case, Dissemination, Message, NationalAuthority
from casemgmt.schemas import validate_intake
from casemgmt.services import dedupe, entities, outgoing, workflow
from casemgmt.services.counts import rebuild
from casemgmt.services.deadlines import record_reply
from casemgmt.services.exchanges import add_message, follow_case
from casemgmt.services.folder import entities_of
from casemgmt.services.intake import register_incoming_message
from casemgmt.services.requests import send_request
from casemgmt.services.retention import add_months
from portal.db import utcnow

CRIMES = [("illicit trafficking in narcotic drugs", "Cocaine shipment: identification of a courier"),
          ("trafficking in human beings", "Possible victims of trafficking at a car wash"),
          ("motor vehicle crime", "Stolen vehicle seen crossing the border"),
          ("fraud", "Invoice fraud against a logistics company"),
          ("cybercrime", "Phishing campaign: holder of a phone number"),
          ("money laundering", "Cash couriers and a shell company"),
          ("organised or armed robbery", "Robbery of a jewellery shop: suspect vehicle"),
          ("participation in a criminal organisation", "Members of an organised burglary group"),
          ("kidnapping or hostage-taking", "Missing minor possibly taken abroad"),
          ("theft", "Theft of construction machinery"),
          ("facilitation of unauthorised entry", "Smuggling of migrants in a van"),
          ("illicit trafficking in weapons or explosives", "Firearms offered for sale online")]
PARTNERS = {"BE": ["NL", "FR", "DE", "LU", "PL", "ES", "IT", "RO", "LT", "PT"],
            "NL": ["BE", "DE", "FR", "PL", "ES", "IT", "RO", "BG", "SE", "DK"]}
PLATE = {"BE": "1-{}-{:03d}", "NL": "{}-{:03d}-X", "DE": "B-{} {:03d}", "FR": "{}-{:03d}-ZZ", "PL": "W{} {:03d}"}
AUTHORITIES = {"BE": [("Federal Judicial Police Brussels", "police"), ("Local police zone Antwerp", "police"),
                      ("Customs and Excise", "customs"), ("Federal Prosecutor's Office", "prosecution")],
               "NL": [("National Police – Central Unit", "police"), ("Royal Netherlands Marechaussee", "border"),
                      ("FIOD", "tax and customs"), ("Public Prosecution Service", "prosecution")]}
CHANNELS = ["SIENA"] * 12 + ["SIRENE"] * 2 + ["INTERPOL"] * 2 + ["BILATERAL", "PCCC", "PCCC", "NATIONAL"]
REASONS = {"INTERPOL": "third_country_or_international_organisation", "SIRENE": "urgency",
           "BILATERAL": "urgency", "PCCC": "urgency", "NATIONAL": "technical_or_operational_incident"}
CASES_PER_COUNTRY = 95


# names, phone prefixes and company forms that fit each nationality (the demo reads as real work)
NAMES = {"PL": (["Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński"], ["Jan", "Piotr", "Katarzyna", "Tomasz"]),
         "RO": (["Popescu", "Ionescu", "Dumitru", "Stan"], ["Mihai", "Andrei", "Elena", "Ioana"]),
         "NL": (["De Vries", "Jansen", "Van den Berg", "Bakker"], ["Daan", "Sanne", "Lars", "Emma"]),
         "BE": (["Peeters", "Janssens", "Dubois", "Lambert"], ["Lucas", "Marie", "Noah", "Louise"]),
         "DE": (["Müller", "Schmidt", "Weber", "Becker"], ["Jonas", "Anna", "Lukas", "Sophie"]),
         "FR": (["Martin", "Bernard", "Moreau", "Lefèvre"], ["Hugo", "Camille", "Julien", "Chloé"]),
         "LT": (["Kazlauskas", "Petrauskas", "Jankauskas"], ["Tomas", "Rūta", "Mantas"]),
         "AL": (["Hoxha", "Shehu", "Krasniqi"], ["Arben", "Elira", "Besnik"]),
         "MA": (["El Amrani", "Benali", "Bennani"], ["Youssef", "Fatima", "Karim"]),
         "UA": (["Shevchenko", "Kovalenko", "Bondarenko"], ["Oleksandr", "Olena", "Dmytro"])}
PHONE_PREFIX = {"PL": 48, "RO": 40, "NL": 31, "BE": 32, "DE": 49, "FR": 33, "LT": 370, "AL": 355, "MA": 212,
                "UA": 380, "LU": 352, "ES": 34, "IT": 39, "PT": 351, "BG": 359, "SE": 46, "DK": 45}
COMPANY_FORM = {"NL": "B.V.", "BE": "BV", "DE": "GmbH", "FR": "SARL", "PL": "sp. z o.o.", "RO": "SRL", "LU": "S.à r.l.",
                "ES": "S.L.", "IT": "S.r.l.", "LT": "UAB", "PT": "Lda.", "BG": "EOOD", "SE": "AB", "DK": "ApS"}


def _person(rng: random.Random) -> dict:
    year = rng.randint(1960, 2004)
    dob = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < .8 else str(year)
    nat = rng.choice(["PL", "RO", "NL", "BE", "DE", "FR", "LT", "AL", "MA", "UA"])
    surnames, given = NAMES[nat]
    person = {"kind": "person", "surname": rng.choice(surnames), "given_names": rng.choice(given),
              "date_of_birth": dob, "nationality": nat, "category": rng.choice(["suspect", "suspect", "witness",
                                                                               "victim", "contact_or_associate"])}
    if rng.random() < .5:
        person["documents"] = [{"type": rng.choice(["passport", "id_card"]),
                                "number": f"{rng.choice('ABCDEFX')}{rng.randint(1000000, 9999999)}", "country": nat}]
    return person


def _entities(rng: random.Random, partner: str) -> list[dict]:
    out = [_person(rng) for _ in range(rng.randint(1, 2))]
    if rng.random() < .5:
        fmt = PLATE.get(partner, "{}-{:03d}")
        out.append({"kind": "vehicle", "plate": fmt.format("".join(rng.choice("ABCDEFGHJKLMNPRSTVXYZ")
                                                                   for _ in range(3)), rng.randint(1, 999)),
                    "country": partner})
    first = out[0]
    if rng.random() < .4:
        prefix = PHONE_PREFIX.get(first["nationality"], PHONE_PREFIX.get(partner, 32))
        out.append({"kind": "phone", "number": f"+{prefix} 6{rng.randint(10000000, 99999999)}"})
    if rng.random() < .2:
        local = f"{first['given_names']}.{first['surname']}".lower().replace(" ", "")
        local = "".join(ch for ch in local if ch.isascii() and (ch.isalnum() or ch == "."))
        out.append({"kind": "email", "address": f"{local}{rng.randint(1, 99)}@mail.example.invalid"})
    if rng.random() < .15:
        owner = rng.choice(NAMES.get(partner, NAMES["BE"])[0])
        out.append({"kind": "company", "name": f"{owner} Trading {COMPANY_FORM.get(partner, 'Ltd')}",
                    "country": partner})
    return out


def _payload(rng: random.Random, cc: str, i: int, now: dt.datetime) -> dict:
    partner = rng.choice(PARTNERS[cc])
    channel = rng.choice(CHANNELS)
    crime, subject = rng.choice(CRIMES)
    outgoing_request = rng.random() < .12
    kind = "request" if rng.random() < .85 else rng.choice(["own_initiative", "copy"])
    urgent = kind == "request" and rng.random() < .3
    # most cases are recent, a tail goes back over the year; the first ones are today's
    age_hours = rng.uniform(1, 30) if i < 12 else rng.uniform(24, 24 * 30) if i < 40 else rng.uniform(24 * 30, 24 * 320)
    received = now - dt.timedelta(hours=age_hours)
    data = {"channel": channel, "direction": "out" if outgoing_request else "in", "type": kind,
            "external_reference": f"{channel}-{partner}-{received:%y%m%d}-{1000 + i}", "received_at": received.isoformat(),
            "urgent": urgent, "counterpart_country": "NL" if channel == "NATIONAL" and cc == "BE" else partner,
            "counterpart_type": "competent_authority" if channel == "NATIONAL" else "spoc",
            "language": rng.choice(["en", "en", "fr", "nl", "de"]), "crime_category": crime,
            "subject": ("Urgent: " if urgent else "") + subject,
            "body": f"Dear colleagues, in the framework of an investigation on {crime} we kindly ask you to "
                    "check the persons and objects below in your national databases and to provide any "
                    "information on criminal records, addresses and links to other cases.",
            "entities": _entities(rng, partner)}
    if channel == "NATIONAL":
        data["counterpart_country"] = cc
    if urgent:
        data["urgency_ground"] = rng.choice(["public_security_threat", "life_or_physical_integrity",
                                             "deprivation_of_liberty", "loss_of_relevance"])
        data["information_access"] = rng.choice(["direct", "indirect"])
    elif rng.random() < .5:
        data["information_access"] = rng.choice(["direct", "indirect"])
    if channel != "SIENA":
        data["channel_reason"] = REASONS[channel]
        data["channel_reason_text"] = {"INTERPOL": "The information goes to a third country through INTERPOL.",
                                       "NATIONAL": "SIENA mailbox unavailable during maintenance."}.get(channel, "")
    return data


def _authorities(session: Session, cc: str) -> list[NationalAuthority]:
    for name, kind in AUTHORITIES[cc]:
        if session.scalar(select(NationalAuthority.id).where(NationalAuthority.country_code == cc,
                                                             NationalAuthority.name == name)) is None:
            session.add(NationalAuthority(country_code=cc, name=name, kind=kind,
                                          email=f"{kind.split()[0]}@{cc.lower()}.demo.invalid"))
    session.flush()
    return outgoing.authorities(session, cc)


def _work(session: Session, rng: random.Random, case: Case, officer, authorities, now: dt.datetime, i: int) -> None:
    """Move a case along its workflow, as far as its age and the dice say."""
    age = now - case.received_at
    if case.direction == "out" or case.request_type != "request":
        if age > dt.timedelta(days=20):
            _concluded(session, case, case.received_at + dt.timedelta(days=3),
                       "information_only" if case.request_type != "request" else "information_provided")
        return
    limit = dt.timedelta(hours=case.limit_hours)
    overdue_on_purpose = i % 11 == 5 and age < dt.timedelta(days=45)
    if age > dt.timedelta(days=20) and not overdue_on_purpose:
        _history(session, rng, case, officer, authorities, i)
        return
    # the recent cases go through the services, so their folders and logs are complete
    workflow.assign(session, case, officer, officer)
    if i % 7 == 3 and age < dt.timedelta(days=2):
        return  # just arrived, not touched yet
    workflow.evaluate(session, case, officer, urgent=case.urgent, urgency_ground=case.urgency_ground,
                      information_access=case.information_access or "indirect",
                      crime_category=case.crime_category, source_code=rng.choice("ABBCX"),
                      information_code=rng.choice("1223"), handling_code="H0", now=case.received_at)
    if overdue_on_purpose or (age < limit and rng.random() < .6):
        if rng.random() < .5:
            workflow.record_cross_check(session, case, officer, "demo: no hits")
        return
    workflow.record_cross_check(session, case, officer, "demo: hits reviewed")
    answered_at = min(case.received_at + limit * rng.uniform(.2, 1.25), now - dt.timedelta(minutes=5))
    if rng.random() < .25:
        outgoing.disseminate(session, case, officer, authority_id=rng.choice(authorities).id,
                             summary="Request and identification data for local checks.", handling_code="H2",
                             justification="Local checks by the competent police service", now=answered_at)
    if i % 13 == 4:
        outgoing.refuse(session, case, officer, grounds=rng.choice([["a"], ["g"], ["f", "h"], ["b"]]),
                        justification="The conditions of Art. 6(1) are met; see the grounds.",
                        partial=i % 26 == 4, body="Identity confirmed; criminal records cannot be provided.",
                        handling_code="H1", now=answered_at)
    else:
        outgoing.send_reply(session, case, officer, body=REPLY, handling_code="H0",
                            justification="Requested under Directive (EU) 2023/977 Art. 5", now=answered_at)


REPLY = "Our checks gave the following results: known to the police for two thefts in 2021; registered address confirmed."


def _concluded(session: Session, case: Case, at: dt.datetime, outcome: str | None = None) -> None:
    case.status = "closed"
    case.exchange_concluded_at = at
    case.review_due_at = add_months(at, 6)
    follow_case(session, case, outcome=outcome, now=at)


def _history(session: Session, rng: random.Random, case: Case, officer, authorities, i: int) -> None:
    """An old, concluded exchange written in bulk (its intake went through the service and is logged)."""
    limit = dt.timedelta(hours=case.limit_hours)
    answered_at = case.received_at + limit * rng.uniform(.2, 1.15)
    case.assignee_id = officer.id
    case.information_access = case.information_access or "indirect"
    case.source_code, case.information_code, case.handling_code = rng.choice("ABBCX"), rng.choice("1223"), "H0"
    case.evaluated_at = case.cross_checked_at = case.received_at + limit * .1
    refused = i % 13 == 4
    partial = refused and i % 26 == 4
    grounds = rng.choice([["a"], ["g"], ["f", "h"], ["b"], ["c"]]) if refused else []
    session.add(Message(case_id=case.id, exchange_id=case.exchanges[0].id, country_code=case.country_code,
                        direction="out",
                        type="refusal" if refused else "reply", channel=case.channel,
                        counterpart_country=case.counterpart_country, counterpart_type=case.counterpart_type,
                        at=answered_at, subject=f"{'Refusal' if refused else 'Reply'}: {case.subject}"[:300],
                        body="Identity confirmed; criminal records cannot be provided." if partial
                        else ("" if refused else REPLY), handling_code=None if refused and not partial else "H0",
                        refusal_grounds=grounds, refusal_justification="Art. 6(1) applies." if refused else "",
                        partial_refusal=partial, created_by_id=officer.id))
    if rng.random() < .2:
        session.add(Dissemination(case_id=case.id, authority_id=rng.choice(authorities).id, handling_code="H2",
                                  summary="Request and identification data for local checks.",
                                  justification="Local checks", sent_by_id=officer.id,
                                  sent_at=answered_at - dt.timedelta(hours=1)))
    record_reply(case, answered_at)
    case.answered, case.refused = (not refused) or partial, refused
    _concluded(session, case, answered_at + dt.timedelta(days=2))
    case.priority_reasons = ["Concluded"]


def load_cases_demo(session: Session, users: dict) -> None:
    """Idempotent: a country that already has cases is left alone."""
    rng = random.Random(977)  # noqa: S311 - demo data, not security
    now = utcnow()
    for cc in ("BE", "NL"):
        if session.scalar(select(Case.id).where(Case.country_code == cc).limit(1)) is not None:
            continue
        officer, supervisor = users[f"officer.{cc.lower()}@demo.invalid"], users[f"supervisor.{cc.lower()}@demo.invalid"]
        authorities = _authorities(session, cc)
        cases: list[Case] = []
        for i in range(CASES_PER_COUNTRY):
            payload, errors = validate_intake(_payload(rng, cc, i, now))
            if payload is None:  # pragma: no cover - the demo data are made valid
                raise ValueError(errors)
            result = register_incoming_message(session, cc, payload, officer, source="demo")
            cases.append(result.case)
            _work(session, rng, result.case, officer if i % 3 else supervisor, authorities, now, i)
        _duplicates(session, rng, cc, cases, officer, now)
        _links_and_merge(session, cases, officer)
        _delay_notice(session, cases, officer, now)
        _entities_after_intake(session, cases, officer)
        _exchanges(session, rng, cc, cases, officer, now)
        load_templates(session, cc, supervisor)
        load_duty(session, cc, officer, supervisor, now)
        session.flush()  # the history above was written straight onto the cases: the statistics recounted
        rebuild(session.connection(), cc)


def _duplicates(session: Session, rng: random.Random, cc: str, cases: list[Case], officer, now) -> None:
    """The same requests arriving again on a second channel, quoting the SIENA reference."""
    siena = [c for c in cases if c.channel == "SIENA" and c.direction == "in" and c.is_open][:6]
    for case in siena:
        ref = case.references[0].reference
        payload, _ = validate_intake({
            "channel": "SIRENE", "channel_reason": "urgency", "type": "request", "received_at":
            (case.received_at + dt.timedelta(minutes=40)).isoformat(), "counterpart_country": case.counterpart_country,
            "external_reference": f"SIRENE-{case.counterpart_country}-{rng.randint(10000, 99999)}",
            "subject": f"Copy via SIRENE of {ref}", "body": f"Same request as our SIENA message {ref}."})
        register_incoming_message(session, cc, payload, officer, source="demo")
    # and an exact repeat on the same channel
    first = siena[0]
    again = dict(first.messages[0].raw, received_at=(first.received_at + dt.timedelta(hours=1)).isoformat())
    payload, _ = validate_intake(again)
    register_incoming_message(session, cc, payload, officer, source="demo")


def _links_and_merge(session: Session, cases: list[Case], officer) -> None:
    incoming = [c for c in cases if c.direction == "in" and c.request_type == "request"]
    for a, b in ((incoming[1], incoming[4]), (incoming[2], incoming[9]), (incoming[5], incoming[14])):
        dedupe.link_cases(session, a, b, officer, "Same suspects")
    still_open = [c for c in incoming if c.is_open]
    source, target = still_open[-1], still_open[-2]
    dedupe.merge_case(session, source, target, officer, "Registered twice: same request sent by e-mail and SIENA")


def _delay_notice(session: Session, cases: list[Case], officer, now) -> None:
    waiting = [c for c in cases if c.is_open and c.direction == "in" and c.request_type == "request"
               and c.replied_at is None and not c.urgent]
    for case in waiting[:2]:
        outgoing.send_delay_notice(session, case, officer, expected_delay_days=10,
                                   reasons="The information needs the authorisation of the investigating judge "
                                           "(Art. 9); it was requested today.", now=now)


def _entities_after_intake(session: Session, cases: list[Case], officer) -> None:
    """A person named in a follow-up call, added after intake; another's identity flagged inaccurate."""
    open_cases = [c for c in cases if c.is_open and c.direction == "in" and c.request_type == "request"]
    entities.add_entity(session, open_cases[0], officer, {
        "kind": "person", "surname": "Lambert", "given_names": "Eva", "date_of_birth": "1988-06",
        "nationality": "FR", "category": "witness", "documents": [{"type": "id_card", "number": "FX4471208",
                                                                   "country": "FR"}]},
        "Named by the requester in a follow-up phone call")
    entities.add_entity(session, open_cases[0], officer, {"kind": "phone", "number": "+33 6 12 34 56 78"},
                        "Number of the witness, given in the same call")
    person = next(p for c in open_cases[1:] for p in entities_of(session, c) if p.kind == "person")
    entities.flag_entity(session, session.get(Case, person.case_id), officer, "person", person.id, True,
                         "The requester reports that the identity was usurped: the documents were stolen")


def _exchanges(session: Session, rng: random.Random, cc: str, cases: list[Case], officer, now: dt.datetime) -> None:
    """What the exchange model shows: a Europol counterpart, a new request quoting a closed case (a
    suggestion), answers late with and without a judicial-authorisation delay notice, and a folder
    holding an outgoing request of its own (a second exchange)."""
    partner = PARTNERS[cc][0]

    def register(**data):
        payload, errors = validate_intake({"direction": "in", "type": "request", "language": "en", **data})
        if payload is None:  # pragma: no cover - the demo data are made valid
            raise ValueError(errors)
        return register_incoming_message(session, cc, payload, officer, source="demo")

    register(channel="SIENA", external_reference=f"SIENA-EUROPOL-{cc}-{rng.randint(10000, 99999)}",
             received_at=(now - dt.timedelta(hours=5)).isoformat(), counterpart={"kind": "agency", "name": "EUROPOL"},
             subject="Europol: cross-match report on a firearms network",
             body="Europol's analysis project reports a match with your national data; please confirm.")
    closed = next(c for c in cases if not c.is_open and c.direction == "in" and c.request_type == "request"
                  and c.references and c.legal_framework == "2023/977")
    register(channel="SIENA", external_reference=f"SIENA-{closed.counterpart_country}-{rng.randint(10000, 99999)}",
             received_at=(now - dt.timedelta(hours=3)).isoformat(), urgent=True,
             urgency_ground="life_or_physical_integrity", information_access="direct",
             counterpart={"kind": "member_state", "country": closed.counterpart_country},
             external_references=[{"channel": closed.references[0].channel,
                                   "reference": closed.references[0].reference}],
             subject=f"New urgent request in the matter of your {closed.registration_number}",
             body=f"Further to {closed.registration_number}, the suspect was seen again; please check the new address.")
    for notice in (True, False):
        received = now - dt.timedelta(days=12 if notice else 11)
        result = register(channel="SIENA", external_reference=f"SIENA-{partner}-LATE-{rng.randint(10000, 99999)}",
                          received_at=received.isoformat(), counterpart={"kind": "member_state", "country": partner},
                          subject="Bank account holder" if notice else "Address of a witness",
                          body="Please identify the holder of the account and the transactions of March."
                          if notice else "Please give the current address of the witness named below.")
        case, exchange = result.case, result.case.exchanges[0]
        if notice:
            add_message(session, case, exchange, officer, type_="delay_notice", expected_delay_hours=240,
                        body="The bank data need the authorisation of the investigating judge (Art. 9); requested.",
                        sent_at=received + dt.timedelta(hours=20), now=now)
        add_message(session, case, exchange, officer, type_="reply", handling_code="H1", body=REPLY,
                    sent_at=received + dt.timedelta(days=9), now=now)
    folder = next(c for c in cases if c.is_open and c.direction == "in" and c.request_type == "request"
                  and c.legal_framework == "2023/977" and c.counterpart_country != partner)
    # the SPOC's own requests (Art. 4(5) content, Art. 12 decision): one sent today, one overdue to chase
    for days, europol in ((0, False), (9, True)):
        send_request(session, folder, officer, counterpart={"kind": "member_state", "country": partner},
                     channel="SIENA", language="en", sent_at=now - dt.timedelta(days=days, hours=2), now=now,
                     subject="Request to a neighbouring SPOC in the same matter" if not days
                     else "Holder of a bank account used by the suspect",
                     content={"information_sought": "Registered holder of the suspect's vehicle and its address"
                              if not days else "Holder of the account and its transactions in March",
                              "purpose": "Investigation of a series of burglaries",
                              "objective_reasons": "The vehicle is registered in your country" if not days
                              else "The account is held with a bank in your country",
                              "connection": "The suspect was seen driving the vehicle" if not days
                              else "The suspect received the proceeds on this account",
                              "restrictions": "none"},
                     europol_copy=europol, europol_reason="Organised property crime across borders" if europol
                     else "A local matter, not within Europol's objectives")
