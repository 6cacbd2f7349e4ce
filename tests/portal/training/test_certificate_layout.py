"""Certificates of any name, place and title length stay inside their frame on the A4 page."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from portal.training.models import Nomination
from portal.training.services.certificates import certificate_pdf

TODAY = dt.date.today()
NAME = "Maria-Magdalena Konstantinopoulou-Wiśniewska-Ørsted von Hohenzollern-Sigmaringen"
PLACE = ("Centre for Police Cooperation of the Federal Criminal Police Office, Wiesbaden, Thaerstraße 11, "
         "building C, room 2.114\x0b(second floor)")


def test_long_names_places_and_titles_wrap_inside_the_frame(make_activity, make_nomination, db):
    activity = make_activity(title="Directive 2023/977 in practice: information exchange\x0bbetween SPOCs, "
                             "SIENA, I-24/7 and the Prüm framework for practitioners", place=PLACE,
                             start=TODAY - dt.timedelta(days=3))
    nomination = db.get(Nomination, make_nomination(activity, "BE", "confirmed", attended=True, name=NAME))
    reader = PdfReader(io.BytesIO(certificate_pdf(nomination, "Belgium")))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width > height  # A4 landscape
    inside, pieces = 10 / 25.4 * 72, []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            pieces.append((text, x, y, size))
            assert inside <= x <= width - inside and inside <= y <= height - inside, text

    page.extract_text(visitor_text=visit)
    text = page.extract_text()
    assert all(word in text for word in NAME.split())  # wrapped, nothing dropped
    assert "Thaerstraße" in text and "\x0b" not in text
    # each line fits: no piece is wider than the frame (measured by its characters at its font size)
    for piece, x, _, size in pieces:
        assert x + len(piece) * size * 0.62 * 0.75 <= width - inside + 72, piece
