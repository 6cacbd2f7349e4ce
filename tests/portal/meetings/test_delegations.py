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


def answer(client, meeting, value, *people, **extra):
    """Post the merged answer form: the answer and one row per participant (as the page names its fields)."""
    form = {"answer": value, **extra}
    for n, person in enumerate(people):
        form |= {f"participants-{n}-{k}": v for k, v in person.items()}
    return client.post_form(f"/meetings/{meeting}/answer", form)


def _pl(db, meeting):
    return next(i for i in db.get(Meeting, meeting).invitations if i.country_code == "PL")


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(countries=["BE", "PL"], agencies={"INTERPOL": "Notices"}, send=True)


def test_a_head_of_spoc_answers_with_the_delegation_in_one_form(login_as, meeting, db):
    head, _ = login_as("head_of_spoc", "PL")
    page = head.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert page.count(f'action="/meetings/{meeting}/answer"') == 1  # one form: the answer and the delegation
    assert 'name="answer"' in page and 'name="participants-0-name"' in page and 'name="participants-1-name"' in page
    r = answer(head, meeting, "attend", PERSON, {"name": "Jan Kowalski", "function": "Deputy"})
    assert r.status_code in (302, 303)
    page = head.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert "Current answer: <strong>Attends</strong>" in page
    assert 'value="Zofia Łukasiewicz"' in page and 'value="Jan Kowalski"' in page and 'value="AB123456"' in page
    db.rollback()
    zofia = db.scalar(select(Delegate).where(Delegate.name == "Zofia Łukasiewicz"))
    assert (zofia.document_number, zofia.birth_date) == ("AB123456", dt.date(1980, 4, 2))
    # another country neither sees nor changes it
    be, _ = login_as("head_of_spoc", "BE")
    assert "Zofia" not in be.get(f"/meetings/{meeting}").get_data(as_text=True)
    nl, _ = login_as("head_of_spoc", "NL")
    assert answer(nl, meeting, "attend", PERSON).status_code == 404


def test_the_same_form_changes_removes_and_adds_participants(login_as, meeting, db):
    head, _ = login_as("head_of_spoc", "PL")
    answer(head, meeting, "attend", PERSON, {"name": "Jan Kowalski"})
    db.rollback()
    zofia, jan = db.scalars(select(Delegate).order_by(Delegate.id)).all()
    r = answer(head, meeting, "delegate", {"delegate_id": str(zofia.id), "name": "Zofia Łukasiewicz",
                                           "function": "Deputy Head of SPOC"},
               {"delegate_id": str(jan.id), "name": "Jan Kowalski", "remove": "y"}, {"name": "Ewa Nowak"})
    assert r.status_code in (302, 303)
    db.rollback()
    names = [(d.name, d.function) for d in db.scalars(select(Delegate).order_by(Delegate.id))]
    assert names == [("Zofia Łukasiewicz", "Deputy Head of SPOC"), ("Ewa Nowak", "")]
    assert zofia.invitation.answer == "delegate" and zofia.invitation.delegate_name == ("Zofia Łukasiewicz, "
                                                                                        "Deputy Head of SPOC")


def test_declining_needs_no_participant_and_leaves_none(login_as, meeting, db):
    head, _ = login_as("head_of_spoc", "PL")
    answer(head, meeting, "attend", PERSON)
    assert answer(head, meeting, "decline").status_code in (302, 303)
    db.rollback()
    assert db.scalars(select(Delegate)).all() == []
    page = head.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert "Current answer: <strong>Declines</strong>" in page


def test_sending_a_delegate_needs_one_named(login_as, meeting, db):
    head, _ = login_as("head_of_spoc", "PL")
    r = answer(head, meeting, "delegate")
    assert r.status_code == 422 and "Name the delegate who will attend." in r.get_data(as_text=True)
    db.rollback()
    assert _pl(db, meeting).answer is None


def test_after_the_deadline_the_delegation_still_changes_but_not_the_answer(login_as, make_meeting, db):
    from portal.meetings.models import Invitation

    mid = make_meeting(days_ahead=5, deadline_days=7, countries=["PL"], send=True)  # deadline passed
    head, _ = login_as("head_of_spoc", "PL")
    page = head.get(f"/meetings/{mid}").get_data(as_text=True)
    assert 'name="answer"' not in page and "Save my delegation" in page
    r = answer(head, mid, "decline", PERSON)
    assert r.status_code == 422 and "The registration deadline has passed" in r.get_data(as_text=True)
    assert answer(head, mid, "", PERSON).status_code in (302, 303)
    db.rollback()
    invitation = db.scalar(select(Invitation).where(Invitation.meeting_id == mid))
    assert invitation.answer is None and [d.name for d in invitation.delegates] == ["Zofia Łukasiewicz"]


def test_an_international_organisation_names_its_delegation_too(login_as, meeting, db):
    observer, _ = login_as("observer", agency="INTERPOL")
    assert answer(observer, meeting, "attend", {"name": "Ana Silva", "function": "Liaison"}).status_code in (302, 303)
    db.rollback()
    assert db.scalar(select(Delegate).where(Delegate.name == "Ana Silva")).invitation.agency_code == "INTERPOL"


@pytest.mark.parametrize("bad,field,message", [
    ({"name": "", "function": "Deputy"}, "name", "Give the participant&#39;s name as on their identity document."),
    ({"email": "not an address"}, "email", "An e-mail address has the form name@example.org."),
    ({"birth_date": "2999-01-01"}, "birth_date", "Enter a real date of birth."),
    ({"function": "Annex restreint ue"}, "function", "Marked RESTREINT UE"),
])
def test_bad_input_is_shown_beside_the_field_of_its_participant(login_as, meeting, db, bad, field, message):
    head, _ = login_as("head_of_spoc", "PL")
    r = answer(head, meeting, "attend", {"name": "Jan Kowalski"}, {**PERSON, **bad})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    error = page.split(f'id="participants-1-{field}-error"', 1)[1].split("</div>", 1)[0]
    assert message in error
    db.rollback()
    assert db.scalars(select(Delegate)).all() == [] and _pl(db, meeting).answer is None


def test_the_secretariat_downloads_the_participant_list_and_the_badges(login_as, meeting, db):
    sec, _ = login_as("secretariat")
    empty = "No participant is named: a delegation names its participants when it answers the invitation."
    assert empty in sec.get(f"/meetings/{meeting}").get_data(as_text=True)  # says why the list is empty
    head, _ = login_as("head_of_spoc", "PL")
    answer(head, meeting, "attend", PERSON)
    db.get(Meeting, meeting).marking = "LIMITE"
    db.commit()
    page = sec.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert "Zofia Łukasiewicz" in page and empty not in page
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
    answer(head, meeting, "attend", PERSON)
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
    start, end = (m.starts_at - dt.timedelta(days=1)).date(), (m.starts_at + dt.timedelta(days=1)).date()
    before = sec.get(f"/meetings/report?start={start}&end={end}").get_data(as_text=True)
    assert "not recorded" in before  # nobody's attendance marked yet: not "0 participants"
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
