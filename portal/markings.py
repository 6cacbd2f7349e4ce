"""Markings of network material, and the refusal of EU classified information.

The secretariat keeps the list of markings an author may choose (a network setting; default: none and
LIMITE). Every meeting, agenda item, meeting document, minutes, round and report carries one, printed in the
header or footer of every DOCX, PDF and XLSX made of it and shown on its page.

The portal holds unclassified and sensitive non-classified material only: a text or an upload marked as EU
classified information (RESTREINT UE/EU RESTRICTED, CONFIDENTIEL UE/EU CONFIDENTIAL, SECRET UE/EU SECRET,
TRÈS SECRET UE/EU TOP SECRET), in any case, spacing or accents, is refused with that reason
(`classified_marking`, `classified_in_file`, reading a PDF's metadata and text layer). A PDF without a text
layer (a scan) cannot be read: the form asks its uploader to confirm it holds no such marking
(`needs_scan_confirmation`).

    choices = marking_choices(session)            # [("", "None"), ("LIMITE", "LIMITE"), ...]
    problem = classified_problem(text)             # None, or the message to show beside the field
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
import zlib

from sqlalchemy.orm import Session

from portal import settings
from portal.enums import N_, say
from portal.errors import RuleError

log = logging.getLogger(__name__)
SETTING = "markings"
DEFAULT_MARKINGS = ["", "LIMITE"]
NONE_LABEL = "None"
MAX_LENGTH = 60

# The EU classification markings (Council Decision 2013/488/EU, Art. 2(2) and Annex III): RESTREINT UE/EU
# RESTRICTED, CONFIDENTIEL UE/EU CONFIDENTIAL, SECRET UE/EU SECRET, TRÈS SECRET UE/EU TOP SECRET, each level
# met in French or English and in either language's order ("CONFIDENTIAL UE", "EU CONFIDENTIEL" too).
_LEVELS = ("TRES SECRET", "TOP SECRET", "SECRET", "CONFIDENTIEL", "CONFIDENTIAL", "RESTREINT", "RESTRICTED")
_UE_FORMS = [f"{level} UE" for level in _LEVELS]
_EU_FORMS = [f"EU {level}" for level in _LEVELS]
# National markings of the procedural languages' states, listed as equivalents of the EU levels in the
# Decision's Appendix B (Germany; France before its 2021 reform). They are classified information too, not
# "sensitive non-classified": the portal refuses them the same way, naming them as national.
_NATIONAL_ANY_CASE = {"VS NUR FUR DEN DIENSTGEBRAUCH": "VS-NUR FÜR DEN DIENSTGEBRAUCH",
                      "VS NUR FUER DEN DIENSTGEBRAUCH": "VS-NUR FÜR DEN DIENSTGEBRAUCH",
                      "VS NFD": "VS-NfD", "VS VERTRAULICH": "VS-VERTRAULICH"}
_NATIONAL_WORDS = {"STRENG GEHEIM": "STRENG GEHEIM", "TRES SECRET DEFENSE": "TRÈS SECRET DÉFENSE",
                   "SECRET DEFENSE": "SECRET DÉFENSE", "CONFIDENTIEL DEFENSE": "CONFIDENTIEL DÉFENSE"}
_FORMS = sorted(_UE_FORMS + _EU_FORMS + list(_NATIONAL_ANY_CASE) + list(_NATIONAL_WORDS), key=len, reverse=True)
_CANONICAL = {form.replace(" ", ""): form for form in _UE_FORMS + _EU_FORMS}
_CANONICAL |= {form.replace(" ", ""): shown for form, shown in (_NATIONAL_ANY_CASE | _NATIONAL_WORDS).items()}
# Forms that prose never uses ("UE" is no English word; "VS-" is a German marking's prefix): found in any case.
_ANY_CASE = {form.replace(" ", "") for form in _UE_FORMS + list(_NATIONAL_ANY_CASE)}


def _spaced(form: str) -> str:
    """A marking's letters, each optionally followed by one space or line break: "RESTREINT UE",
    "RESTREINTUE", "EU\nSECRET" and the letter-spaced "R E S T R E I N T  U E" all match."""
    return "[ \n]?".join(form.replace(" ", ""))


_CLASSIFIED = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(_spaced(f) for f in _FORMS) + r")(?![A-Za-z0-9])",
                         re.IGNORECASE)


def _plain(text: str) -> str:
    """Accents off (très -> TRES), invisible characters (zero-width spaces, soft hyphens) dropped, separators
    (spaces of any kind, / - _ . · •) made one space and line breaks one line break; the case is kept:
    "restreint ue", "Confidential-UE", "U.E. SECRET" and "SECRET\u00a0UE" are read as the markings they are."""
    text = str(text or "")
    if not text.isascii():  # ASCII has no accent, no compatibility form and no invisible (Cf) character
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    text = re.sub(r"[\r\n\v\f\u0085\u2028\u2029]+", "\n", text)
    return re.sub(r"(?:[^\S\n]|[/_\-.\u00b7\u2022])+", " ", text)


def _stands_as_marking(text: str, found: re.Match) -> bool:
    """Whether a form that prose uses too ("the EU secret of success", "EU restricted access") is written as a
    marking: in capitals, as markings are printed, or standing as an item of its own (a line, a whole field,
    a list item, or after a label's colon: "Classification: EU Restricted")."""
    letters = found.group(0)
    if letters == letters.upper() or letters.replace(" ", "").replace("\n", "").upper() in _ANY_CASE:
        return True
    before = text[:found.start()].rstrip(" ")
    after = text[found.end():].lstrip(" ")
    return (not before or before[-1] in "\n:;,([") and (not after or after[0] in "\n,;)]")


def classified_marking(text: str) -> str | None:
    """The EU (or national) classification marking found in `text`, in its usual spelling, if any.

    A form in the French order ("RESTREINT UE", "secret ue") or a German "VS-" marking is found in any case
    and spacing; the English "EU SECRET", "EU RESTRICTED"... only where written as a marking (see
    `_stands_as_marking`), so that prose in which "EU" and "secret" merely meet passes. Text in capitals
    reading "THE EU SECRET OF SUCCESS" is refused: it cannot be told from a marking."""
    plain = _plain(text)
    for found in _CLASSIFIED.finditer(plain):
        if _stands_as_marking(plain, found):
            return _CANONICAL.get(re.sub(r"[ \n]", "", found.group(0)).upper())
    return None


def is_national(found: str) -> bool:
    return found not in _UE_FORMS and found not in _EU_FORMS


NATIONAL_REFUSAL = N_("Marked %(marking)s, a national classification: the portal holds unclassified and sensitive "
                      "non-classified material only, never classified information. Send it through an accredited "
                      "channel instead.")
EU_REFUSAL = N_("Marked %(marking)s: the portal holds unclassified and sensitive non-classified material only, "
                "never EU classified information. Send it through an accredited channel instead.")


def refusal_message(found: str) -> tuple[str, dict]:
    """The refusal of a text marked `found`: its catalogue message and values, for a rule error that shows it in
    the reader's language (`raise MeetingError(message, "title", **values)`)."""
    return (NATIONAL_REFUSAL if is_national(found) else EU_REFUSAL), {"marking": found}


def refusal(found: str) -> str:
    message, values = refusal_message(found)
    return say(message, **values)


def classified_refusal(*texts: str) -> tuple[str, dict] | None:
    """The refusal of these texts (`refusal_message`), or None."""
    for text in texts:
        if found := classified_marking(text):
            return refusal_message(found)
    return None


def classified_problem(*texts: str) -> str | None:
    """The reason to refuse these texts in the reader's language, or None."""
    refused = classified_refusal(*texts)
    return say(refused[0], **refused[1]) if refused else None


MAX_PDF_PAGES = 300


def _pdf_text(data: bytes) -> str:
    """The text of a PDF: its text layer as pypdf extracts it (fonts with a Unicode map, as Word and LibreOffice
    write them) and its metadata (title, subject, keywords...), plus the raw bytes and every Flate stream
    decompressed, as Latin-1 (for files pypdf cannot read; XMP metadata)."""
    layer, metadata = _pdf_layer(data)
    out = [layer, metadata, data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def _pdf_layer(data: bytes) -> tuple[str, str]:
    """(the text layer of the first MAX_PDF_PAGES pages, the document information) of a PDF; ("", "") when
    pypdf cannot read it."""
    try:
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        layer = "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])
        return layer, " ".join(str(v) for v in (reader.metadata or {}).values())
    except Exception as exc:  # noqa: BLE001 - a damaged or unusual PDF: the raw text is still read
        log.info("PDF text not extracted (%s); reading its raw text", type(exc).__name__)
        return "", ""


SCAN_NOTE = N_("This PDF has no text layer (a scan, or text drawn as pictures): the portal cannot read it for an EU "
                "classification marking. Tick the box to confirm that it holds none, and upload it again.")


def needs_scan_confirmation(data: bytes) -> bool:
    """A PDF in which no page has any text to read: only its uploader can tell that no page is marked."""
    if not data.startswith(b"%PDF"):
        return False
    layer, _ = _pdf_layer(data)
    return not "".join(layer.split())


def _zip_text(data: bytes) -> str:
    """The text of the XML parts of an Office or OpenDocument file (tags removed, so a marking split across
    runs of text is read whole)."""
    out = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if info.filename.endswith((".xml", ".rels")) and info.file_size <= 20 * 1024 * 1024:
                    out.append(re.sub(r"<[^>]+>", "", zf.read(info).decode("utf-8", "replace")))
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return ""
    return "".join(out)


def classified_in_file(data: bytes, filename: str = "") -> tuple[str, dict] | None:
    """The refusal of this upload (its name or its text is marked as EU classified: `refusal_message`), or None."""
    if refused := classified_refusal(filename):
        return refused
    if data.startswith(b"PK\x03\x04"):
        text = _zip_text(data)
    elif data.startswith(b"%PDF"):
        text = _pdf_text(data)
    else:
        text = data.decode("utf-8", "replace")
    return classified_refusal(text)


def clean(marking: str) -> str:
    return " ".join(str(marking or "").split())[:MAX_LENGTH]


def markings(session: Session) -> list[str]:
    """The markings an author may choose, '' (none) first."""
    kept = settings.get(session, SETTING, DEFAULT_MARKINGS)
    return [""] + [m for m in (clean(x) for x in kept) if m]


def marking_choices(session: Session, current: str = "") -> list[tuple[str, str]]:
    """(value, label) for a select; a marking no longer on the list but carried by the object stays offered."""
    values = markings(session)
    if current and current not in values:
        values.append(current)
    return [(m, m or NONE_LABEL) for m in values]


class MarkingError(RuleError):
    """A marking refused (a classified one): the user's bad input, about the list of markings (422)."""

    def __init__(self, message: str, field: str | None = "markings", **params):
        super().__init__(message, field, **params)


def set_markings(session: Session, lines: list[str], user) -> list[str]:
    """The secretariat's list (besides 'none', which is always offered); a classified one is refused."""
    from portal.security import has_control_characters

    kept: list[str] = []
    for line in lines:
        m = " ".join(str(line or "").split())
        if len(m) > MAX_LENGTH:  # refused, not cut short in silence
            raise MarkingError("A marking has at most %(max)s characters: “%(start)s…” is longer.",
                               max=MAX_LENGTH, start=m[:MAX_LENGTH])
        if has_control_characters(m):
            raise MarkingError("A marking is plain text: remove the control characters from “%(marking)s”.",
                               marking=m.encode("unicode_escape").decode("ascii"))
        if not m or m in kept:
            continue
        if refused := classified_refusal(m):
            raise MarkingError(refused[0], **refused[1])
        kept.append(m)
    settings.put(session, SETTING, kept, user)
    return [""] + kept


def marking_problem(session: Session, value: str, current: str = "") -> str | None:
    """Why `value` cannot be an object's marking (not on the secretariat's list), or None."""
    value = clean(value)
    if value and value != current and value not in markings(session):
        return say("Choose a marking from the list the secretariat keeps.")
    return classified_problem(value)
