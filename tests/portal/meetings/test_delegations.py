"""Delegations (issue 19, 3a): an invitee names its participants with their function and identity details for
building access; the details are erased (and the erasure logged) once the meeting is over; the secretariat
gets the participant list (XLSX, PDF) and name badges (PDF); per-participant attendance feeds the activity
report."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.db import utcnow
from portal.meetings.models import Delegate, Meeting
from portal.meetings.services import delegations

PERSON = {"name": "Zofia Łukasiewicz", "function": "Head of SPOC", "email": "z.l@policja.example",
          "nationality": "Polish", "birth_date": "1980-04-02", "document_number": "ab 123456"}


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(countries=["BE", "PL"], agencies={"INTERPOL": "Notices"}, send=True)


def test_a_head_of_spoc_names_the_delegation_with_identity_details(login_as, meeting, db):
    head, _ = login_as("head_of_spoc", "PL")
    r = head.post_form(f"/meetings/{meeting}/delegation", PERSON)
    assert r.status_code in (302, 303)
    head.post_form(f"/meetings/{meeting}/delegation", {"name": "Jan Kowalski", "function": "Deputy"})
    page = head.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert "Zofia Łukasiewicz" in page and "given (erased when the meeting is over)" in page and "Jan Kowalski" in page
    db.rollback()
    zofia = db.scalar(select(Delegate).where(Delegate.name == "Zofia Łukasiewicz"))
    assert (zofia.document_number, zofia.birth_date) == ("AB123456", dt.date(1980, 4, 2))
    # another country neither sees nor changes it
    be, _ = login_as("head_of_spoc", "BE")
    assert "Zofia" not in be.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert be.post_form(f"/meetings/{meeting}/delegation/{zofia.id}/remove", {}).status_code == 404
    nl, _ = login_as("head_of_spoc", "NL")
    assert nl.post_form(f"/meetings/{meeting}/delegation", PERSON).status_code == 404


def test_an_international_organisation_names_its_delegation_too(login_as, meeting, db):
    observer, _ = login_as("observer", agency="INTERPOL")
    assert observer.post_form(f"/meetings/{meeting}/delegation", {"name": "Ana Silva", "function": "Liaison"}
                              ).status_code in (302, 303)
    db.rollback()
    assert db.scalar(select(Delegate).where(Delegate.name == "Ana Silva")).invitation.agency_code == "INTERPOL"


def test_bad_input_is_shown_beside_the_field(login_as, meeting):
    head, _ = login_as("head_of_spoc", "PL")
    r = head.post_form(f"/meetings/{meeting}/delegation", {**PERSON, "name": ""})
    assert r.status_code == 422 and "This field is required." in r.get_data(as_text=True)
    r = head.post_form(f"/meetings/{meeting}/delegation", {**PERSON, "email": "not an address"})
    assert r.status_code == 422 and "An e-mail address has the form name@example.org." in r.get_data(as_text=True)
    r = head.post_form(f"/meetings/{meeting}/delegation", {**PERSON, "birth_date": "2999-01-01"})
    assert r.status_code == 422 and "Enter a real date of birth." in r.get_data(as_text=True)


def test_the_secretariat_downloads_the_participant_list_and_the_badges(login_as, meeting, db):
    head, _ = login_as("head_of_spoc", "PL")
    head.post_form(f"/meetings/{meeting}/delegation", PERSON)
    db.get(Meeting, meeting).marking = "LIMITE"
    db.commit()
    sec, _ = login_as("secretariat")
    wb = openpyxl.load_workbook(io.BytesIO(sec.get(f"/meetings/{meeting}/participants.xlsx").data))
    rows = [[c.value for c in row] for row in wb["Participants"].iter_rows()]
    assert rows[0][:3] == ["Delegation", "Name", "Function"]
    assert rows[1][:7] == ["PL", "Zofia Łukasiewicz", "Head of SPOC", "z.l@policja.example", "Polish", "1980-04-02",
                           "AB123456"]
    assert wb["Participants"].oddHeader.right.text == "LIMITE"
    for url in (f"/meetings/{meeting}/participants.pdf", f"/meetings/{meeting}/badges.pdf"):
        r = sec.get(url)
        assert r.status_code == 200 and r.data.startswith(b"%PDF") and r.mimetype == "application/pdf"
    assert sec.get(f"/meetings/{meeting}/participants.csv").status_code == 404
    db.rollback()
    logged = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "meeting_participants")).all()
    assert sorted(e.details["file"] for e in logged) == ["badges.pdf", "participants.pdf", "participants.xlsx"]
    for role, country in (("head_of_spoc", "PL"), ("observer", None)):
        c, _ = login_as(role, country)
        assert c.get(f"/meetings/{meeting}/participants.xlsx").status_code == 404
        assert c.get(f"/meetings/{meeting}/badges.pdf").status_code == 404


def test_identity_details_are_erased_once_the_meeting_is_over_and_the_erasure_logged(login_as, meeting, db):
    head, _ = login_as("head_of_spoc", "PL")
    head.post_form(f"/meetings/{meeting}/delegation", PERSON)
    db.rollback()
    m = db.get(Meeting, meeting)
    assert delegations.erase_identities(db, utcnow()) == 0  # not over yet
    after = m.ends_at + dt.timedelta(minutes=1)
    assert delegations.erase_identities(db, after) == 1
    db.commit()
    zofia = db.scalar(select(Delegate).where(Delegate.name == "Zofia Łukasiewicz"))
    assert (zofia.nationality, zofia.birth_date, zofia.document_number) == ("", None, "")
    assert zofia.identity_erased_at is not None and zofia.function == "Head of SPOC"  # the name stays
    logged = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "meeting_delegate",
                                                 AuditEntry.action == "erasure")).all()
    assert [e.details["event"] for e in logged] == ["identity_details_erased"]
    assert delegations.erase_identities(db, after) == 0
    with pytest.raises(delegations.MeetingError, match="The meeting is over"):
        delegations.add_delegate(db, zofia.invitation, None, after, name="Late comer")


def test_attendance_per_participant_feeds_the_activity_report(login_as, make_meeting, db):
    mid = make_meeting(days_ahead=-3, countries=["PL"], send=True, deadline_days=1)
    db.rollback()
    m = db.get(Meeting, mid)
    invitation = m.invitations[0]
    now = m.starts_at - dt.timedelta(days=10)
    a = delegations.add_delegate(db, invitation, None, now, name="Zofia Łukasiewicz", function="Head of SPOC")
    b = delegations.add_delegate(db, invitation, None, now, name="Jan Kowalski", function="Deputy")
    m.status = "held"
    db.commit()
    sec, _ = login_as("secretariat")
    r = sec.post_form(f"/meetings/{mid}/participant-attendance", {f"delegate_{a.id}": "attended",
                                                                   f"delegate_{b.id}": "absent"})
    assert r.status_code in (302, 303)
    start, end = (m.starts_at - dt.timedelta(days=1)).date(), (m.starts_at + dt.timedelta(days=1)).date()
    page = sec.get(f"/meetings/report?start={start}&end={end}").get_data(as_text=True)
    assert "Participants attending" in page
    db.expire_all()
    assert delegations.attended_participants(db.get(Meeting, mid)) == 1


def test_the_pdfs_print_the_marking_names_and_functions(app, make_meeting, db):
    import pypdf

    mid = make_meeting(countries=["PL"], send=True)
    db.rollback()
    m = db.get(Meeting, mid)
    m.marking = "LIMITE"
    for n in range(9):  # two pages of badges
        delegations.add_delegate(db, m.invitations[0], None, utcnow(), name=f"Zofia Łukasiewicz-{n}",
                                 function="Head of SPOC")
    db.flush()
    badges = pypdf.PdfReader(io.BytesIO(delegations.badges_pdf(m)))
    assert len(badges.pages) == 2
    text = badges.pages[0].extract_text()
    assert "LIMITE" in text and "Zofia Łukasiewicz-0" in text and "Head of SPOC" in text
    listing = pypdf.PdfReader(io.BytesIO(delegations.participants_pdf(m)))
    text = listing.pages[0].extract_text()
    assert "LIMITE" in text and "Zofia Łukasiewicz-8" in text and "page 1 of 1" in text
    db.rollback()
