"""Certificates of attendance as PDF (fpdf2, with a Unicode font so that every name prints)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.dates import DAY_PATTERNS, format_day
from portal.enums import say
from portal.exports import printable_text, unicode_font_path
from portal.training.models import Nomination, NominationStatus
from portal.training.services import TrainingError


def _centred(pdf, text: str, size: float, line_mm: float, max_lines: int) -> None:
    """Centred text wrapped on the width between the margins; a text too long for `max_lines` lines at
    `size` points is set smaller (down to 60 %) rather than cut or pushed off the page."""
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for step in range(5):
        scale = 1 - step * 0.1
        pdf.set_font("DejaVu", size=size * scale)
        if len(pdf.multi_cell(width, line_mm * scale, text, align="C", dry_run=True, output="LINES")) <= max_lines:
            break
    pdf.multi_cell(width, line_mm * scale, text, align="C", new_x="LMARGIN", new_y="NEXT")


def certificate_reference(nomination: Nomination) -> str:
    return f"SPOC-TR-{nomination.activity_id:04d}-{nomination.id:05d}"


def participant_language(session: Session, nomination: Nomination, default: str = "en") -> str:
    """The language of the participant's account (found by the nominee's e-mail), else `default` (the reader's)."""
    from portal.accounts.models import User

    chosen = session.scalar(select(User.language).where(func.lower(User.email) == nomination.nominee_email.lower()))
    return chosen if chosen in DAY_PATTERNS else default if default in DAY_PATTERNS else "en"


def certificate_pdf(nomination: Nomination, country_name: str, issued_on: dt.date | None = None,
                    language: str = "en") -> bytes:
    """The certificate of a participant whose attendance is recorded, its words and days in `language` (the
    caller forces that locale, so that `say` looks the words up in it: portal.i18n.in_language)."""
    if nomination.status != NominationStatus.CONFIRMED or not nomination.attended:
        raise TrainingError("A certificate is issued once attendance is recorded.", "attended")
    activity = nomination.activity
    issued_on = issued_on or dt.date.today()
    pdf = _framed_page(nomination, issued_on)
    pdf.set_text_color(20, 60, 120)
    pdf.set_font("DejaVu", size=13)
    pdf.set_y(24)
    pdf.cell(0, 8, say("European network of Heads of SPOC"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=30)
    pdf.cell(0, 20, say("Certificate of attendance"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", size=13)
    pdf.cell(0, 10, say("This is to certify that"), align="C", new_x="LMARGIN", new_y="NEXT")
    # names, positions, titles and places of any length wrap within the frame instead of running off it
    _centred(pdf, printable_text(nomination.nominee_name), 24, 12, max_lines=2)
    if nomination.nominee_position:
        who = say("%(position)s, SPOC of %(country)s", position=nomination.nominee_position, country=country_name)
    else:
        who = say("SPOC of %(country)s", country=country_name)
    _centred(pdf, printable_text(who), 13, 7, max_lines=2)
    pdf.ln(3)
    pdf.cell(0, 8, say("attended the training activity"), align="C", new_x="LMARGIN", new_y="NEXT")
    _centred(pdf, printable_text(activity.title), 18, 9, max_lines=3)
    if activity.start_date == activity.end_date:
        when = say("on %(day)s", day=format_day(activity.start_date, language=language))
    else:
        when = say("from %(start)s to %(end)s", start=format_day(activity.start_date, language=language),
                   end=format_day(activity.end_date, language=language))
    where = activity.place or say("online")
    _centred(pdf, printable_text(f"{activity.format_enum.label}, {where}, {when}"), 12, 6.5, max_lines=2)
    if activity.cepol_support:
        _centred(pdf, printable_text(say("with the support of CEPOL (reference %(reference)s)",
                                               reference=activity.cepol_reference)), 12, 6.5,
                 max_lines=2)
    if activity.trainers:
        _centred(pdf, printable_text(say("Trainers: %(names)s", names=", ".join(t.name for t in activity.trainers))), 12, 6.5,
                 max_lines=2)
    pdf.set_font("DejaVu", size=10)
    pdf.set_y(176)
    pdf.cell(0, 6, say("Issued on %(day)s · reference %(reference)s", day=format_day(issued_on, language=language),
                       reference=certificate_reference(nomination)), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, say("Training core group and secretariat of the Heads of SPOC network"), align="C")
    return bytes(pdf.output())


def _framed_page(nomination: Nomination, issued_on: dt.date):
    """An A4 landscape PDF with its properties (title, subject, author, date) and the page's frame drawn."""
    from fpdf import FPDF

    activity = nomination.activity
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_creator("spoc-portal")
    pdf.set_title(printable_text(say("Certificate of attendance - %(title)s", title=activity.title)))
    pdf.set_subject(printable_text(f"{nomination.nominee_name}; {activity.title}; {certificate_reference(nomination)}"))
    pdf.set_author(say("European network of Heads of SPOC"))
    pdf.set_creation_date(dt.datetime.combine(issued_on, dt.time(12), tzinfo=dt.UTC))
    pdf.add_font("DejaVu", "", str(unicode_font_path()))
    pdf.set_auto_page_break(False)
    pdf.set_margins(22, 10, 22)  # text stays inside the frame (drawn at 10 mm)
    pdf.add_page()
    pdf.set_draw_color(20, 60, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    return pdf
