"""Recognising a message for a case already known, linking related cases, merging duplicates."""

from __future__ import annotations

import re

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from casemgmt.crosscheck.refresh import entities_changed
from casemgmt.models import Case, CaseLink, ExternalReference, Message
from casemgmt.models.entities import ENTITY_MODELS
from casemgmt.models.folder import Attachment, Note, Task
from casemgmt.services import CaseError
from casemgmt.services.access_log import log
from casemgmt.services.counts import keeps_counts
from portal.audit import AuditAction
from portal.db import Prepared

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/._:#-]{4,119}")
_REGISTRATION = re.compile(r"\b([A-Z]{2}-\d{4}-\d{6})\b")


def surviving(case: Case) -> Case:
    """Follow 'merged into' to the case that holds the folder now."""
    seen = set()
    while case.merged_into is not None and case.id not in seen:
        seen.add(case.id)
        case = case.merged_into
    return case


def quoted_tokens(text: str, limit: int = 300) -> list[str]:
    """Words of a message that could be another channel's reference (trailing punctuation off)."""
    out: list[str] = []
    for match in _TOKEN.finditer(text or ""):
        token = match.group(0).rstrip("./:-#")
        if len(token) >= 5 and any(ch.isdigit() for ch in token) and token not in out:
            out.append(token)
            if len(out) >= limit:
                break
    return out


_REFS = ExternalReference.__table__
_BY_REFERENCE = Prepared(select(_REFS.c.case_id).where(
    _REFS.c.country_code == bindparam("cc"), _REFS.c.channel == bindparam("ch"), _REFS.c.reference == bindparam("ref")))


def case_with_reference(session: Session, country_code: str, channel: str, external_reference: str) -> int | None:
    """The case that holds this channel reference already (one probe of the unique index), or None."""
    if not (external_reference or "").strip():
        return None
    return _BY_REFERENCE.scalar(session.connection(), {"cc": country_code, "ch": channel,
                                                       "ref": external_reference.strip()})


def exact_repeat(session: Session, case_id: int | None, channel: str, external_reference: str, direction: str,
                 type_: str):
    """(case, exchange) already holding this very message: same channel and channel reference, same
    direction and type (issue 16, point 5: the only duplicate recognised without the officer);
    `case_id`: the case holding the reference (case_with_reference)."""
    from casemgmt.models import Exchange

    if case_id is None:
        return None
    row = session.execute(select(Message.case_id, Message.exchange_id).where(
        Message.case_id == case_id, Message.channel == channel, Message.external_reference == external_reference.strip(),
        Message.direction == direction, Message.type == type_).order_by(Message.id).limit(1)).first()
    if row is None:
        return None
    case = session.get(Case, row.case_id)
    exchange = session.get(Exchange, row.exchange_id) if row.exchange_id else None
    return case, exchange


def quoted_cases(session: Session, country_code: str, channel: str, external_reference: str,
                 quoted: list[tuple[str, str]], text: str, limit: int = 5, *,
                 own_case_id: int | None = None) -> list[tuple[int, str]]:
    """The SPOC's cases a message points at, each with why: its own channel reference already known,
    a reference of another channel it quotes, a registration number it mentions, a word of it that is
    a known reference. Merged cases are followed to the case that holds their folder."""
    found: dict[int, str] = {}

    def add(case_id, reason):
        if case_id is not None and case_id not in found and len(found) < limit:
            found[case_id] = reason

    if own_case_id is not None:
        add(own_case_id, f"same {channel} reference {external_reference.strip()}")
    def refs():  # built when there is something to look for (the intake runs this under the write lock)
        return select(ExternalReference.case_id, ExternalReference.channel, ExternalReference.reference).where(
            ExternalReference.country_code == country_code)

    exact = [(c, r) for c, r in quoted if r]
    if exact:
        for case_id, c, r in session.execute(refs().where(or_(*[
                (ExternalReference.channel == c) & (ExternalReference.reference == r) for c, r in exact]))
                .order_by(ExternalReference.id).limit(limit)):
            add(case_id, f"quotes the {c} reference {r}")
    numbers = [n for n in _REGISTRATION.findall(text or "") if n.startswith(country_code + "-")]
    if numbers:
        for case_id, number in session.execute(select(Case.id, Case.registration_number).where(
                Case.country_code == country_code, Case.registration_number.in_(numbers)).limit(limit)):
            add(case_id, f"mentions the registration number {number}")
    tokens = [r for _, r in exact] + quoted_tokens(text)
    if tokens:
        for case_id, c, r in session.execute(refs().where(ExternalReference.reference.in_(tokens))
                                             .order_by(ExternalReference.id).limit(limit)):
            add(case_id, f"mentions the {c} reference {r}")
    out: list[tuple[int, str]] = []
    for case_id, reason in found.items():
        case = surviving(session.get(Case, case_id))
        if all(case.id != seen for seen, _ in out):
            out.append((case.id, reason))
    return out


def answer_target(session: Session, candidates: list[tuple[int, str]], type_: str, direction: str):
    """(case, exchange): the open exchange of an open case that an answer (reply, refusal, delay notice,
    clarification…) quoting it belongs to; None when there is none (nothing is added to a closed case)."""
    from casemgmt.models import Exchange
    from casemgmt.services.exchanges import direction_of

    for case_id, _ in candidates:
        case = session.get(Case, case_id)
        if case is None or not case.is_open or case.erased_at is not None:
            continue
        for exchange in session.scalars(select(Exchange).where(Exchange.case_id == case.id,
                                                               Exchange.is_open)
                                        .order_by(Exchange.number)):
            try:
                if direction_of(exchange, type_) == direction:
                    return case, exchange
            except CaseError:
                continue
    return None


def suggestions(session: Session, candidates: list[tuple[int, str]]) -> list[dict]:
    """possible_duplicates of a new exchange: [{"registration_number", "exchange", "reason"}]."""
    from casemgmt.models import Exchange

    out = []
    for case_id, reason in candidates:
        number = session.scalar(select(Case.registration_number).where(Case.id == case_id))
        first = session.scalar(select(Exchange.number).where(Exchange.case_id == case_id, Exchange.type == "request")
                               .order_by(Exchange.number).limit(1))
        out.append({"registration_number": number, "exchange": f"{number}/{first}" if first else None,
                    "reason": reason})
    return out


def unknown_references(session: Session, country_code: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (channel, reference) pairs not yet known to the SPOC."""
    rows = session.execute(select(ExternalReference.channel, ExternalReference.reference).where(
        ExternalReference.country_code == country_code, ExternalReference.reference.in_({r for _, r in pairs})))
    known = {tuple(row) for row in rows}
    return [pair for pair in pairs if pair not in known]


def add_references(session: Session, case: Case, pairs: list[tuple[str, str]]) -> int:
    """Remember references for the case (once per country and channel); how many were new."""
    wanted = {(c, r.strip()) for c, r in pairs if r and r.strip()}
    if not wanted:
        return 0
    new = sorted(unknown_references(session, case.country_code, list(wanted)))
    session.add_all(ExternalReference(country_code=case.country_code, case_id=case.id, channel=c, reference=r)
                    for c, r in new)
    return len(new)


def linked_cases(session: Session, case: Case) -> list[Case]:
    ids = session.scalars(select(CaseLink.other_id).where(CaseLink.case_id == case.id)).all()
    return list(session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.registration_number))) if ids else []


def link_cases(session: Session, case: Case, other: Case, actor, reason: str = "") -> None:
    if other.country_code != case.country_code:
        raise CaseError("There is no such case in your SPOC.", "other")
    if other.id == case.id:
        raise CaseError("A case cannot be linked to itself.", "other")
    existing = session.scalar(select(CaseLink.id).where(CaseLink.case_id == case.id, CaseLink.other_id == other.id))
    if existing:
        raise CaseError("%(number)s is already linked.", "other", number=other.registration_number)
    session.add_all([CaseLink(case_id=case.id, other_id=other.id, reason=reason, created_by_id=actor.id),
                     CaseLink(case_id=other.id, other_id=case.id, reason=reason, created_by_id=actor.id)])
    for a, b in ((case, other), (other, case)):
        log(session, actor, a, AuditAction.COMBINATION, f"linked with {b.registration_number}",
            other=b.registration_number, reason=reason)
    session.flush()


@keeps_counts
def merge_case(session: Session, source: Case, target: Case, actor, justification: str) -> None:
    """Move the source's folder into the target; the source keeps its number, 'merged into' the target."""
    if target.country_code != source.country_code:
        raise CaseError("There is no such case in your SPOC.", "target")
    target = surviving(target)
    if target.id == source.id:
        raise CaseError("A case cannot be merged into itself.", "target")
    if source.merged_into_id is not None:
        raise CaseError("This case is already merged into %(number)s.", "target",
                        number=source.merged_into.registration_number)
    if not justification.strip():
        raise CaseError("Say why the cases are the same matter.", "justification")
    for model in (Message, Attachment, Note, Task, ExternalReference, *ENTITY_MODELS):
        for row in session.scalars(select(model).where(model.case_id == source.id)):
            row.case_id = target.id
    source.merged_into_id = target.id
    for case in session.scalars(select(Case).where(Case.merged_into_id == source.id)):
        case.merged_into_id = target.id
    log(session, actor, source, AuditAction.COMBINATION, f"merged into {target.registration_number}",
        justification=justification, other=target.registration_number)
    log(session, actor, target, AuditAction.COMBINATION, f"{source.registration_number} merged into this case",
        justification=justification, other=source.registration_number)
    session.flush()
    entities_changed(session, target, actor, trigger="edit")  # the target's folder now holds the source's entities
    session.expire(target)
    session.expire(source)
