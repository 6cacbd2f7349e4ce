"""Tables of the cross-check: reference data sets, normalised subjects, the key index, runs and hits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casemgmt.models.enums import HitStatus, RunStatus
from portal.db import Base, EnumText, UTCDateTime, utcnow


class ReferenceDataset(Base):
    """A reference data set a SPOC loaded (`spoc crosscheck load NAME FILE.csv --country CC`)."""

    __tablename__ = "xc_datasets"
    __table_args__ = (UniqueConstraint("country_code", "name", name="uq_xc_datasets_country_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(String(255), default="")
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # False while `spoc crosscheck load` writes it in batches (and for a replaced one being deleted):
    # not searched, so that a data set is found whole or not at all (issue 25)
    ready: Mapped[bool] = mapped_column(Boolean, default=True)
    # provenance (Directive 2016/680 Art. 8: processing needs a legal basis; Art. 4(1)(e) and 5:
    # kept no longer than needed, with time limits for its review). An expired set is not searched.
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    extract_date: Mapped[dt.date | None] = mapped_column(Date)
    refresh_days: Mapped[int | None] = mapped_column(Integer)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)

    def is_expired(self, today: dt.date | None = None) -> bool:
        """Past its expiry date (it may still be searched on that day)."""
        return self.expires_on is not None and self.expires_on < (today or dt.date.today())

    @property
    def refresh_due(self) -> dt.date | None:
        """When a fresh extract is due (extract date + refresh interval)."""
        if self.extract_date is None or not self.refresh_days:
            return None
        return self.extract_date + dt.timedelta(days=self.refresh_days)


class IndexedSubject(Base):
    """One normalised record (a case's entity or a reference row) as the matcher reads it.

    `names` is NameForm.encode(), `birth` YYYY[MM[DD]], `identifiers` "type=value:country;…".
    `raw` keeps the values exactly as received, for the officer."""

    __tablename__ = "xc_subjects"
    __table_args__ = (
        Index("ix_xc_subjects_dataset", "dataset_id", sqlite_where=text("dataset_id IS NOT NULL"),
              postgresql_where=text("dataset_id IS NOT NULL")),
        Index("ix_xc_subjects_case", "case_id"),
        Index("ix_xc_subjects_country_ref", "country_code", "ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    origin: Mapped[str] = mapped_column(String(10))  # "case" or "dataset"
    dataset_id: Mapped[int | None] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(80))  # "case:12:person:5", "row:1234"
    display: Mapped[str] = mapped_column(String(300), default="")
    names: Mapped[str | None] = mapped_column(Text)
    birth: Mapped[str | None] = mapped_column(String(8))
    birth_placeholder: Mapped[bool] = mapped_column(Boolean, default=False)
    nationality: Mapped[str | None] = mapped_column(String(2))
    identifiers: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[dict] = mapped_column(JSON, default=dict)


class MatchKey(Base):
    """The key index: (country, key type, key value) → subject. The primary key is the lookup path;
    on SQLite the table is the index itself (WITHOUT ROWID). No foreign key: a million-row data set
    is deleted in bulk, key rows first."""

    __tablename__ = "xc_keys"
    __table_args__ = {"sqlite_with_rowid": False}

    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    key_type: Mapped[str] = mapped_column(String(8), primary_key=True)
    key_value: Mapped[str] = mapped_column(String(120), primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class CrossCheckRun(Base):
    """One run of the cross-check for a case: when, by whom, how many keys and hits (also audited)."""

    __tablename__ = "xc_runs"
    __table_args__ = (Index("ix_xc_runs_case", "case_id", "started_at"),
                      Index("ix_xc_runs_pending", "status", "country_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    status: Mapped[RunStatus] = mapped_column(EnumText(RunStatus, 10), default=RunStatus.PENDING)
    trigger: Mapped[str] = mapped_column(String(20), default="intake")  # intake, on_demand, edit, new_data
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    queries: Mapped[int] = mapped_column(Integer, default=0)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text, default="")


class CrossCheckHit(Base):
    """A hit of a case's entity on a record of a source, with its score and reasons.

    Unique per (case, query entity, matched record) so that a re-run updates the score and the
    reasons but keeps the officer's decision."""

    __tablename__ = "xc_hits"
    __table_args__ = (
        UniqueConstraint("case_id", "query_ref", "source", "matched_ref", name="uq_xc_hits_pair"),
        Index("ix_xc_hits_case_status", "case_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("xc_runs.id", ondelete="SET NULL"))
    query_ref: Mapped[str] = mapped_column(String(80))
    query_display: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(80))  # "cases", "dataset:NAME", "external:SLTD"
    matched_ref: Mapped[str] = mapped_column(String(80))
    matched_display: Mapped[str] = mapped_column(String(300), default="")
    matched_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    score: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(10))  # strong, possible
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    current: Mapped[bool] = mapped_column(Boolean, default=True)  # found again by the latest run
    status: Mapped[HitStatus] = mapped_column(EnumText(HitStatus, 12), default=HitStatus.UNREVIEWED)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set when a "new_data" run (a data set was loaded or replaced) found the hit first: the
    # officer's case was registered earlier, so the page and the inbox mark it as news
    new_data_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    matched_case = relationship("Case", foreign_keys=[matched_case_id])


__all__ = ["ReferenceDataset", "IndexedSubject", "MatchKey", "CrossCheckRun", "CrossCheckHit"]
