"""Reading what the reports need from the database: a round's submitted answers, the earlier rounds of
the same questionnaire, a country's latest submitted answers. Takes a session; imports nothing from
Flask. Built reports are kept in a small in-process cache keyed by the round's data fingerprint."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from questionnaires.definitions import Definition
from questionnaires.models import Answer, Questionnaire, QuestionnaireVersion, Response, ResponseStatus, Round
from questionnaires.services.validation import effective_answers
from questionnaires.services.versions import definition_of
from reports.frame import tidy_frame, visible_to
from reports.report import Report, build_report, network_view

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
                                                      Response.status == ResponseStatus.SUBMITTED.value)
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
    questionnaire_id = round_.version.questionnaire_id
    return list(session.scalars(
        select(Round).join(QuestionnaireVersion, Round.version_id == QuestionnaireVersion.id)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id, Round.id != round_.id,
               Round.opened_at < round_.opened_at)
        .order_by(Round.opened_at, Round.id)))


def fingerprint(session: Session, round_ids: list[int]) -> tuple:
    """Changes whenever a response of these rounds is submitted, reopened or edited."""
    row = session.execute(
        select(func.count(Response.id), func.max(Response.submitted_at), func.max(Response.version),
               func.max(Answer.updated_at))
        .select_from(Response).outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.round_id.in_(round_ids), Response.status == ResponseStatus.SUBMITTED.value)).one()
    shared = tuple(session.scalars(select(Round.shared).where(Round.id.in_(round_ids)).order_by(Round.id)))
    return (*(str(v) for v in row), shared)


@dataclass(frozen=True)
class Viewer:
    """Whose report: `country` is highlighted (and sees its own maturity index and position);
    `free_text_from`: the countries whose own words are shown (None: every country's); `league` False: the
    network view without league tables and ranks."""

    country: str | None = None
    free_text_from: frozenset[str] | None = None
    league: bool = True

    @property
    def all_free_text(self) -> bool:
        return self.free_text_from is None


def consenting_countries(round_: Round) -> set[str]:
    """The countries whose submitted response agrees to share their own words with the other countries."""
    return {r.country_code for r in round_.responses
            if r.status == ResponseStatus.SUBMITTED.value and r.share_free_text}


def viewer_of(user, round_: Round) -> Viewer:
    """The viewer `user` is for the round's report (portal.policy decides whose free text they read and
    whether they see league tables); the pages, the downloads and the API all ask here, so they show the same."""
    from portal import policy

    return Viewer(country=getattr(user, "country_code", None) or None,
                  free_text_from=policy.free_text_countries(user, round_, consenting_countries(round_)),
                  league=policy.sees_league_tables(user, round_))


_REPORTS: OrderedDict[tuple, tuple[Report, pd.DataFrame]] = OrderedDict()
_LOCK = threading.Lock()
_CAPACITY = 16


def round_report(session: Session, round_: Round, viewer: Viewer, lang: str = "en") -> tuple[Report, pd.DataFrame]:
    """(the report of the round as this viewer may see it, the tidy frame it was built from)."""
    earlier = earlier_rounds(session, round_)
    key = (round_.id, viewer, lang, fingerprint(session, [round_.id, *(r.id for r in earlier)]))
    with _LOCK:
        if key in _REPORTS:
            _REPORTS.move_to_end(key)
            return _REPORTS[key]
    current = submitted_answers(session, round_)
    frame = tidy_frame(current.definition, current.answers, round_id=round_.id, lang=lang)
    if viewer.free_text_from is not None:
        frame = visible_to(frame, current.definition, viewer.free_text_from)
    previous = []
    for r in earlier:
        data = submitted_answers(session, r)
        if data.answers:
            previous.append((r.title, data.definition, tidy_frame(data.definition, data.answers, r.id, lang)))
    report = build_report(current.definition, frame, title=current.definition.title.get(lang) or
                          current.definition.title["en"], subtitle=round_.title, previous=previous,
                          current_label=round_.title, highlight=viewer.country, lang=lang,
                          confirmed=current.confirmed if round_.prefilled else None)
    report.marking = round_.marking or ""
    if not viewer.league:
        network_view(report, viewer.country, round_.league_note)
    elif round_.league_tables:
        report.league_note = round_.league_note
    with _LOCK:
        _REPORTS[key] = (report, frame)
        while len(_REPORTS) > _CAPACITY:
            _REPORTS.popitem(last=False)
    return report, frame


def report_rounds(session: Session, query) -> list[tuple[Round, int]]:
    """[(round, number of submitted responses)] of the rounds in `query` (a select(Round)), newest first."""
    rounds = list(session.scalars(query.options(selectinload(Round.countries),
                                                selectinload(Round.version).selectinload(
                                                    QuestionnaireVersion.questionnaire))
                                  .order_by(Round.opened_at.desc(), Round.id.desc())))
    counts = dict(session.execute(
        select(Response.round_id, func.count(Response.id))
        .where(Response.round_id.in_([r.id for r in rounds]), Response.status == ResponseStatus.SUBMITTED.value)
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
               Response.status == ResponseStatus.SUBMITTED.value)
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
        .where(Questionnaire.slug == slug, Response.status == ResponseStatus.SUBMITTED.value)
        .group_by(Response.country_code)).all()
    return dict(rows)
