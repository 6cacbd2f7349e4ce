"""The reports' one table: a round report's DOCX or XLSX built by the worker (`report_builds`).

A build belongs to the user who asked for it (it is built as that user may see the round: their
country's free text, shared rounds) and is kept for a day (reports/services/builds.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, EnumText, UTCDateTime, utcnow
from portal.enums import N_, LabelledEnum, set_labels, translated


class BuildStatus(LabelledEnum):
    QUEUED = "queued"
    BUILDING = "building"
    DONE = "done"
    FAILED = "failed"


# The steps of a build: the row stores the code, a page shows its label in the reader's language (issue 19). A row
# written before the codes holds the English label itself, which the catalogue translates as well.
BUILD_STEPS = {
    "waiting": N_("Waiting for the worker"),
    "reading": N_("Reading the responses"),
    "drawing_docx": N_("Drawing the charts and writing the document"),
    "drawing_xlsx": N_("Drawing the charts and writing the workbook"),
    "failed": N_("Failed"),
    "ready": N_("Ready"),
}
set_labels({BuildStatus: {"queued": "Queued", "building": "Being built", "done": "Done", "failed": "Failed"}})


class ReportBuild(Base):
    __tablename__ = "report_builds"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_rounds.id", ondelete="CASCADE"))
    fmt: Mapped[str] = mapped_column(String(8))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[BuildStatus] = mapped_column(EnumText(BuildStatus, 12), default=BuildStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    step: Mapped[str] = mapped_column(String(120), default="waiting")  # a code of BUILD_STEPS
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def step_label(self) -> str:
        """The step in the reader's language."""
        return translated(BUILD_STEPS.get(self.step, self.step))

    @property
    def running(self) -> bool:
        """Still waiting for the worker or being built (the page refreshes itself)."""
        return self.status in (BuildStatus.QUEUED, BuildStatus.BUILDING)
