"""Search across cases (issue 17, point 3): one search document per case, and saved searches.

`CaseSearchDoc.text` is the case's searchable text already cut into folded, accent-free words
(casemgmt.services.search.document_text): subjects, message bodies, notes, references on every
channel, the names of its persons in every Latin spelling the cross-check gives them, and the
normalised identifiers (document numbers, plates, phones, e-mails, IBANs). The database's own
full-text index reads it: an FTS5 table kept by triggers on SQLite, a generated tsvector column
with a GIN index on PostgreSQL (migration 0030), and there the table of its words by case
(case_search_words, kept by triggers, migration 0045). Services write it explicitly (search.reindex_case);
erasure rewrites it from what is left.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class CaseSearchDoc(Base):
    __tablename__ = "case_search_docs"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, autoincrement=False)
    country_code: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SavedSearch(Base):
    """A user's own saved search: its name and the parameters of the search page."""

    __tablename__ = "case_saved_searches"
    __table_args__ = (Index("ix_case_saved_searches_user", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(120))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
