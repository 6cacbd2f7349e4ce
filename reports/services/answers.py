"""Reading what the reports need from the database: a round's submitted answers, the earlier rounds of
the same questionnaire, a country's latest submitted answers, the rounds with a report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from questionnaires.definitions import Definition
from questionnaires.models import Answer, Questionnaire, QuestionnaireVersion, Response, ResponseStatus, Round
from questionnaires.services.validation import effective_answers
from questionnaires.services.versions import definition_of

PROFILE_QUESTIONNAIRE = "spoc_structures"


@dataclass(frozen=True)
class RoundAnswers:
    round: Round
    definition: Definition
    answers: dict[str, dict[str, object]]  # {country: {question_id: value}} of submitted responses
    submitted_at: dict[str, dt.datetime]
    # {country: answers carried over from an earlier round (prefill) and confirmed unchanged}
    confirmed: dict[str, int] = field(default_factory=dict)


def submitted_answers(session: Session, round_: Round) -> RoundAnswers:
    """The answers that count (relevant, non-empty) of every submitted response of the round."""
    definition = definition_of(round_.version)
    responses = session.scalars(select(Response).where(Response.round_id == round_.id,
                                                      Response.status == ResponseStatus.SUBMITTED)
                                .options(selectinload(Response.answers)).order_by(Response.country_code))
    answers, submitted, confirmed = {}, {}, {}
    for response in responses:
        values = {a.question_id: a.value for a in response.answers if a.value is not None}
        answers[response.country_code] = effective_answers(definition, values)
        submitted[response.country_code] = response.submitted_at
        if round_.prefilled:
            confirmed[response.country_code] = sum(
                1 for a in response.answers if a.prefilled_from_id is not None and a.confirmed
                and a.question_id in answers[response.country_code])
    return RoundAnswers(round_, definition, answers, submitted, confirmed)


def earlier_rounds(session: Session, round_: Round) -> list[Round]:
    """Rounds of the same questionnaire (any version) opened before this one, oldest first."""
    questionnaire_id = (select(QuestionnaireVersion.questionnaire_id)  # not round_.version: a query of its own
                        .where(QuestionnaireVersion.id == round_.version_id).scalar_subquery())
    return list(session.scalars(
        select(Round).join(QuestionnaireVersion, Round.version_id == QuestionnaireVersion.id)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id, Round.id != round_.id,
               Round.opened_at < round_.opened_at)
        .order_by(Round.opened_at, Round.id)))


def fingerprint(session: Session, rounds: list[Round]) -> tuple:
    """Changes whenever a response of these rounds is submitted, reopened or edited, or a round is
    shared or no longer (the rounds as read in this request: their `shared` is the database's)."""
    round_ids = [r.id for r in rounds]
    row = session.execute(
        select(func.count(Response.id), func.max(Response.submitted_at), func.max(Response.version),
               func.max(Answer.updated_at))
        .select_from(Response).outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.round_id.in_(round_ids), Response.status == ResponseStatus.SUBMITTED)).one()
    shared = tuple(r.shared for r in sorted(rounds, key=lambda r: r.id))
    return (*(str(v) for v in row), shared)



def report_rounds(session: Session, query) -> list[tuple[Round, int]]:
    """[(round, number of submitted responses)] of the rounds in `query` (a select(Round)), newest first."""
    rounds = list(session.scalars(query.options(selectinload(Round.countries),
                                                selectinload(Round.version).selectinload(
                                                    QuestionnaireVersion.questionnaire))
                                  .order_by(Round.opened_at.desc(), Round.id.desc())))
    counts = dict(session.execute(
        select(Response.round_id, func.count(Response.id))
        .where(Response.round_id.in_([r.id for r in rounds]), Response.status == ResponseStatus.SUBMITTED)
        .group_by(Response.round_id)).all()) if rounds else {}
    return [(r, counts.get(r.id, 0)) for r in rounds]


@dataclass(frozen=True)
class LatestAnswers:
    round: Round
    definition: Definition
    answers: dict[str, object]
    submitted_at: dt.datetime
    shares_free_text: bool = False  # the country agreed other countries read its own words


def latest_submitted(session: Session, country_code: str, slug: str = PROFILE_QUESTIONNAIRE) -> LatestAnswers | None:
    """The country's most recently submitted response to the questionnaire `slug`, if any."""
    response = session.scalar(
        select(Response).join(Round, Response.round_id == Round.id)
        .join(QuestionnaireVersion, Round.version_id == QuestionnaireVersion.id)
        .join(Questionnaire, QuestionnaireVersion.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.slug == slug, Response.country_code == country_code,
               Response.status == ResponseStatus.SUBMITTED)
        .options(selectinload(Response.answers))
        .order_by(Response.submitted_at.desc(), Response.id.desc()).limit(1))
    if response is None:
        return None
    definition = definition_of(response.round.version)
    values = {a.question_id: a.value for a in response.answers if a.value is not None}
    return LatestAnswers(response.round, definition, effective_answers(definition, values), response.submitted_at,
                         bool(response.share_free_text))


def latest_submission_dates(session: Session, slug: str = PROFILE_QUESTIONNAIRE) -> dict[str, dt.datetime]:
    """{country: when its latest response to `slug` was submitted}."""
    rows = session.execute(
        select(Response.country_code, func.max(Response.submitted_at)).join(Round, Response.round_id == Round.id)
        .join(QuestionnaireVersion, Round.version_id == QuestionnaireVersion.id)
        .join(Questionnaire, QuestionnaireVersion.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.slug == slug, Response.status == ResponseStatus.SUBMITTED)
        .group_by(Response.country_code)).all()
    return dict(rows)
