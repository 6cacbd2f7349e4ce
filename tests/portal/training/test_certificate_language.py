"""The certificate of attendance is wholly in the participant's language (their account's), else the reader's:
its fixed words, the country and the days (issue 19, item 12)."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from portal.accounts.models import User
from portal.dates import format_day
from portal.training.models import Nomination

TODAY = dt.date.today()


def _text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())


def _issued_on(text: str, before: dt.date, words: str, language: str) -> dt.date:
    """The day the certificate says it was issued: the day of the request, which may be the day after `before`
    when the request ran over midnight (the CI once did)."""
    for day in (before, before + dt.timedelta(days=1)):
        if words % format_day(day, language=language) in text:
            return day
    return before  # the assertion below then names the day that was expected


def test_the_certificate_is_in_the_participants_language(login_as, make_activity, make_nomination, make_user, db):
    start = TODAY - dt.timedelta(days=5)
    n = make_nomination(make_activity(title="SIENA", start=start, place=""), "BE", "confirmed", attended=True)
    participant = make_user("respondent", "BE", email=db.get(Nomination, n).nominee_email)
    db.rollback()
    db.get(User, participant.id).language = "de"
    db.commit()
    head, _ = login_as("head_of_spoc", "BE")  # reads English; the participant reads German
    before = dt.date.today()
    text = _text(head.get(f"/training/nominations/{n}/certificate.pdf"))
    issued = _issued_on(text, before, "Ausgestellt am %s", "de")
    for words in ("Teilnahmebescheinigung", "Hiermit wird bescheinigt, dass", "SPOC (Belgien)",
                  "an der Fortbildungsmaßnahme teilgenommen hat", "online",
                  f"vom {format_day(start, language='de')} bis {format_day(start + dt.timedelta(days=1), language='de')}",
                  f"Ausgestellt am {format_day(issued, language='de')}"):
        assert words in text, words
    assert "Certificate" not in text and "attended" not in text and "Belgium" not in text


def test_without_an_account_the_certificate_is_in_the_readers_language(login_as, make_activity, make_nomination,
                                                                       make_trainer, db):
    start = TODAY - dt.timedelta(days=3)
    activity = make_activity(title="SIENA", start=start, days=1, trainers=[make_trainer("Marie Lambert")],
                             cepol_support=True, cepol_reference="C-7")
    n = make_nomination(activity, "FR", "confirmed", attended=True)
    head, user = login_as("head_of_spoc", "FR")
    db.get(User, user.id).language = "fr"
    db.commit()
    before = dt.date.today()
    r = head.get(f"/training/nominations/{n}/certificate.pdf")
    text = _text(r)
    issued = _issued_on(text, before, "Délivrée le %s", "fr")
    for words in ("Attestation de participation", "Nous certifions que", "SPOC (France)",
                  "a participé à l’activité de formation", f"le {format_day(start, language='fr')}",
                  "avec le soutien du CEPOL (référence C-7)", "Formateurs : Marie Lambert",
                  f"Délivrée le {format_day(issued, language='fr')}"):
        assert words in text, words
    assert "Certificate" not in text and "Issued" not in text
    assert PdfReader(io.BytesIO(r.data)).metadata.title == "Attestation de participation - SIENA"
