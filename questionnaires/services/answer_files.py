"""File answers: one upload checked by content against the question, and the stored file an answer names.

The answering page and the JSON API both store uploads through `store_answer_file`, so the
question's accepted types and size limit are applied the same way; the API's upload and removal
then save the answer through `responses.save_answers` like any other answer (revision, history).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import files
from questionnaires.definitions import Question
from questionnaires.models import Response
from questionnaires.services import StaleVersion
from questionnaires.services import responses as response_service


def size_limit_mb(question: Question, default_mb: float) -> float:
    """The question's own limit, never above the portal's."""
    return min(question.max_size_mb or default_mb, default_mb)


def store_answer_file(session: Session, folder: str, question: Question, data: bytes, filename: str, *,
                      default_mb: float, user=None, scan_confirmed: bool | None = None) -> dict:
    """Check one upload against the question (type by content, size) and store it; the answer value
    that names it. Raises files.UploadError (nothing stored). `scan_confirmed`: the uploader's word that a
    PDF without a text layer holds no EU classified marking (portal.files.store_upload)."""
    stored = files.store_upload(session, folder, data, filename,
                                max_bytes=int(size_limit_mb(question, default_mb) * 1024 * 1024),
                                allowed=set(question.accept) or None, user=user, scan_confirmed=scan_confirmed)
    return {"file_id": stored.id, "name": stored.original_name}


def stored_files(session: Session, values: dict[str, object]) -> dict[int, files.StoredFile]:
    """{file_id: StoredFile} of the file answers among `values` whose file is still there (one query; an
    erased file is left out, so that nothing offers to download it)."""
    ids = {v["file_id"] for v in values.values() if isinstance(v, dict) and isinstance(v.get("file_id"), int)}
    if not ids:
        return {}
    return {f.id: f for f in session.scalars(select(files.StoredFile).where(files.StoredFile.id.in_(ids),
                                                                            files.StoredFile.purged_at.is_(None)))}


def current_file(session: Session, response: Response, question_id: str) -> files.StoredFile | None:
    """The live stored file the answer names now (None: no file, or it was erased)."""
    value = response_service.answer_values(response).get(question_id)
    if not isinstance(value, dict) or not isinstance(value.get("file_id"), int):
        return None
    stored = session.get(files.StoredFile, value["file_id"])
    return stored if stored is not None and stored.purged_at is None else None


def prepare_change(session: Session, response: Response, expected_version: int) -> None:
    """Lock the response and refuse before anything is stored: Locked, or StaleVersion."""
    response_service.lock(session, response)
    response_service.ensure_editable(response)
    if expected_version != response.version:
        raise StaleVersion("Someone saved this response since you read it: read it again, then save.")


def set_file_answer(session: Session, response: Response, question: Question, value: dict | None, actor, *,
                    expected_version: int, via: str = "api", lang: str = "en") -> None:
    """Save (or, with None, remove) a file answer as any other answer: revision and history."""
    response_service.save_answers(session, response, actor, {question.id: value},
                                  expected_version=expected_version, via=via, lang=lang)
