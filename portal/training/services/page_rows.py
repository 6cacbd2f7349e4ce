"""The rows a training activity's page is made of, as the driver returns them: the key under which its body
is kept (portal/training/views/activity_body.py, issue 24). Whole rows, so a change of any column of the
activity, its topic, opportunity, trainers, nominations, feedback, budget or cost lines, of an overlapping
activity, of the default quota or of the feedback questionnaire's published version changes the key,
whoever wrote it (another app server, a plain statement)."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, or_, select

from portal.db import Prepared
from portal.directory.models import Country
from portal.funding.models import Budget, CostLine
from portal.training.models import (
    Activity,
    ActivityStatus,
    Feedback,
    Nomination,
    Opportunity,
    Trainer,
    TrainingSettings,
    TrainingTopic,
    activity_trainers,
)

_STATEMENTS: dict[str, Prepared] = {}


def _statements() -> dict[str, Prepared]:
    from portal.training.services.feedback import SLUG
    from portal.training.services.funding import SUBJECT
    from questionnaires.models import Questionnaire, QuestionnaireVersion

    acts, topics, opps = Activity.__table__, TrainingTopic.__table__, Opportunity.__table__
    trainers, nominations, feedback = Trainer.__table__, Nomination.__table__, Feedback.__table__
    activity_id = bindparam("activity_id")
    quota = select(TrainingSettings.__table__.c.default_quota).where(TrainingSettings.__table__.c.id == 1)
    a1, a2 = activity_trainers.alias("a1"), activity_trainers.alias("a2")
    x, y = acts.alias("x"), acts.alias("y")
    cancelled = ActivityStatus.CANCELLED.value
    versions, questionnaires = QuestionnaireVersion.__table__, Questionnaire.__table__
    budgets, lines = Budget.__table__, CostLine.__table__
    countries = Country.__table__
    statements = {
        # the activity (its title first), its topic, its opportunity and the default quota of the settings
        "activity": select(acts.c.title, acts, topics, opps.c.id, opps.c.title, quota.scalar_subquery())
        .outerjoin(topics, topics.c.id == acts.c.topic_id).outerjoin(opps, opps.c.id == acts.c.opportunity_id)
        .where(acts.c.id == activity_id),
        "trainers": select(trainers).join(activity_trainers, activity_trainers.c.trainer_id == trainers.c.id)
        .where(activity_trainers.c.activity_id == activity_id).order_by(trainers.c.id),
        # the other activities a trainer of this one is booked on at overlapping dates (as services.activities.trainer_overlaps finds them)
        "overlaps": select(a1.c.trainer_id, y)
        .join(a2, and_(a1.c.trainer_id == a2.c.trainer_id, a1.c.activity_id != a2.c.activity_id))
        .join(x, x.c.id == a1.c.activity_id).join(y, y.c.id == a2.c.activity_id)
        .where(a1.c.activity_id == activity_id, x.c.start_date <= y.c.end_date, y.c.start_date <= x.c.end_date,
               x.c.status != cancelled, y.c.status != cancelled).order_by(a1.c.trainer_id, y.c.id),
        "nominations": select(nominations).where(nominations.c.activity_id == activity_id)
        .order_by(nominations.c.id),
        # the activity's feedback and any feedback of its nominations (a participant's answered or not)
        "feedback": select(feedback).where(or_(
            feedback.c.activity_id == activity_id,
            feedback.c.nomination_id.in_(select(nominations.c.id).where(nominations.c.activity_id == activity_id))))
        .order_by(feedback.c.id),
        # the feedback questionnaire's published version its summary labels come from
        "questionnaire": select(versions.c.id, versions.c.number, versions.c.content_hash)
        .join(questionnaires, questionnaires.c.id == versions.c.questionnaire_id)
        .where(questionnaires.c.slug == SLUG, versions.c.published.is_(True))
        .order_by(versions.c.number.desc()).limit(1),
        "funding": select(budgets, lines).outerjoin(lines, lines.c.budget_id == budgets.c.id)
        .where(budgets.c.subject_type == SUBJECT, budgets.c.subject_id == activity_id).order_by(lines.c.id),
        "countries": select(countries.c.code, countries.c.name).order_by(countries.c.name, countries.c.code),
    }
    return {name: Prepared(s, raw=True) for name, s in statements.items()}


def activity_page_rows(session, activity_id: int, *, feedback: bool, funding: bool, countries: bool) -> tuple | None:
    """The activity's rows (None when there is no such activity); with `feedback` the feedback questionnaire's
    version, with `funding` the budget and its cost lines, with `countries` the countries one may nominate for
    (the rows of what the page shows to the user; nothing of what it does not)."""
    if not _STATEMENTS:
        _STATEMENTS.update(_statements())
    conn = session.connection()
    params = {"activity_id": activity_id}
    activity = _STATEMENTS["activity"].key_rows(conn, params)
    if not activity:
        return None
    names = ["trainers", "overlaps", "nominations", "feedback"]
    names += ["questionnaire"] * feedback + ["funding"] * funding + ["countries"] * countries
    return (activity, *((name, _STATEMENTS[name].key_rows(conn, {} if name in ("questionnaire", "countries")
                                                                  else params)) for name in names))
