"""Fixtures of the training tests: the topic list, and factories for trainers, activities and nominations."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select

from portal.training.models import Activity, Nomination, Trainer, TrainingTopic
from portal.training.services.topics import seed_topics

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _topics(app):
    """The default topic list (the migration seeds it; the test database is wiped between tests)."""
    with app.extensions["spoc_db"].unit_of_work() as session:
        seed_topics(session)


@pytest.fixture
def uow(app):
    return app.extensions["spoc_db"].unit_of_work


def topic_id(session, key: str) -> int:
    return session.scalar(select(TrainingTopic.id).where(TrainingTopic.key == key))


@pytest.fixture
def make_trainer(uow):
    def make(name="Ann Trainer", country="BE", topics=("siena",), languages="en, fr", **kw) -> int:
        with uow() as s:
            t = Trainer(name=name, country_code=country, languages=languages, proposed_by_kind="core_group",
                        topics=list(s.scalars(select(TrainingTopic).where(TrainingTopic.key.in_(topics)))), **kw)
            s.add(t)
            s.flush()
            return t.id
    return make


@pytest.fixture
def make_activity(uow):
    def make(title="SIENA basics", start=None, days=2, status="open", capacity=10, quota=None, topic="siena",
             trainers=(), fmt="classroom", place="Brussels", **kw) -> int:
        start = start or TODAY + dt.timedelta(days=30)
        with uow() as s:
            a = Activity(title=title, format=fmt, start_date=start, end_date=start + dt.timedelta(days=days - 1),
                         place=place, capacity=capacity, country_quota=quota, status=status,
                         topic_id=topic_id(s, topic) if topic else None,
                         trainers=[s.get(Trainer, t) for t in trainers], **kw)
            s.add(a)
            s.flush()
            return a.id
    return make


@pytest.fixture
def make_nomination(uow):
    counter = {"n": 0}

    def make(activity_id: int, country="BE", status="confirmed", attended=None, name=None) -> int:
        counter["n"] += 1
        with uow() as s:
            n = Nomination(activity_id=activity_id, country_code=country, status=status, attended=attended,
                           nominee_name=name or f"Nominee {counter['n']}",
                           nominee_email=f"nominee{counter['n']}.{country.lower()}@spoc.test")
            s.add(n)
            s.flush()
            return n.id
    return make


@pytest.fixture
def submit_needs(uow):
    """submit_needs({cc: [choices]}, title=...) publishes the shipped questionnaire, opens a round and submits a
    complete response per country whose training-needs answer is the given list (real engine services)."""
    from questionnaires.definitions import shipped
    from questionnaires.demo import generate_answers
    from questionnaires.services import responses, rounds, versions

    def submit(needs: dict[str, list[str]], title: str = "Structures 2026") -> None:
        with uow() as s:
            definition = shipped("spoc_structures")
            version = versions.publish_definition(s, definition).version
            round_ = rounds.open_round(s, version, title=title, deadline=TODAY + dt.timedelta(days=10),
                                       countries=list(needs), actor=None)
            for cc, choices in needs.items():
                response = responses.get_response(s, round_, cc)
                values = generate_answers(definition, random.Random(f"{title}-{cc}"), country=cc)
                values["training_needs"] = choices
                values.pop("training_needs_other", None)
                responses.save_answers(s, response, None, values, via="demo")
                assert not responses.submit(s, response, None)
    return submit
