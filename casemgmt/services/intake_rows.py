"""The rows a message's intake makes, built before any write (casemgmt.services.intake): the typed
counterpart and legal framework, the type of the exchange it opens, the message, the entities."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from casemgmt.models import (
    Address,
    BankAccount,
    Case,
    Company,
    CryptoAddress,
    Document,
    Email,
    Exchange,
    ExternalReference,
    Handle,
    IpAddress,
    Message,
    Person,
    Phone,
    Vehicle,
)
from casemgmt.schemas import IntakePayload, parse_date_of_birth
from casemgmt.services.frameworks import (
    bound_countries,
    check_counterpart,
    check_framework,
    default_framework,
    from_legacy,
)
from portal.db import Prepared, new_object


def exchange_type(p: IntakePayload) -> str:
    """What opens an exchange: a request, own-initiative information or a copy; an answer arriving
    with nothing to be filed into opens one of its own, as information."""
    return p.type.value if p.type.opens_exchange else "copy"


def resolve_counterpart_and_framework(session: Session, country_code: str, p: IntakePayload):
    """The typed counterpart (from `counterpart`, or the first version's country and type) and the legal
    framework (given, checked; or defaulted: casemgmt.services.frameworks)."""
    if p.counterpart is not None:
        counterpart = check_counterpart(p.counterpart.kind.value, p.counterpart.country, p.counterpart.name)
    else:
        counterpart = from_legacy(country_code, p.counterpart_country, p.counterpart_type.value)
    bound = bound_countries(session)
    if p.legal_framework is None:
        framework = default_framework(p.channel.value, counterpart, country_code, bound)
    else:
        framework = check_framework(p.legal_framework.value, counterpart, country_code, bound)
    return counterpart, framework


def legacy_counterpart_type(counterpart) -> str:
    return {"agency": "europol" if counterpart.name == "EUROPOL" else "other",
            "international_organisation": "other", "third_country": "other",
            "national_authority": "competent_authority", "designated_authority": "designated_authority",
            "member_state": "spoc"}[counterpart.kind]


def new_message(p: IntakePayload, actor, country_code: str, now: dt.datetime, *, duplicate: bool = False,
                 case_id: int | None = None, exchange_id: int | None = None) -> Message:
    return new_object(Message, case_id=case_id, exchange_id=exchange_id, country_code=country_code, direction=p.direction.value,
                   type=p.type.value, channel=p.channel.value,
                   channel_reason=p.channel_reason.value if p.channel_reason else None,
                   channel_reason_text=p.channel_reason_text,
                   counterpart_country=p.counterpart.country if p.counterpart else p.counterpart_country,
                   counterpart_type=p.counterpart_type.value, language=p.language, at=p.received_at,
                   external_reference=p.external_reference, subject=p.subject, body=p.body, urgent=p.urgent,
                   urgency_ground=p.urgency_ground.value if p.urgency_ground else None,
                   information_access=p.information_access.value if p.information_access else None,
                   handling_code=p.handling_code, handling_text=p.handling_text if p.handling_code == "H3" else "",
                   source_code=p.source_code, information_code=p.information_code,
                   duplicate=duplicate, raw=p.model_dump(mode="json", exclude={"attachments"}),
                   created_by_id=getattr(actor, "id", None), created_at=now)


def build_entities(entities: list, common: dict) -> list:
    """Rows of validated entities (casemgmt.schemas.Entity), not yet in any session; a person's
    documents follow it. `common`: the columns they share (country, creation time...)."""
    out: list = []
    for entity in entities:
        raw = entity.model_dump(mode="json")
        if entity.kind == "person":
            dob, precision = parse_date_of_birth(entity.date_of_birth)
            person = new_object(Person, **common, raw=raw, surname=entity.surname, given_names=entity.given_names,
                            date_of_birth=dob, date_of_birth_precision=precision, nationality=entity.nationality,
                            category=entity.category.value, assessment=entity.assessment)
            out.append(person)
            for doc in entity.documents:
                out.append(new_object(Document, **common, raw=doc.model_dump(mode="json"), person=person, type=doc.type,
                                    number=doc.number, country=doc.country))
        elif entity.kind == "document":
            out.append(new_object(Document, **common, raw=raw, type=entity.type, number=entity.number, country=entity.country))
        elif entity.kind == "vehicle":
            out.append(new_object(Vehicle, **common, raw=raw, plate=entity.plate, country=entity.country, vin=entity.vin))
        elif entity.kind == "phone":
            out.append(new_object(Phone, **common, raw=raw, number=entity.number))
        elif entity.kind == "email":
            out.append(new_object(Email, **common, raw=raw, address=entity.address))
        elif entity.kind == "company":
            out.append(new_object(Company, **common, raw=raw, name=entity.name, country=entity.country))
        elif entity.kind == "address":
            out.append(new_object(Address, **common, raw=raw, country=entity.country, postcode=entity.postcode,
                               city=entity.city, street=entity.street, number=entity.number))
        elif entity.kind == "bank_account":
            out.append(new_object(BankAccount, **common, raw=raw, iban=entity.iban, bic=entity.bic, holder=entity.holder))
        elif entity.kind == "ip_address":
            out.append(new_object(IpAddress, **common, raw=raw, address=entity.address))
        elif entity.kind == "crypto_address":
            out.append(new_object(CryptoAddress, **common, raw=raw, currency=entity.currency, address=entity.address))
        elif entity.kind == "handle":
            out.append(new_object(Handle, **common, raw=raw, platform=entity.platform, handle=entity.handle))
    return out


_INSERT_RETURNING_ID: dict = {}


def _returning_id(table) -> Prepared:
    statement = _INSERT_RETURNING_ID.get(table)
    if statement is None:
        statement = _INSERT_RETURNING_ID[table] = Prepared(table.insert().returning(table.c.id))
    return statement


def insert_row(conn, obj) -> int:
    """INSERT one new (never added) object's row; its id. Column defaults apply as for the session."""
    table = obj.__table__
    statement = _returning_id(table)
    state = obj.__dict__
    return statement.scalar(conn, {c.name: state[c.key] for c in table.columns if c.key in state})


_CHAINS: dict = {}
_PARAM = re.compile(r"%\((\w+)\)s")


def insert_new_case_pg(conn, case: Case, exchange: Exchange, message: Message, references: list[dict],
                        entities: list) -> None:
    """PostgreSQL: the new case's rows (case, exchange, message, references, entities) in one statement,
    each INSERT a CTE taking the ids it refers to from the earlier ones' RETURNING: one statement for
    the server to run and one wait, instead of one a row (issue 24 item 3). Each row is bound as
    `insert_row` binds it (the same plan: types, column defaults); the ids are set on the objects."""
    rows: list[tuple] = [(case, {}), (exchange, {"case_id": 0}), (message, {"case_id": 0, "exchange_id": 1})]
    rows += [(ExternalReference.__table__, {"case_id": 0}, r) for r in references]
    first = len(rows)
    at = {id(e): first + k for k, e in enumerate(entities)}
    for entity in entities:
        parents = {"case_id": 0, "message_id": 2}
        if isinstance(entity, Document) and entity.person is not None:
            parents["person_id"] = at[id(entity.person)]
        rows.append((entity, parents))
    params, shape = {}, []
    for i, (obj, parents, *given) in enumerate(rows):
        table = obj if given else obj.__table__
        statement = _returning_id(table)
        if given:
            values = {**given[0], **dict.fromkeys(parents, 0)}
        else:
            state = obj.__dict__
            values = {c.name: state[c.key] for c in table.columns if c.key in state}
            values.update(dict.fromkeys(parents, 0))
        plan = statement._get(conn.dialect, values)
        escaped = plan[5]
        for name, value in Prepared._values(values, plan).items():
            if name not in parents:
                params[f"r{i}_{escaped.get(name, name)}"] = value
        shape.append((plan[0], tuple(sorted(parents.items()))))
    key = tuple(shape)
    chain = _CHAINS.get(key)
    if chain is None:
        chain = _CHAINS[key] = _chain(shape)
    sql, names = chain
    from psycopg import RawCursor

    # a raw cursor ($n placeholders, made once): psycopg parses a statement of more than 50
    # parameters (this one has ~130) again at every execution otherwise
    cursor = RawCursor(conn.connection.driver_connection)
    cursor.execute(sql, [params[name] for name in names])
    ids = cursor.fetchone()
    cursor.close()
    case.id = ids[0]
    exchange.case_id, exchange.id = case.id, ids[1]
    message.case_id, message.exchange_id, message.id = case.id, exchange.id, ids[2]
    for k, entity in enumerate(entities):
        entity.case_id, entity.message_id, entity.id = case.id, message.id, ids[first + k]
        if isinstance(entity, Document) and entity.person is not None:
            entity.person_id = entity.person.id


def _chain(shape: list[tuple[str, tuple]]) -> tuple[bytes, list[str]]:
    """The one statement of `insert_new_case_pg` with $n placeholders, and the names of its
    parameters in order: row i's INSERT (its compiled text) as the CTE r<i>, its parameters
    r<i>_<name>, the ids it refers to read from the CTEs before it."""
    parts, names = [], []
    for i, (insert_sql, parents) in enumerate(shape):
        refer = dict(parents)

        def param(m, i=i, refer=refer):
            name = m.group(1)
            if name in refer:
                return f"(SELECT id FROM r{refer[name]})"  # noqa: S608 - names of our own
            names.append(f"r{i}_{name}")
            return f"${len(names)}"

        parts.append(f"r{i} AS ({_PARAM.sub(param, insert_sql).replace('%%', '%')})")
    # compiled statements and names of our own, no input
    ids = ", ".join(f"(SELECT id FROM r{i})" for i in range(len(shape)))  # noqa: S608
    return f"WITH {', '.join(parts)} SELECT {ids}".encode(), names
