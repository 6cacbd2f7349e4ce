"""The managed list of training topics (expertise areas) and the run-time training settings."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit
from portal.audit import AuditAction
from portal.training.models import TrainingSettings, TrainingTopic
from portal.training.services import TrainingError

# (key, label, questionnaire training-needs choice it answers). The keys follow the choice values of
# `training_needs` in questionnaires/definitions/spoc_structures.yaml, so the needs matrix maps 1:1.
DEFAULT_TOPICS = (
    ("siena", "SIENA", "siena"),
    ("sis_sirene", "SIS / SIRENE", "sis_sirene"),
    ("interpol_channels", "INTERPOL channels and databases", "interpol_channels"),
    ("directive_2023_977", "Directive (EU) 2023/977", "directive_2023_977"),
    ("data_protection", "Data protection", "data_protection"),
    ("languages", "Languages", "languages"),
    ("analysis", "Analysis of information", "analysis"),
    ("case_management", "Case management", "case_management"),
    ("cross_check", "Cross-checking and database searches", "cross_check"),
)
DEFAULT_QUOTA = 2
KEY = re.compile(r"[a-z][a-z0-9_]{1,39}")


def seed_topics(session: Session) -> int:
    """Add the default topics that are missing (by key); returns how many were added."""
    known = set(session.scalars(select(TrainingTopic.key)))
    added = 0
    for position, (key, label, choice) in enumerate(DEFAULT_TOPICS, start=1):
        if key not in known:
            session.add(TrainingTopic(key=key, label=label, needs_choice=choice, position=position * 10))
            added += 1
    session.flush()
    return added


def topics(session: Session, active_only: bool = True) -> list[TrainingTopic]:
    query = select(TrainingTopic).order_by(TrainingTopic.position, TrainingTopic.label)
    if active_only:
        query = query.where(TrainingTopic.active.is_(True))
    return list(session.scalars(query))


def add_topic(session: Session, actor, *, label: str, key: str = "", needs_choice: str | None = None) -> TrainingTopic:
    label = (label or "").strip()
    if not label:
        raise TrainingError("Give the topic a name.", "label")
    key = (key or "").strip().lower() or re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40]
    if not KEY.fullmatch(key):
        raise TrainingError("The key must start with a letter and use only a-z, 0-9 and _ (2-40 characters).",
                            "key")
    if session.scalar(select(TrainingTopic.id).where(TrainingTopic.key == key)) is not None:
        raise TrainingError("A topic with the key “%(key)s” exists already.", "key", key=key)
    if session.scalar(select(TrainingTopic.id).where(func.lower(TrainingTopic.label) == label.lower())):
        raise TrainingError("A topic with this name exists already.", "label")
    position = (session.scalar(select(func.max(TrainingTopic.position))) or 0) + 10
    topic = TrainingTopic(key=key, label=label, needs_choice=(needs_choice or None), position=position)
    session.add(topic)
    session.flush()
    audit.record(session, actor=actor, area="training", action=AuditAction.ADMIN, object_type="training_topic",
                 object_id=topic.id, details={"event": "topic added", "key": key, "label": label})
    return topic


def update_topic(session: Session, actor, topic: TrainingTopic, *, label: str, active: bool,
                 needs_choice: str | None) -> TrainingTopic:
    label = (label or "").strip()
    if not label:
        raise TrainingError("Give the topic a name.", "label")
    clash = session.scalar(select(TrainingTopic.id).where(func.lower(TrainingTopic.label) == label.lower(),
                                                          TrainingTopic.id != topic.id))
    if clash:
        raise TrainingError("A topic with this name exists already.", "label")
    topic.label, topic.active, topic.needs_choice = label, bool(active), (needs_choice or None)
    audit.record(session, actor=actor, area="training", action=AuditAction.ADMIN, object_type="training_topic",
                 object_id=topic.id, details={"event": "topic changed", "label": label, "active": bool(active)})
    return topic


def settings(session: Session) -> TrainingSettings:
    """The settings row (defaults in code until the secretariat saves them)."""
    row = session.get(TrainingSettings, 1)
    return row if row is not None else TrainingSettings(id=1, default_quota=DEFAULT_QUOTA)


def set_default_quota(session: Session, actor, quota: int) -> TrainingSettings:
    if quota is None or quota < 1 or quota > 100:
        raise TrainingError("The quota must be a whole number between 1 and 100.", "default_quota")
    row = session.get(TrainingSettings, 1)
    if row is None:
        row = TrainingSettings(id=1, default_quota=quota)
        session.add(row)
    row.default_quota = quota
    audit.record(session, actor=actor, area="training", action=AuditAction.ADMIN, object_type="training_settings",
                 object_id=1, details={"default_quota": quota})
    return row
