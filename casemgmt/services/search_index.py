"""The search documents of the search across cases (issue 17, point 3): the words of a case, written by
the services that change its text (`reindex_case`; the intake and the import write a new case's with
`write_new_documents`), and the full-text index's own storage (`purge_erased`, `index_storage_text`,
`reindex_all`). casemgmt/services/search.py reads them; its module text says how."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from casemgmt.models import (
    Address,
    BankAccount,
    Case,
    CaseSearchDoc,
    Company,
    CryptoAddress,
    Document,
    Email,
    ExternalReference,
    Handle,
    IpAddress,
    Message,
    Note,
    Person,
    Phone,
    Vehicle,
)
from portal.db import Prepared

# ------------------------------------------------------------------------------------ words
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(value: str | None) -> list[str]:
    """Folded words without accents: what the index holds and what a query looks for. Both
    databases then only split on spaces, so SQLite and PostgreSQL find the same cases."""
    if value is None or value.isascii():  # NFKC, NFKD and the accents change no ASCII text: casefold alone
        return _WORD.findall(value.lower()) if value else []
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", value or "").casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def text_words(value: str | None) -> tuple[list[str], list[str]]:
    """A text's words in order, and the references it quotes as one word each ("SIENA-2026/1234" is
    also "siena20261234"): a reference is looked up as that one word, not as a phrase of words
    that every other reference has too (bench/search.py)."""
    found = words(value)
    joined = [compact(chunk) for chunk in (value or "").split() if _is_reference(chunk)]
    # a word of another script (Иванов) also in the Latin spelling the cross-check gives it
    joined += [latin for w in found if not w.isascii() and (latin := _latin(w))]
    return found, [w for w in joined if w]


def _latin(word: str) -> str:
    from casemgmt.crosscheck.normalise import token_spellings

    spelt = words(token_spellings(word).canonical)
    return spelt[0] if len(spelt) == 1 and spelt[0] != word else ""


def _is_reference(chunk: str) -> bool:
    return len(words(chunk)) > 1 and any(ch.isdigit() for ch in chunk)


def compact(value: str | None) -> str:
    """An identifier as the cross-check compares it (A-Z0-9), as one lower-case word."""
    from casemgmt.crosscheck.normalise import normalise_identifier

    return normalise_identifier(value).lower()


def name_spellings(value: str | None) -> set[str]:
    """Every Latin spelling the cross-check gives each word of a name (and the word as written)."""
    from casemgmt.crosscheck.normalise import raw_tokens, token_spellings

    out: set[str] = set()
    for token in raw_tokens(value):
        out.update(words(token))
        for spelt in token_spellings(token):
            out.update(words(spelt))
    return out


def _phone_word(number: str | None, country: str | None) -> str:
    from casemgmt.crosscheck.normalise import NormalisationError, normalise_phone

    try:
        return normalise_phone(number, country).lstrip("+")
    except NormalisationError:
        return ""


def _entity_words(entity, country: str) -> list[str]:
    """What the index holds of one entity: its words, and its identifiers as the cross-check writes them."""
    if isinstance(entity, Person):
        return sorted(name_spellings(f"{entity.surname} {entity.given_names}"))
    if isinstance(entity, Document):
        return [compact(entity.number), *words(entity.number)]
    if isinstance(entity, Vehicle):
        return [compact(entity.plate), compact(entity.vin), *words(entity.plate)]
    if isinstance(entity, Phone):
        return [_phone_word(entity.number, country), *words(entity.number)]
    if isinstance(entity, Email):
        return words(entity.address)
    if isinstance(entity, BankAccount):
        return [compact(entity.iban), compact(entity.bic), *sorted(name_spellings(entity.holder))]
    if isinstance(entity, Company):
        return words(entity.name)
    if isinstance(entity, Address):
        return words(f"{entity.street} {entity.number} {entity.postcode} {entity.city}")
    if isinstance(entity, IpAddress | CryptoAddress):
        return [compact(entity.address), *words(entity.address)]
    if isinstance(entity, Handle):
        return words(entity.handle)
    return []


def document_text(case: Case, messages: list[Message], notes: list[Note], references: list[str],
                  entities: list) -> str:
    """The case's search document in one line: its texts' words in order (phrases are found), then
    the names' other spellings and the identifiers, each once."""
    return with_number(case.registration_number, document_parts(case, messages, notes, references, entities))


def document_parts(case: Case, messages: list[Message], notes: list[Note], references: list[str],
                   entities: list) -> tuple[list[str], dict[str, None]]:
    """The document but for the case's registration number: the words in order, and the words
    held once. The intake works this out before its write transaction (the number is given
    under the write lock) and `with_number` completes it."""
    out: list[str] = []
    extra: dict[str, None] = {}

    def add(items, *, once=False):
        for item in items:
            if item and len(item) <= 100:
                if once:
                    extra.setdefault(item, None)
                else:
                    out.append(item)

    def add_text(value):
        found, joined = text_words(value)
        add(found)
        add(joined, once=True)

    add_text(case.subject)
    for message in messages:
        if message.subject != case.subject:
            add_text(message.subject)
        add_text(message.body)
        add(words(message.external_reference))
        add([compact(message.external_reference)], once=True)
    for reference in references:
        add(words(reference))
        add([compact(reference)], once=True)
    for note in notes:
        add_text(note.text)
    for entity in entities:
        add(_entity_words(entity, case.country_code), once=True)
    return out, extra


def with_number(number: str | None, parts: tuple[list[str], dict[str, None]]) -> str:
    """The whole document: the registration number's words first, then the parts."""
    out, extra = parts
    head = [w for w in words(number) if len(w) <= 100]
    key = compact(number)
    once = [key] if key else []
    return " ".join(head + out + once + [w for w in extra if w != key])


def number_parts(prefix: str, parts: tuple[list[str], dict[str, None]]) -> dict:
    """`with_number`'s document for a number not given yet, only its prefix (CC-YYYY-): what the
    database completes with the number's digits D (casemgmt.services.numbering, on PostgreSQL):
    head D, then body, then key D, then the extra words but key D, each part left out when empty."""
    out, extra = parts
    return {"head": " ".join(words(prefix)) + " ", "body": " ".join(out), "key": compact(prefix),
            "extra": list(extra)}


def reindex_case(session: Session, case: Case) -> None:
    """Write the case's search document from what the case holds now (called by every service that
    changes a case's text; an erased case keeps only its skeleton's words)."""
    from casemgmt.models import ENTITY_MODELS

    session.flush()
    messages = list(session.scalars(select(Message).where(Message.case_id == case.id)))
    notes = list(session.scalars(select(Note).where(Note.case_id == case.id)))
    references = list(session.scalars(select(ExternalReference.reference)
                                      .where(ExternalReference.case_id == case.id)))
    entities = [e for model in ENTITY_MODELS for e in session.scalars(select(model).where(model.case_id == case.id))]
    body = document_text(case, messages, notes, references, entities)
    doc = session.get(CaseSearchDoc, case.id)
    if doc is None:
        session.add(CaseSearchDoc(case_id=case.id, country_code=case.country_code, text=body))
    elif doc.text != body:
        doc.text = body
    session.flush()


_INSERT_DOCS = Prepared(CaseSearchDoc.__table__.insert())


def write_new_documents(conn, documents: list[tuple[Case, tuple]]) -> None:
    """Insert the documents of new cases (numbered now) from their parts (`document_parts`): one COPY
    on PostgreSQL for many (the set-based import), executemany otherwise."""
    _INSERT_DOCS.insert_many(conn, [
        {"case_id": case.id, "country_code": case.country_code, "updated_at": case.created_at,
         "text": with_number(case.registration_number, parts)} for case, parts in documents])


def reindex_case_id(session: Session, case_id: int) -> None:
    case = session.get(Case, case_id)
    if case is not None:
        reindex_case(session, case)


def forget_case(session: Session, case_id: int) -> None:
    session.execute(delete(CaseSearchDoc).where(CaseSearchDoc.case_id == case_id))




# ------------------------------------------------------------------------------------ the index's storage
def purge_erased(session: Session) -> None:
    """Rewrite the full-text index so that the words of erased (rewritten) documents leave its pages.

    SQLite's FTS5 removes an entry by writing a delete marker; the old words stay in older segments
    until they are merged (from SQLite 3.42 the migration turns on secure-delete, which removes them
    at once). The nightly job runs this; on PostgreSQL an updated row's old version (and the old rows
    of its words, which the documents' trigger deletes) is reclaimed by (auto)vacuum."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO case_search_fts(case_search_fts) VALUES ('optimize')"))


def index_storage_text(session: Session) -> str:
    """What the full-text index's own storage holds, as text (the erasure test reads it)."""
    if session.get_bind().dialect.name != "sqlite":
        return ""
    blobs = session.execute(text("SELECT block FROM case_search_fts_data")).scalars()
    return " ".join(bytes(b).decode("latin-1") for b in blobs if b is not None)


def reindex_all(session: Session, country_code: str | None = None, batch: int = 1000) -> int:
    """Write every case's document (after the migration, or to repair the index); how many."""
    last, done = 0, 0
    while True:
        q = select(Case).where(Case.id > last).order_by(Case.id).limit(batch)
        if country_code:
            q = q.where(Case.country_code == country_code)
        cases = list(session.scalars(q))
        if not cases:
            return done
        for case in cases:
            reindex_case(session, case)
        session.commit()
        last, done = cases[-1].id, done + len(cases)
