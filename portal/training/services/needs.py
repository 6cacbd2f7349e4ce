"""Training needs: each country's latest submitted answer to the questionnaire's training-needs question,
as a matrix topic x country beside what has been offered, with the gaps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.directory.models import Country
from portal.training.models import Activity, ActivityStatus, Nomination, NominationStatus, TrainingTopic
from portal.training.services.topics import topics as active_topics

QUESTIONNAIRE = "spoc_structures"
NEEDS_TAG = "training_needs"


def latest_needs(session: Session) -> dict[str, dict]:
    """{country: {"choices": [values], "submitted_at", "round"}} from each country's latest submitted response."""
    from questionnaires.models import (
        Answer,
        Questionnaire,
        QuestionnaireVersion,
        Response,
        ResponseStatus,
        Round,
    )
    from questionnaires.services.versions import definition_of

    rows = session.execute(
        select(Response, QuestionnaireVersion, Round.title)
        .join(Round, Round.id == Response.round_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Round.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(Questionnaire.slug == QUESTIONNAIRE, Response.status == ResponseStatus.SUBMITTED)
        .order_by(Response.country_code, Response.submitted_at.desc(), Response.id.desc())).all()
    latest: dict[str, tuple] = {}
    for response, version, title in rows:
        latest.setdefault(response.country_code, (response, version, title))
    if not latest:
        return {}
    answers = defaultdict(dict)
    for a in session.scalars(select(Answer).where(Answer.response_id.in_([r.id for r, _, _ in latest.values()]))):
        answers[a.response_id][a.question_id] = a.value
    out = {}
    for cc, (response, version, title) in latest.items():
        definition = definition_of(version)
        tagged = [q.id for q in definition.questions if NEEDS_TAG in q.tags]
        chosen: list[str] = []
        for qid in tagged:
            value = answers[response.id].get(qid)
            if isinstance(value, list):
                chosen += [str(v) for v in value]
        out[cc] = {"choices": sorted(set(chosen)), "submitted_at": response.submitted_at, "round": title}
    return out


@dataclass
class NeedsMatrix:
    topics: list[TrainingTopic]
    countries: list[Country]  # the countries with a submitted answer
    need: dict[str, dict[str, bool]]  # country -> topic key -> needed
    offered: dict[str, int]  # topic key -> activities offered (not cancelled)
    covered: dict[str, dict[str, int]]  # country -> topic key -> confirmed participants
    sources: dict[str, dict] = field(default_factory=dict)

    def countries_needing(self, key: str) -> int:
        return sum(1 for cc in self.need if self.need[cc].get(key))

    def is_gap(self, cc: str, key: str) -> bool:
        """Needed by the country and none of its staff confirmed on an activity of that topic."""
        return bool(self.need.get(cc, {}).get(key)) and not self.covered.get(cc, {}).get(key)

    def topic_gap(self, key: str) -> bool:
        """Needed by some country and no activity offered at all."""
        return self.countries_needing(key) > 0 and not self.offered.get(key)

    @property
    def gap_count(self) -> int:
        return sum(1 for cc in self.need for t in self.topics if self.is_gap(cc, t.key))

    def as_api(self) -> dict:
        return {"topics": [t.key for t in self.topics],
                "countries": {cc: {t.key: bool(self.need[cc].get(t.key)) for t in self.topics}
                              for cc in sorted(self.need)}}


def needs_matrix(session: Session, country_codes: set[str] | None = None) -> NeedsMatrix:
    """The matrix over the active topics mapped to a questionnaire choice; `country_codes` limits the rows."""
    topic_list = [t for t in active_topics(session) if t.needs_choice]
    sources = latest_needs(session)
    if country_codes is not None:
        sources = {cc: v for cc, v in sources.items() if cc in country_codes}
    need = {cc: {t.key: t.needs_choice in src["choices"] for t in topic_list} for cc, src in sources.items()}
    countries = list(session.scalars(select(Country).where(Country.code.in_(list(need))).order_by(Country.code)))
    offered = dict(session.execute(
        select(TrainingTopic.key, func.count(Activity.id)).join(Activity, Activity.topic_id == TrainingTopic.id)
        .where(Activity.status != ActivityStatus.CANCELLED).group_by(TrainingTopic.key)).all())
    covered: dict[str, dict[str, int]] = defaultdict(dict)
    for cc, key, n in session.execute(
            select(Nomination.country_code, TrainingTopic.key, func.count(Nomination.id))
            .join(Activity, Activity.id == Nomination.activity_id)
            .join(TrainingTopic, TrainingTopic.id == Activity.topic_id)
            .where(Nomination.status == NominationStatus.CONFIRMED,
                   Activity.status != ActivityStatus.CANCELLED)
            .group_by(Nomination.country_code, TrainingTopic.key)):
        covered[cc][key] = n
    return NeedsMatrix(topic_list, countries, need, offered, dict(covered), sources)
