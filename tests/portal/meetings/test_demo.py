"""The demo data: two past meetings with minutes and actions, one upcoming with answers; idempotent.

The demo is loaded once for the module (it takes seconds); the tests read it, and the first loads it again to
show that a second load adds nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.db import utcnow
from portal.demo import load_demo
from portal.meetings.models import ActionPoint, Invitation, Meeting, Minutes
from tests.conftest import fresh


@pytest.fixture(scope="module")
def app(_app):
    """The app with the demo loaded, shared by this module's tests (which only read it)."""
    fresh(_app)
    with _app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, "demo-password-123", _app)
    yield _app
    fresh(_app)


def test_demo_meetings(app):
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        load_demo(s, "demo-password-123", app)  # the second time: nothing is added
    with database.read_session() as s:
        meetings = list(s.scalars(select(Meeting).order_by(Meeting.starts_at)))
        assert len(meetings) == 3
        now, today = utcnow(), utcnow().date()
        past, upcoming = meetings[:2], meetings[2]
        assert all(m.status == "held" and m.ends_at < now for m in past)
        assert s.scalar(select(func.count(Minutes.id))) >= 6
        assert upcoming.starts_at > now and upcoming.status == "invitations_sent"
        be = s.scalar(select(Invitation).where(Invitation.meeting_id == upcoming.id, Invitation.country_code == "BE"))
        assert be is not None and be.sent_at is not None
        answered = s.scalar(select(func.count(Invitation.id)).where(Invitation.meeting_id == upcoming.id,
                                                                    Invitation.answer.is_not(None)))
        assert answered >= 3
        acts = list(s.scalars(select(ActionPoint)))
        assert any(a.status == "done" for a in acts)
        assert any(a.is_overdue(today) for a in acts)
        assert any(a.status != "done" and not a.is_overdue(today) for a in acts)


def test_the_demo_shows_markings_and_a_released_and_an_unreleased_meeting_to_the_observer(app):
    from portal.accounts.models import User

    database = app.extensions["spoc_db"]
    c = app.test_client()
    from tests.conftest import PortalClient

    observer = PortalClient(c)
    observer.login("observer.europol@demo.invalid", "demo-password-123")
    with database.read_session() as s:
        first, second, _ = s.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
        assert s.scalar(select(User.id).where(User.email == "observer.europol@demo.invalid")) is not None
    released = observer.get(f"/meetings/{first.id}/minutes")
    assert released.status_code == 200 and "LIMITE" in released.get_data(as_text=True)
    assert observer.get(f"/meetings/{second.id}/minutes").status_code == 404  # not released
    page = observer.get(f"/meetings/{second.id}").get_data(as_text=True)
    assert "SIENA mobile connection" in page and "Time limits of Article 5" not in page  # Member States only


def test_the_demo_has_a_delegation_answered_with_participants_and_a_stamped_document(app):
    import io

    import pypdf

    from portal.meetings.models import MeetingDocument
    from tests.conftest import PortalClient

    database = app.extensions["spoc_db"]
    with database.read_session() as s:
        upcoming = s.scalars(select(Meeting).order_by(Meeting.starts_at)).all()[-1]
        nl = s.scalar(select(Invitation).where(Invitation.meeting_id == upcoming.id, Invitation.country_code == "NL"))
        assert nl.answer == "attend" and [d.name for d in nl.delegates] == ["Sanne de Vries", "Pieter Bakker"]
        assert all(d.document_number and d.birth_date for d in nl.delegates)
        document = s.scalar(select(MeetingDocument).where(MeetingDocument.meeting_id == upcoming.id))
        assert (document.title, document.marking) == ("Draft agenda", "LIMITE")
        mid, doc_id = upcoming.id, document.id
    head = PortalClient(app.test_client())
    head.login("head.nl@demo.invalid", "demo-password-123")
    page = head.get(f"/meetings/{mid}").get_data(as_text=True)
    assert 'value="Sanne de Vries"' in page and 'value="NX4821937"' in page  # the answer form, filled in
    pdf = pypdf.PdfReader(io.BytesIO(head.get(f"/meetings/{mid}/documents/{doc_id}/v1").data))
    assert all(page.extract_text().count("LIMITE") == 2 for page in pdf.pages)
