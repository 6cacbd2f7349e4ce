"""Publishing questionnaire definitions as immutable versions, and reading them back."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit
from portal.db import utcnow
from questionnaires.definitions import Definition, load_definition, tr
from questionnaires.models import Questionnaire, QuestionnaireVersion

_CACHE: dict[tuple[int, str], Definition] = {}


def content_hash(definition: Definition) -> str:
    """The hash of what a definition asks, ignoring its version number."""
    data = definition.model_dump(mode="json")
    data.pop("version", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def definition_of(version: QuestionnaireVersion) -> Definition:
    """The typed definition of a stored version (cached: published versions never change)."""
    key = (version.id, version.content_hash)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 64:
            _CACHE.clear()
        found = _CACHE[key] = load_definition(version.definition)
    return found


@dataclass(frozen=True)
class Published:
    version: QuestionnaireVersion
    created: bool  # False: the same content was already the latest version


def publish_definition(session: Session, definition: Definition, actor=None) -> Published:
    """Store `definition` as the next published version of its questionnaire, unless unchanged.

    The version number in the file is advisory: the stored number is always latest+1, so an
    edited file never overwrites what rounds already answered."""
    questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == definition.id))
    if questionnaire is None:
        questionnaire = Questionnaire(slug=definition.id, title=tr(definition.title))
        session.add(questionnaire)
        session.flush()
    digest = content_hash(definition)
    latest = latest_version(session, questionnaire.id)
    if latest is not None and latest.content_hash == digest and latest.published:
        return Published(latest, False)
    number = (latest.number if latest else 0) + 1
    data = definition.model_dump(mode="json", exclude_defaults=True)
    data["version"] = number
    version = QuestionnaireVersion(questionnaire_id=questionnaire.id, number=number, definition=data,
                                   content_hash=digest, published=True, published_at=utcnow(),
                                   created_by_id=getattr(actor, "id", None))
    questionnaire.title = tr(definition.title)
    session.add(version)
    session.flush()
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ADMIN,
                 object_type="questionnaire_version", object_id=str(version.id),
                 details={"event": "published", "slug": definition.id, "number": number})
    return Published(version, True)


def latest_version(session: Session, questionnaire_id: int) -> QuestionnaireVersion | None:
    return session.scalar(select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
                          .order_by(QuestionnaireVersion.number.desc()).limit(1))


def published_versions(session: Session) -> list[QuestionnaireVersion]:
    return list(session.scalars(select(QuestionnaireVersion).where(QuestionnaireVersion.published.is_(True))
                                .join(Questionnaire).order_by(Questionnaire.slug, QuestionnaireVersion.number)))


def version_by_slug(session: Session, slug: str, number: int | None = None) -> QuestionnaireVersion | None:
    stmt = (select(QuestionnaireVersion).join(Questionnaire).where(Questionnaire.slug == slug,
                                                                   QuestionnaireVersion.published.is_(True)))
    if number is not None:
        stmt = stmt.where(QuestionnaireVersion.number == number)
    return session.scalar(stmt.order_by(QuestionnaireVersion.number.desc()).limit(1))


def question_count(version: QuestionnaireVersion) -> int:
    return len(definition_of(version).questions)


def version_count(session: Session) -> int:
    return session.scalar(select(func.count(QuestionnaireVersion.id))) or 0
