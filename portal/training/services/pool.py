"""The core group (users with the trainer role) and the trainer pool: proposal, search, rating."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal import audit, policy
from portal.accounts.models import User
from portal.audit import AuditAction
from portal.directory.models import Country
from portal.training.models import (
    CoreGroupProfile,
    Feedback,
    ProposerKind,
    Trainer,
    TrainingTopic,
    activity_trainers,
)
from portal.training.services import TrainingError

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LANG = re.compile(r"[a-z]{2}")


# core group -----------------------------------------------------------------------------------
@dataclass
class CoreGroupMember:
    user: User
    profile: CoreGroupProfile | None

    @property
    def topics(self) -> list[TrainingTopic]:
        return self.profile.topics if self.profile else []


def core_group(session: Session) -> list[CoreGroupMember]:
    """Every active user with the trainer role, with their expertise."""
    users = session.scalars(select(User).where(policy.core_group_members())
                            .order_by(User.country_code, User.name))
    profiles = {p.user_id: p for p in session.scalars(
        select(CoreGroupProfile).options(selectinload(CoreGroupProfile.topics)))}
    return [CoreGroupMember(u, profiles.get(u.id)) for u in users]


def set_core_group_expertise(session: Session, actor, member: User, topic_ids: list[int], note: str) -> CoreGroupProfile:
    if not policy.is_core_group_member(member):
        raise TrainingError("Only users with the trainer role are members of the core group.", "topics")
    profile = session.get(CoreGroupProfile, member.id)
    if profile is None:
        profile = CoreGroupProfile(user_id=member.id)
        session.add(profile)
    profile.topics = _topics_by_id(session, topic_ids)
    profile.note = (note or "").strip()[:2000]
    audit.record(session, actor=actor, area="training", action=AuditAction.ALTERATION,
                 object_type="core_group_member", object_id=member.id, country_code=member.country_code,
                 details={"topics": [t.key for t in profile.topics]})
    return profile


def _topics_by_id(session: Session, topic_ids) -> list[TrainingTopic]:
    ids = {int(i) for i in topic_ids or []}
    found = list(session.scalars(select(TrainingTopic).where(TrainingTopic.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        raise TrainingError("Choose topics from the list.", "topics")
    return found


# trainer pool ---------------------------------------------------------------------------------
@dataclass
class TrainerInput:
    name: str
    country_code: str
    email: str = ""
    organisation: str = ""
    languages: str = ""
    availability: str = ""
    bio: str = ""
    topic_ids: list[int] = field(default_factory=list)


def _clean_languages(text: str) -> str:
    codes = [x.strip().lower() for x in re.split(r"[,\s]+", text or "") if x.strip()]
    bad = [c for c in codes if not LANG.fullmatch(c)]
    if bad:
        raise TrainingError("Use two-letter language codes separated by commas (not %(codes)s).",
                            "languages", codes=", ".join(bad))
    return ", ".join(dict.fromkeys(codes))


def _apply(session: Session, trainer: Trainer, data: TrainerInput) -> None:
    name = (data.name or "").strip()
    if not name:
        raise TrainingError("Give the trainer's name.", "name")
    email = (data.email or "").strip()
    if email and not EMAIL.fullmatch(email):
        raise TrainingError("This is not an email address.", "email")
    country = (data.country_code or "").upper()
    if session.get(Country, country) is None:
        raise TrainingError("Choose a country from the list.", "country_code")
    trainer.name, trainer.email, trainer.country_code = name[:200], email, country
    trainer.organisation = (data.organisation or "").strip()[:200]
    trainer.languages = _clean_languages(data.languages)
    trainer.availability = (data.availability or "").strip()[:2000]
    trainer.bio = (data.bio or "").strip()[:4000]
    trainer.topics = _topics_by_id(session, data.topic_ids)
    if not trainer.topics:
        raise TrainingError("Choose at least one area of expertise.", "topics")


def propose_trainer(session: Session, actor, data: TrainerInput) -> Trainer:
    """A Head of SPOC proposes a trainer of their own country; the core group or secretariat any trainer."""
    own = policy.acting_country(actor)
    if own and (data.country_code or "").upper() != own:
        raise TrainingError("A Head of SPOC proposes trainers of their own country.", "country_code")
    kind = ProposerKind(policy.proposes_as(actor))
    trainer = Trainer(proposed_by_kind=kind, proposed_by_id=actor.id)
    _apply(session, trainer, data)
    session.add(trainer)
    session.flush()
    audit.record(session, actor=actor, area="training", action=AuditAction.COLLECTION, object_type="trainer",
                 object_id=trainer.id, country_code=trainer.country_code,
                 details={"event": "trainer proposed", "by": kind.value})
    return trainer


def update_trainer(session: Session, actor, trainer: Trainer, data: TrainerInput, active: bool = True) -> Trainer:
    _apply(session, trainer, data)
    trainer.active = bool(active)
    audit.record(session, actor=actor, area="training", action=AuditAction.ALTERATION, object_type="trainer",
                 object_id=trainer.id, country_code=trainer.country_code)
    return trainer


@dataclass
class PoolFilter:
    q: str = ""
    topic_id: int | None = None
    language: str = ""
    country_code: str = ""
    min_rating: float | None = None
    include_inactive: bool = False


def search_trainers(session: Session, flt: PoolFilter) -> list[Trainer]:
    query = select(Trainer).options(selectinload(Trainer.topics), selectinload(Trainer.activities))
    if not flt.include_inactive:
        query = query.where(Trainer.active.is_(True))
    if flt.q.strip():
        like = f"%{flt.q.strip().lower()}%"
        query = query.where(or_(func.lower(Trainer.name).like(like), func.lower(Trainer.organisation).like(like),
                                func.lower(Trainer.bio).like(like),
                                Trainer.topics.any(func.lower(TrainingTopic.label).like(like))))
    if flt.topic_id:
        query = query.where(Trainer.topics.any(TrainingTopic.id == flt.topic_id))
    if flt.language.strip():
        code = flt.language.strip().lower()
        query = query.where(or_(Trainer.languages == code, Trainer.languages.like(f"{code}, %"),
                                Trainer.languages.like(f"%, {code}"), Trainer.languages.like(f"%, {code}, %")))
    if flt.country_code:
        query = query.where(Trainer.country_code == flt.country_code.upper())
    if flt.min_rating is not None:
        query = query.where(Trainer.rating >= flt.min_rating)
    return list(session.scalars(query.order_by(Trainer.name)))


def refresh_rating(session: Session, trainer: Trainer) -> None:
    """The trainer's rating: the mean trainer rating given in feedback on every activity they taught."""
    session.flush()
    mean, count = session.execute(
        select(func.avg(Feedback.trainer_rating), func.count(Feedback.trainer_rating))
        .join(activity_trainers, activity_trainers.c.activity_id == Feedback.activity_id)
        .where(activity_trainers.c.trainer_id == trainer.id, Feedback.trainer_rating.is_not(None))).one()
    trainer.rating_count = int(count or 0)
    trainer.rating = (Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                      if count else None)
