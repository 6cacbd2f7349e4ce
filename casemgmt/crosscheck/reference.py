"""Reference data sets a SPOC loads from CSV: column mapping, normalisation, bulk indexing.

`spoc crosscheck load NAME FILE.csv --country CC --map surname=COL,...` reads the file once,
normalises every row into a Subject (raw values kept), and writes subjects and keys in chunks.
A row that cannot be read (a date that is no date, a country code that is none) is skipped and
reported with its line number; `strict=True` stops at the first one and writes nothing.

The command loads in batches (load_dataset_in_batches, issue 25): each batch of rows is read and
normalised first, then written in a short transaction, under a data set that is not searched
(`ready` false) until the last batch is in; then one short transaction puts it in the place of
the one it replaces, which is deleted in batches afterwards. SQLite's write lock and PostgreSQL's
transactions are held for a batch, not for the whole file, and a data set is searched whole or not
at all. It is the only loader (the command, the tests and bench/crosscheck.py): none holds one
transaction over a whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casemgmt.crosscheck import identifiers as ids
from casemgmt.crosscheck import index
from casemgmt.crosscheck.birthdates import parse_birth_date
from casemgmt.crosscheck.keys import Identifier, Subject, identifier_text, record_keys
from casemgmt.crosscheck.models import IndexedSubject, MatchKey, ReferenceDataset
from casemgmt.crosscheck.normalise import (
    NormalisationError,
    normalise_company,
    normalise_country,
    normalise_document,
    normalise_email,
    normalise_name,
    normalise_phone,
    normalise_plate,
    normalise_vin,
)
from portal.db import utcnow

# The fields a column can be mapped to, with what they mean.
COLUMN_FIELDS = {
    "ref": "the record's own id in the source",
    "surname": "surname(s) / family name",
    "given_names": "given name(s)",
    "full_name": "the whole name in one column (all words compared in any order)",
    "date_of_birth": "date of birth (1980-03-04, 04.03.1980, 1980-03, 1980)",
    "dob_precision": "precision of the date of birth: day, month or year",
    "nationality": "nationality (two-letter code)",
    "document_number": "travel or identity document number",
    "document_country": "issuing country of the document",
    "vin": "vehicle identification number",
    "plate": "number plate",
    "plate_country": "country of the number plate",
    "phone": "phone number",
    "email": "e-mail address",
    "company": "company name",
    "address_country": "country of the postal address",
    "postcode": "postcode of the postal address",
    "street": "street of the postal address",
    "house_number": "house number of the postal address",
    "iban": "bank account number (IBAN, check digits verified)",
    "ip": "IP address (v4 or v6)",
    "crypto": "crypto-currency address (Bitcoin, Ethereum: checked)",
    "crypto_currency": "currency of the crypto-currency address (BTC, ETH, …)",
    "handle": "social-media or messaging handle (with handle_platform)",
    "handle_platform": "platform of the handle (telegram, x, instagram, …)",
}
# fields that identify on their own (a row needs a name or one of them)
IDENTIFYING = ("surname", "full_name", "document_number", "vin", "plate", "phone", "email", "company", "street",
               "iban", "ip", "crypto", "handle")


class LoadError(ValueError):
    """The load cannot start or was stopped; the message says what to fix."""


@dataclass(frozen=True)
class Provenance:
    """Where a reference data set comes from and how long it may be searched: the legal basis of
    its processing (Directive 2016/680 Art. 8), who owns it, the date of the extract, how often a
    fresh extract is due, and the date after which it is no longer searched (Art. 5: time limits)."""

    legal_basis: str
    owner: str
    extract_date: dt.date
    refresh_days: int
    expires_on: dt.date

    def check(self, today: dt.date | None = None) -> Provenance:
        """The provenance, or LoadError naming the option to fix."""
        today = today or dt.date.today()
        if len(self.legal_basis.strip()) < 5:
            raise LoadError("--legal-basis: say under which law the data set is processed "
                            "(e.g. 'Police Act Art. 44/1, wanted persons list')")
        if not self.owner.strip():
            raise LoadError("--owner: name the authority that owns the data set")
        if self.extract_date > today:
            raise LoadError(f"--extract-date: {self.extract_date} is in the future")
        if not 1 <= self.refresh_days <= 3660:
            raise LoadError("--refresh-days: give the refresh interval in days (1 to 3660)")
        if self.expires_on < self.extract_date:
            raise LoadError(f"--expires: {self.expires_on} is before the extract date {self.extract_date}")
        if self.expires_on < today:
            raise LoadError(f"--expires: the extract expired on {self.expires_on}; load a fresh extract")
        return Provenance(self.legal_basis.strip()[:2000], self.owner.strip()[:200], self.extract_date,
                          self.refresh_days, self.expires_on)


def parse_mapping(text: str | None, headers: list[str]) -> dict[str, str]:
    """`surname=Name,given_names=Vorname` → {field: column}; a column named like a field maps itself."""
    mapping = {h: h for h in headers if h in COLUMN_FIELDS}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        fld, sep, column = part.partition("=")
        fld, column = fld.strip(), column.strip()
        if not sep or not fld or not column:
            raise LoadError(f"--map: {part.strip()!r} is not FIELD=COLUMN")
        if fld not in COLUMN_FIELDS:
            raise LoadError(f"--map: unknown field {fld!r}; fields are {', '.join(COLUMN_FIELDS)}")
        if column not in headers:
            raise LoadError(f"--map: the file has no column {column!r} (columns: {', '.join(headers)})")
        mapping[fld] = column
    if not (set(IDENTIFYING) & set(mapping)):
        raise LoadError(f"--map: map at least one of {', '.join(IDENTIFYING)} (columns: {', '.join(headers)})")
    return mapping


def subject_from_row(row: dict, mapping: dict[str, str], *, ref: str, default_country: str | None) -> Subject:
    """Normalise one row; raises NormalisationError naming the field that cannot be read."""
    def value(fld):
        column = mapping.get(fld)
        return (row.get(column) or "").strip() if column else ""

    def read(fld, fn, *args):
        try:
            return fn(*args)
        except NormalisationError as exc:
            raise NormalisationError(f"{fld}: {exc}") from None

    if value("full_name"):
        name = normalise_name(value("surname"), value("full_name") + " " + value("given_names"))
    else:
        name = normalise_name(value("surname"), value("given_names"))
    birth = read("date_of_birth", parse_birth_date, value("date_of_birth"), value("dob_precision") or None)
    nationality = read("nationality", normalise_country, value("nationality"))
    identifiers = []
    if value("document_number"):
        number, country = read("document_number", normalise_document, value("document_number"),
                               value("document_country"))
        identifiers.append(Identifier("doc", number, country))
    if value("vin"):
        identifiers.append(Identifier("vin", read("vin", normalise_vin, value("vin"))))
    if value("plate"):
        plate, country = read("plate", normalise_plate, value("plate"), value("plate_country"))
        identifiers.append(Identifier("plate", plate, country))
    if value("phone"):
        identifiers.append(Identifier("phone", read("phone", normalise_phone, value("phone"), default_country)))
    if value("email"):
        identifiers.append(Identifier("email", read("email", normalise_email, value("email"))))
    if value("company") and (words := normalise_company(value("company"))):
        identifiers.append(Identifier("company", " ".join(words)))
    if value("street"):
        identifiers.append(Identifier("address", read("street", ids.normalise_address, value("address_country")
                                                      or default_country, value("postcode"), value("street"),
                                                      value("house_number"))))
    if value("iban"):
        identifiers.append(Identifier("iban", read("iban", ids.normalise_iban, value("iban"))))
    if value("ip"):
        identifiers.append(Identifier("ip", read("ip", ids.normalise_ip, value("ip"))))
    if value("crypto"):
        identifiers.append(Identifier("crypto", read("crypto", ids.normalise_crypto, value("crypto"),
                                                     value("crypto_currency"))))
    if value("handle"):
        identifiers.append(Identifier("handle", read("handle", ids.normalise_handle, value("handle_platform"),
                                                     value("handle"), default_country)))
    if not name and not identifiers:
        raise NormalisationError("no name and no identifier")
    display = " · ".join(x for x in (
        ", ".join(x for x in (value("surname").upper(), value("given_names")) if x) or value("full_name"),
        f"born {birth.text()}" if birth else "", nationality or "",
        *(identifier_text(i) for i in identifiers)) if x)
    return Subject(name=name or None, birth=birth, nationality=nationality, identifiers=tuple(identifiers),
                   display=display, ref=ref)


@dataclass
class LoadReport:
    dataset: ReferenceDataset
    loaded: int = 0
    rejected: int = 0
    problems: list[str] = field(default_factory=list)


def count_rows(path: str | Path) -> int:
    with open(path, "rb") as fh:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1, 0)


ROWS_PER_TRANSACTION = 2000  # a batch of rows written in one transaction (~0.1 s of SQLite's write lock)
DELETE_BATCH = 5000  # subjects of a replaced data set deleted a transaction


def load_dataset_in_batches(unit_of_work: Callable[[], AbstractContextManager[Session]], *, country: str, name: str,
                            path: str | Path, mapping_text: str | None = None, replace: bool = False,
                            strict: bool = False, description: str = "", on_rows: Callable[[int], None] | None = None,
                            max_problems: int = 20, rows_per_transaction: int = ROWS_PER_TRANSACTION,
                            finish: Callable[[Session, LoadReport], None] | None = None,
                            provenance: Provenance | None = None) -> LoadReport:
    """Load a CSV file as the data set NAME of COUNTRY in batches, each its own transaction (see the
    module's docstring); `finish(session, report)` runs in the transaction that makes it searched
    (the command queues the re-runs and writes the audit entry there). A failure, or --strict
    meeting a bad row, leaves the data set searched before (if any) as it was."""
    if provenance is not None:
        provenance = provenance.check()
    name = name.strip()
    if not name or len(name) > 60 or name.startswith("~"):
        raise LoadError("NAME: give the data set a name of 1 to 60 characters, not beginning with ~")
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"FILE: {path} does not exist")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        headers = [h for h in (reader.fieldnames or []) if h]
        if not headers:
            raise LoadError(f"FILE: {path.name} has no header line")
        mapping = parse_mapping(mapping_text, headers)
        with unit_of_work() as session:
            existing = session.scalar(select(ReferenceDataset).where(ReferenceDataset.country_code == country,
                                                                     ReferenceDataset.name == name))
            if existing is not None and existing.ready and not replace:
                raise LoadError(f"NAME: {country} already has a data set {name!r}; use --replace to load it again")
            staging = ReferenceDataset(country_code=country, name=_staging_name(name), ready=False,
                                       description=description, source_file=path.name, mapping=mapping)
            if provenance is not None:
                staging.legal_basis, staging.owner = provenance.legal_basis, provenance.owner
                staging.extract_date, staging.refresh_days = provenance.extract_date, provenance.refresh_days
                staging.expires_on = provenance.expires_on
            session.add(staging)
            session.flush()
            staging_id = staging.id
        report = LoadReport(staging)
        try:
            rows = _subject_rows(reader, mapping, country, strict, report, max_problems)
            while batch := list(islice(rows, max(1, rows_per_transaction))):
                keys = {id(subject): record_keys(subject) for subject, _ in batch}  # before the write lock
                with unit_of_work() as session:
                    _tune_for_bulk(session)
                    report.loaded += index.write_subjects(session, batch, country=country, origin="dataset",
                                                          dataset_id=staging_id,
                                                          keys_of=lambda s, keys=keys: keys[id(s)])
                if on_rows:
                    on_rows(len(batch))
            with unit_of_work() as session:
                old = _put_in_place(session, country, name, staging_id, report, finish)
        except BaseException:
            delete_in_batches(unit_of_work, staging_id)
            raise
    if old is not None:
        delete_in_batches(unit_of_work, old.id)
    return report


def _put_in_place(session: Session, country: str, name: str, staging_id: int, report: LoadReport,
                  finish: Callable[[Session, LoadReport], None] | None) -> ReferenceDataset | None:
    """The loaded data set searched under its name, in the place of the one it replaces (returned,
    no longer searched, to be deleted)."""
    old = session.scalar(select(ReferenceDataset).where(ReferenceDataset.country_code == country,
                                                        ReferenceDataset.name == name))
    if old is not None:  # out of the way first: the name is unique
        old.name, old.ready = _staging_name(name), False
        session.flush()
    dataset = session.get(ReferenceDataset, staging_id)
    dataset.name, dataset.ready = name, True
    dataset.row_count, dataset.rejected_count = report.loaded, report.rejected
    dataset.loaded_at = utcnow()
    session.flush()
    report.dataset = dataset
    if report.loaded >= 10_000:
        for table in ("xc_keys", "xc_subjects"):  # the planner keeps using the key index
            session.connection().exec_driver_sql(f"ANALYZE {table}")
    if finish:
        finish(session, report)
    return old


def _staging_name(name: str) -> str:
    """The name of a data set not (or no longer) searched: never one a user may give (`~`)."""
    return f"~{name[:44]} {secrets.token_hex(4)}"


def _subject_rows(reader, mapping: dict, country: str, strict: bool, report: LoadReport,
                  max_problems: int) -> Iterator[tuple[Subject, dict]]:
    for line, row in enumerate(reader, start=2):
        ref = (row.get(mapping["ref"]) or "").strip() if "ref" in mapping else ""
        try:
            subject = subject_from_row(row, mapping, ref=f"row:{ref or line}", default_country=country)
        except NormalisationError as exc:
            if strict:
                raise LoadError(f"line {line}: {exc}") from None
            report.rejected += 1
            if len(report.problems) < max_problems:
                report.problems.append(f"line {line}: {exc}")
            continue
        yield subject, {fld: row.get(col, "") for fld, col in mapping.items()}


def delete_in_batches(unit_of_work: Callable[[], AbstractContextManager[Session]], dataset_id: int,
                      batch: int = DELETE_BATCH) -> None:
    """Delete a data set that is not searched (ready false), its subjects and keys DELETE_BATCH at a
    time, each batch its own transaction; then the data set itself."""
    while True:
        with unit_of_work() as session:
            ids = list(session.scalars(select(IndexedSubject.id).where(IndexedSubject.dataset_id == dataset_id)
                                       .order_by(IndexedSubject.id).limit(batch)))
            if ids:
                session.execute(delete(MatchKey).where(MatchKey.subject_id.in_(ids)))
                session.execute(delete(IndexedSubject).where(IndexedSubject.id.in_(ids)))
        if len(ids) < batch:
            break
    with unit_of_work() as session:
        dataset = session.get(ReferenceDataset, dataset_id)
        if dataset is not None:
            session.delete(dataset)


def _tune_for_bulk(session: Session) -> None:
    """A bigger page cache for this connection while the index grows (SQLite only)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA cache_size = -262144")


def expired_datasets(session: Session, country: str, today: dt.date | None = None) -> list[ReferenceDataset]:
    """The SPOC's data sets past their expiry date: no longer searched; the officers are told."""
    today = today or dt.date.today()
    return list(session.scalars(select(ReferenceDataset).where(
        ReferenceDataset.country_code == country, ReferenceDataset.expires_on.is_not(None),
        ReferenceDataset.expires_on < today).order_by(ReferenceDataset.name)))


def provenance_details(dataset: ReferenceDataset) -> dict:
    """The data set's provenance as the access log records it."""
    return {"legal_basis": dataset.legal_basis, "owner": dataset.owner,
            "extract_date": dataset.extract_date.isoformat() if dataset.extract_date else None,
            "refresh_days": dataset.refresh_days,
            "expires_on": dataset.expires_on.isoformat() if dataset.expires_on else None}


def delete_dataset(session: Session, dataset: ReferenceDataset) -> None:
    index.delete_dataset_subjects(session, dataset.id)
    session.delete(dataset)
    session.flush()


__all__ = ["COLUMN_FIELDS", "LoadError", "Provenance", "expired_datasets", "provenance_details", "parse_mapping",
           "subject_from_row", "delete_dataset", "load_dataset_in_batches", "delete_in_batches",
           "LoadReport", "count_rows"]
