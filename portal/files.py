"""Uploads: size limit, type sniffed from the content, stored once by SHA-256 outside the web root.

A stored file belongs to the domain object that references it; who may download it is decided
by that domain's policy, never by knowing the file's id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import unicodedata
import zipfile
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow
from portal.enums import N_
from portal.errors import RuleError

# What we accept, by detected type; the client's Content-Type and file name are not trusted.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}


class UploadError(RuleError):
    """An uploaded file refused (too large, a type not allowed, unreadable, ...): the user's bad input, shown
    beside the form's file field (`show_beside_field`) or answered 422 naming it by the API's handler."""

    code = "invalid_file"

    def __init__(self, message: str, field: str | None = "file", **params):
        super().__init__(message, field, **params)


class ScanNotConfirmed(UploadError):
    """A PDF without a text layer, uploaded without its uploader's word that it holds no classified marking."""

    def __init__(self, message: str, field: str | None = "scan_confirmed", **params):
        super().__init__(message, field, **params)


# A ZIP-based upload (DOCX, XLSX, ODT...) may unpack to at most this much: a deflated ZIP "bomb"
# unpacks about 1,000 times its size. zipfile stops reading an entry at the size the archive
# declares for it (and fails its CRC beyond), so checking the declared sizes bounds the work.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
_MIMETYPE_MAX = 100  # the "mimetype" entry of an OpenDocument file is one short line


def zip_problem(data: bytes, max_unzipped: int = MAX_UNZIPPED_BYTES) -> UploadError | None:
    """Why a ZIP container must be refused before anything reads it (None when it may be read): the refusal to
    raise, its catalogue `message` and `params` for a caller that reports it otherwise (an XLSForm import)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return UploadError(N_("The file is damaged (not a readable archive)."))
    if len(infos) > MAX_ZIP_ENTRIES:
        return UploadError(N_("The file holds more than %(count)s parts."), count=MAX_ZIP_ENTRIES)
    if sum(i.file_size for i in infos) > max_unzipped:
        return UploadError(N_("The file unpacks to more than %(size)s MB: it is refused."),
                           size=max_unzipped // (1024 * 1024))
    return None


class StoredFile(Base):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    mimetype: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


def sniff_type(data: bytes, filename: str = "") -> str | None:
    """The file's type from its first bytes (and, for ZIP containers, their content)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "mimetype" in names:
                    # read only the line the check needs, never the whole entry (it may be a bomb)
                    if zf.getinfo("mimetype").file_size > _MIMETYPE_MAX:
                        return None
                    with zf.open("mimetype") as entry:
                        kind = entry.read(_MIMETYPE_MAX).decode("ascii", "replace").strip()
                    return kind if kind in ALLOWED_TYPES else None
                if "word/document.xml" in names:
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                if "xl/workbook.xml" in names:
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if "ppt/presentation.xml" in names:
                    return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        except (zipfile.BadZipFile, ValueError, EOFError):
            return None
        return None
    if b"\x00" in data[:4096]:
        return None
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 65530:  # a cut multi-byte character at the end is fine
            return None
    return "text/csv" if filename.lower().endswith(".csv") else "text/plain"


def _safe_name(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/")).strip() or "file"
    return "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')[:200] or "file"


def store_upload(session: Session, folder: str, data: bytes, filename: str, *, max_bytes: int,
                 allowed: set[str] | None = None, user=None, scan_confirmed: bool | None = None) -> StoredFile:
    """Check and store one upload; the same content is written to disk once. `scan_confirmed`: a form that
    asks its uploader whether a PDF without a text layer (a scan) holds no classified marking passes the
    answer (False refuses such a PDF with portal.markings.SCAN_NOTE); None: nobody to ask (mail intake)."""
    if not data:
        raise UploadError(N_("The file is empty."))
    if len(data) > max_bytes:
        raise UploadError(N_("The file is larger than %(size)s MB."), size=max_bytes // (1024 * 1024))
    if data.startswith(b"PK\x03\x04") and (refused := zip_problem(data)):
        raise refused
    kind = sniff_type(data, filename)
    permitted = allowed or set(ALLOWED_TYPES)
    if kind is None or kind not in permitted:
        names = ", ".join(sorted({ALLOWED_TYPES[t] for t in permitted if t in ALLOWED_TYPES}))
        raise UploadError(N_("This type of file is not accepted (allowed: %(types)s)."), types=names)
    from portal.markings import SCAN_NOTE, classified_in_file, needs_scan_confirmation

    if refused := classified_in_file(data, filename):
        raise UploadError(refused[0], **refused[1])
    if scan_confirmed is False and needs_scan_confirmation(data):
        raise ScanNotConfirmed(SCAN_NOTE)
    digest = hashlib.sha256(data).hexdigest()
    path = blob_path(folder, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    stored = StoredFile(sha256=digest, size=len(data), mimetype=kind, original_name=_safe_name(filename),
                        uploaded_by_id=getattr(user, "id", None))
    session.add(stored)
    session.flush()
    return stored


def blob_path(folder: str, digest: str) -> Path:
    return Path(folder) / digest[:2] / digest


def read_file(folder: str, stored: StoredFile) -> bytes:
    if stored.purged_at is not None:
        raise FileNotFoundError("the file was erased")
    return blob_path(folder, stored.sha256).read_bytes()


def purge(session: Session, folder: str, stored: StoredFile) -> None:
    """Erase a file irreversibly; the blob goes when no other live record uses the same content."""
    stored.purged_at = utcnow()
    session.flush()
    others = session.scalar(select(StoredFile.id).where(StoredFile.sha256 == stored.sha256,
                                                        StoredFile.purged_at.is_(None)).limit(1))
    if others is None:
        blob_path(folder, stored.sha256).unlink(missing_ok=True)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition of a download (RFC 6266): the name in UTF-8 (`filename*`, RFC 8187) for
    every browser, and an ASCII look-alike (`filename`) for the few clients that ignore `filename*`.

    Names with Polish, Greek or Cyrillic letters, quotes or backslashes would otherwise break the header
    (Latin-1 only) or cut the name at the quote."""
    name = "".join(ch for ch in (filename or "") if ch.isprintable()).strip() or "download"
    fallback = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch):
            continue  # é -> e
        fallback.append(ch if " " <= ch <= "~" and ch not in '"\\%;' else "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{''.join(fallback)}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_response(data: bytes, filename: str, mimetype: str, *, inline: bool = False):
    """The one way a view answers with a file: its name per RFC 6266, kept out of every cache
    (downloads hold personal or country data), and its content type with one charset for text."""
    from flask import Response  # the only Flask-aware function here; services never call it

    response = Response(data, content_type=_content_type(mimetype))
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _content_type(mimetype: str) -> str:
    base = mimetype.split(";", 1)[0].strip()
    if base.startswith("text/") and "charset" not in mimetype.lower():
        return f"{mimetype}; charset=utf-8"
    return mimetype
