"""Network settings the secretariat edits at run time (the list of markings, ...): defaults in code, the
secretariat's value in the network_settings table (one JSON value per key)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class NetworkSetting(Base):
    __tablename__ = "network_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


def get(session: Session, key: str, default):
    row = session.get(NetworkSetting, key)
    return default if row is None else row.value


def put(session: Session, key: str, value, user=None) -> None:
    row = session.get(NetworkSetting, key)
    if row is None:
        row = NetworkSetting(key=key)
        session.add(row)
    row.value, row.updated_by_id, row.updated_at = value, getattr(user, "id", None), utcnow()
    session.flush()
