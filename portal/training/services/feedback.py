"""Participant feedback through the shipped `training_feedback` questionnaire of the questionnaire engine.

The engine's Response is one per country and round; feedback is one per participant and given
without an account (participants are SPOC staff, not portal users), through a one-time link mailed
after the activity. So the answers live here, one Feedback row per nomination, while the definition,
the form parsing and the validation are the engine's (published version, `parse_form`,
`problems_for_submit`, `effective_answers`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from statistics import mean

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, mail
from portal.audit import AuditAction
from portal.db import utcnow
from portal.enums import N_
from portal.training.models import Activity, ActivityStatus, Feedback, Nomination, NominationStatus, Trainer
from portal.training.services import TrainingError
from portal.training.services.pool import refresh_rating

SLUG = "training_feedback"


def feedback_definition(session: Session):
    """(published version, Definition) of the feedback questionnaire; published from the shipped YAML when there is
    none yet or the shipped file is a newer version than the latest stored (version 2: in French and German too), so
    that a version the secretariat published itself stays in use until the file moves past it."""
    from questionnaires.definitions import shipped
    from questionnaires.services.versions import definition_of, publish_definition, version_by_slug

    version = version_by_slug(session, SLUG)
    if version is None or version.number < shipped(SLUG).version:
        version = publish_definition(session, shipped(SLUG)).version
    return version, definition_of(version)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feedback_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/training/feedback/{token}"


def request_feedback(session: Session, actor, activity: Activity, base_url: str,
                     today: dt.date | None = None) -> list[Nomination]:
    """Mail each participant who attended (and has not answered) a one-time link to the feedback form."""
    today = today or dt.date.today()
    if activity.end_date > today:
        raise TrainingError("Feedback is asked for once the activity is over.", "feedback")
    feedback_definition(session)
    sent = []
    for n in activity.nominations:
        if n.status != NominationStatus.CONFIRMED or not n.attended or n.feedback is not None:
            continue
        token = secrets.token_urlsafe(24)
        n.feedback_token_hash = _hash(token)
        n.feedback_requested_at = utcnow()
        mail.queue_template(session, n.nominee_email, "training/mail/feedback_request.txt", activity=activity,
                            nomination=n, url=feedback_url(base_url, token))
        sent.append(n)
    if activity.status != ActivityStatus.HELD and activity.status != ActivityStatus.CANCELLED:
        activity.status = ActivityStatus.HELD
    audit.record(session, actor=actor, area="training", action=AuditAction.DISCLOSURE, object_type="training_activity",
                 object_id=activity.id, recipients=[n.nominee_email for n in sent],
                 details={"event": "feedback requested", "count": len(sent)})
    return sent


def nomination_for_token(session: Session, token: str) -> Nomination | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(select(Nomination).where(Nomination.feedback_token_hash == _hash(token)))


class InvalidFeedback(TrainingError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(N_("Some answers need attention."), next(iter(errors), None))
        self.errors = errors


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def submit_feedback(session: Session, nomination: Nomination, values: dict[str, object],
                    parse_errors: dict[str, str] | None = None) -> Feedback:
    """Validate with the engine's rules and store; the activity's trainers get their rating refreshed."""
    from questionnaires.services.validation import effective_answers, problems_for_submit

    if nomination.feedback is not None:
        raise TrainingError("Feedback for this activity has already been given with this link.", "feedback")
    version, definition = feedback_definition(session)
    errors = dict(parse_errors or {})
    for problem in problems_for_submit(definition, values):
        errors.setdefault(problem.question_id, problem.message)
    if errors:
        raise InvalidFeedback(errors)
    answers = effective_answers(definition, values)
    fb = Feedback(nomination=nomination, activity_id=nomination.activity_id, definition_version=version.number,
                  questionnaire_version_id=version.id, answers=answers,
                  overall_rating=_int(answers.get("overall_rating")), trainer_rating=_int(answers.get("trainer_rating")))
    session.add(fb)
    nomination.feedback_token_hash = None  # the link works once
    session.flush()
    for trainer in nomination.activity.trainers:
        refresh_rating(session, trainer)
    audit.record(session, area="training", action=AuditAction.COLLECTION, object_type="training_feedback",
                 object_id=fb.id, details={"activity": nomination.activity_id})
    return fb


# summaries --------------------------------------------------------------------------------------
@dataclass
class FeedbackSummary:
    responses: int
    participants: int
    overall: float | None
    trainer: float | None
    organisation: float | None
    recommend_share: float | None
    relevance: Counter = field(default_factory=Counter)
    duration: Counter = field(default_factory=Counter)
    follow_up: Counter = field(default_factory=Counter)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (question label, text)

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.participants if self.participants else None


def _avg(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(mean(values), 2) if values else None


def summarise(session: Session, feedback: list[Feedback], participants: int) -> FeedbackSummary:
    _, definition = feedback_definition(session)
    questions = definition.question_map
    s = FeedbackSummary(len(feedback), participants, _avg(f.overall_rating for f in feedback),
                        _avg(f.trainer_rating for f in feedback),
                        _avg(_int(f.answers.get("organisation_rating")) for f in feedback),
                        None)
    recommend = [f.answers.get("would_recommend") for f in feedback if f.answers.get("would_recommend")]
    s.recommend_share = (sum(1 for r in recommend if r == "yes") / len(recommend)) if recommend else None
    for f in feedback:
        a = f.answers
        if a.get("relevance"):
            s.relevance[questions["relevance"].choice_label(a["relevance"])] += 1
        if a.get("duration"):
            s.duration[questions["duration"].choice_label(a["duration"])] += 1
        for v in a.get("follow_up_topics") or []:
            s.follow_up[questions["follow_up_topics"].choice_label(v)] += 1
        for qid in ("most_useful", "to_improve", "low_rating_reason"):
            if a.get(qid):
                s.comments.append((questions[qid].label.get("en", qid), a[qid]))
    return s


def activity_summary(session: Session, activity: Activity) -> FeedbackSummary:
    feedback = list(session.scalars(select(Feedback).where(Feedback.activity_id == activity.id)))
    attended = sum(1 for n in activity.nominations if n.status == NominationStatus.CONFIRMED and n.attended)
    return summarise(session, feedback, attended)


@dataclass
class TrainerActivityRating:
    activity: Activity
    responses: int
    trainer: float | None


def trainer_summary(session: Session, trainer: Trainer) -> list[TrainerActivityRating]:
    out = []
    for activity in trainer.activities:
        ratings = list(session.scalars(select(Feedback.trainer_rating).where(Feedback.activity_id == activity.id,
                                                                              Feedback.trainer_rating.is_not(None))))
        out.append(TrainerActivityRating(activity, len(ratings), _avg(ratings)))
    return out
