"""Rounds: opening one for chosen countries, inviting their respondents, progress, closing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal import audit, mail, policy
from portal.accounts.models import User
from portal.accounts.services import create_one_time_link
from portal.db import utcnow
from portal.directory.models import Country
from questionnaires.models import (
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    Round,
    RoundCountry,
    RoundStatus,
)
from questionnaires.services import QuestionnaireError
from questionnaires.services.responses import progress


@dataclass(frozen=True)
class Links:
    """How to build the absolute links that go into mail (the service knows no Flask)."""

    base_url: str
    link_hours: int = 72

    def response(self, round_id: int, country_code: str) -> str:
        return f"{self.base_url.rstrip('/')}/questionnaires/rounds/{round_id}/responses/{country_code}"

    def set_password(self, token: str) -> str:
        return f"{self.base_url.rstrip('/')}/set-password/{token}"


def all_country_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Country.code).order_by(Country.code)))


def country_names(session: Session) -> list[tuple[str, str]]:
    """[(code, name)] of every country, by name."""
    return [(code, name) for code, name in session.execute(select(Country.code, Country.name).order_by(Country.name))]


def open_round(session: Session, version: QuestionnaireVersion, *, title: str, deadline: dt.date,
               countries: list[str], actor, today: dt.date | None = None, status: str = "open",
               requires_clearance: bool = False, prefill: bool = False, marking: str = "") -> Round:
    """Create a round with one (not yet started) response per chosen country."""
    title = (title or "").strip()
    if not title:
        raise QuestionnaireError("Give the round a title.", "title")
    if not version.published:
        raise QuestionnaireError("Only a published version can be sent out.", "version_id")
    today = today or utcnow().date()
    if status == RoundStatus.OPEN and deadline < today:
        raise QuestionnaireError("The deadline cannot be in the past.", "deadline")
    known = set(all_country_codes(session))
    chosen = sorted({c.upper() for c in countries})
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise QuestionnaireError("Not countries of the network: %(codes)s.", "countries", codes=", ".join(unknown))
    if not chosen:
        raise QuestionnaireError("Choose at least one country.", "countries")
    from portal.markings import marking_problem

    if problem := marking_problem(session, marking or ""):
        raise QuestionnaireError(problem, "marking")
    round_ = Round(version_id=version.id, title=title, deadline=deadline, status=status,
                   opened_by_id=getattr(actor, "id", None), requires_clearance=requires_clearance,
                   marking=" ".join((marking or "").split())[:60])
    round_.countries = [RoundCountry(country_code=c) for c in chosen]
    session.add(round_)
    session.flush()
    for code in chosen:
        session.add(Response(round_id=round_.id, country_code=code, status=ResponseStatus.NOT_STARTED))
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ADMIN,
                 object_type="questionnaire_round", object_id=str(round_.id),
                 details={"event": "round_opened", "version_id": version.id, "deadline": deadline.isoformat(),
                          "countries": chosen, "requires_clearance": requires_clearance, "prefill": prefill})
    session.flush()
    if prefill:
        from questionnaires.services.prefill import prefill_round

        prefill_round(session, round_, actor)
    return round_


def respondents(session: Session, country_code: str) -> list[User]:
    return list(session.scalars(select(User).where(policy.respondents_of(country_code)).order_by(User.email)))


def invite(session: Session, round_: Round, links: Links) -> list[str]:
    """Mail every respondent of every invited country (a one-time link for those without a password)."""
    sent: list[str] = []
    now = utcnow()
    for rc in round_.countries:
        for user in respondents(session, rc.country_code):
            set_password_link = None if user.password_hash else links.set_password(
                create_one_time_link(session, user, links.link_hours))
            mail.queue_template(session, user.email, "questionnaires/mail/invitation.txt", round=round_,
                                country_code=rc.country_code, url=links.response(round_.id, rc.country_code),
                                set_password_link=set_password_link, link_hours=links.link_hours)
            sent.append(user.email)
        rc.invited_at = now
    audit.record(session, actor=None, area="questionnaires", action=audit.AuditAction.ADMIN,
                 object_type="questionnaire_round", object_id=str(round_.id),
                 recipients=sent, details={"event": "invitations_queued", "count": len(sent)})
    return sent


def close_round(session: Session, round_: Round, actor) -> None:
    if not round_.is_open:
        raise QuestionnaireError("The round is already closed.")
    round_.status = RoundStatus.CLOSED
    round_.closed_at = utcnow()
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ADMIN,
                 object_type="questionnaire_round", object_id=str(round_.id), details={"event": "round_closed"})


def reopen_round(session: Session, round_: Round, actor, deadline: dt.date) -> None:
    if round_.is_open:
        raise QuestionnaireError("The round is open.")
    if deadline < utcnow().date():
        raise QuestionnaireError("The new deadline cannot be in the past.", "deadline")
    round_.status = RoundStatus.OPEN
    round_.closed_at = None
    round_.deadline = deadline
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ADMIN,
                 object_type="questionnaire_round", object_id=str(round_.id),
                 details={"event": "round_reopened", "deadline": deadline.isoformat()})


def set_shared(session: Session, round_: Round, shared: bool, actor) -> None:
    round_.shared = shared
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ADMIN,
                 object_type="questionnaire_round", object_id=str(round_.id),
                 details={"event": "round_shared" if shared else "round_unshared"})


def all_rounds(session: Session, query=None) -> list[Round]:
    stmt = query if query is not None else select(Round)
    return list(session.scalars(stmt.options(selectinload(Round.countries))
                                .order_by(Round.opened_at.desc(), Round.id.desc())))


@dataclass(frozen=True)
class CountryProgress:
    country_code: str
    country_name: str
    response: Response
    answered: int
    relevant: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.relevant) if self.relevant else 0

    @property
    def status(self) -> ResponseStatus:
        return self.response.status_enum


def round_progress(session: Session, round_: Round) -> list[CountryProgress]:
    names = dict(country_names(session))
    responses = session.scalars(select(Response).where(Response.round_id == round_.id)
                                .options(selectinload(Response.answers)).order_by(Response.country_code))
    out = []
    for response in responses:
        answered, relevant = progress(response)
        out.append(CountryProgress(response.country_code, names.get(response.country_code, response.country_code),
                                   response, answered, relevant))
    return sorted(out, key=lambda row: row.country_name)  # as people look for a country: by its name (issue 19, item 13)


def summary(rows: list[CountryProgress]) -> dict[str, int]:
    counts = {s.value: 0 for s in ResponseStatus}
    for row in rows:
        counts[row.response.status] += 1
    return counts
