"""Observers (EU agencies, international organisations) see only what is released to them, and every
meeting, item, document and minutes carries the marking its author chose (issue 19 A)."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import select

from portal.meetings.models import AgendaItem, Meeting, MeetingDocument, Minutes
from portal.meetings.services import agenda
from tests.portal.meetings.conftest import outbox

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def meeting(app, make_meeting, secretariat, db):
    """A meeting for BE and EUROPOL: item 1 open to observers, item 2 'Member States only'; a document of each
    item, and a LIMITE document for Member States only; minutes of both items."""
    mid = make_meeting(countries=["BE"], agencies={"EUROPOL": "Data on trafficking"}, send=True)
    with app.extensions["spoc_db"].unit_of_work() as s:
        actor = s.merge(secretariat)
        m = s.get(Meeting, mid)
        m.marking, m.minutes_marking = "LIMITE", "LIMITE"
        first, second = m.agenda_items
        second.member_states_only, second.title = True, "National positions"
        second.marking = "LIMITE"
        for item, text in ((first, "Agreed on the template."), (second, "BE reported its position.")):
            s.add(Minutes(agenda_item=item, text=text))
        ids = {"meeting": mid, "open_item": first.id, "ms_item": second.id}
        for key, item, kw in (("doc_open", first, {}), ("doc_of_ms_item", second, {}),
                              ("doc_ms_only", None, {"member_states_only": True, "marking": "LIMITE"})):
            version = agenda.upload_document(s, m, folder=app.config["UPLOAD_FOLDER"], data=PDF + key.encode(),
                                             filename=f"{key}.pdf", max_bytes=10**6, user=actor, title=key,
                                             agenda_item=item, **kw)
            s.flush()
            ids[key] = version.document_id
        m.minutes_state = "circulated"
    db.rollback()
    return ids


def _release(db, mid, on=True):
    db.get(Meeting, mid).released_to_observers = on
    db.commit()


def test_an_invited_observer_sees_the_agenda_without_the_items_for_member_states_only(login_as, meeting):
    observer, _ = login_as("observer", agency="EUROPOL")
    page = observer.get(f"/meetings/{meeting['meeting']}").get_data(as_text=True)
    assert "Item 1" in page and "National positions" not in page
    assert "doc_open" not in page  # documents are not released yet
    assert observer.get(f"/meetings/{meeting['meeting']}/documents/{meeting['doc_open']}/v1").status_code == 404
    assert observer.get(f"/meetings/{meeting['meeting']}/minutes").status_code == 404
    assert observer.get(f"/meetings/{meeting['meeting']}/minutes.docx").status_code == 404
    other, _ = login_as("observer", agency="INTERPOL")  # not invited
    assert other.get(f"/meetings/{meeting['meeting']}").status_code == 404


def test_once_released_an_observer_reads_documents_and_minutes_but_never_those_for_member_states(login_as, meeting,
                                                                                                 db):
    _release(db, meeting["meeting"])
    observer, _ = login_as("observer", agency="EUROPOL")
    mid = meeting["meeting"]
    page = observer.get(f"/meetings/{mid}").get_data(as_text=True)
    assert "doc_open" in page and "doc_of_ms_item" not in page and "doc_ms_only" not in page
    assert observer.get(f"/meetings/{mid}/documents/{meeting['doc_open']}/v1").status_code == 200
    for key in ("doc_of_ms_item", "doc_ms_only"):
        assert observer.get(f"/meetings/{mid}/documents/{meeting[key]}/v1").status_code == 404, key
    minutes = observer.get(f"/meetings/{mid}/minutes").get_data(as_text=True)
    assert "Agreed on the template." in minutes and "BE reported its position." not in minutes
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(observer.get(f"/meetings/{mid}/minutes.docx").data))
                     .paragraphs)
    assert "Agreed on the template." in text and "BE reported its position." not in text
    # a comment on an item hidden from the observer: 404
    r = observer.post_form(f"/meetings/{mid}/minutes/comments",
                           {"agenda_item_id": str(meeting["ms_item"]), "comment": "A remark"})
    assert r.status_code == 404


def test_member_states_see_everything_with_its_marking(login_as, meeting):
    head, _ = login_as("head_of_spoc", "BE")
    mid = meeting["meeting"]
    page = head.get(f"/meetings/{mid}").get_data(as_text=True)
    assert "National positions" in page and "doc_ms_only" in page and "Member States only" in page
    assert page.count('class="badge border border-danger text-danger marking"') >= 3  # meeting, item, document
    assert head.get(f"/meetings/{mid}/documents/{meeting['doc_ms_only']}/v1").status_code == 200
    minutes = head.get(f"/meetings/{mid}/minutes").get_data(as_text=True)
    assert "BE reported its position." in minutes and "LIMITE" in minutes
    document = docx.Document(io.BytesIO(head.get(f"/meetings/{mid}/minutes.docx").data))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "LIMITE"
    assert section.footer.paragraphs[0].text.startswith("LIMITE")


@pytest.mark.parametrize("released", [False, True])
def test_adopted_minutes_reach_observers_only_once_released_and_without_the_hidden_items(login_as, meeting, db,
                                                                                         released):
    from portal.meetings.models import Invitation

    mid = meeting["meeting"]
    for inv in db.scalars(select(Invitation).where(Invitation.meeting_id == mid)):
        inv.answer = "attend"
    db.commit()
    _release(db, mid, released)
    _, observer = login_as("observer", agency="EUROPOL")  # the agency's observers receive its minutes
    _, head = login_as("head_of_spoc", "BE")
    sec, _ = login_as("secretariat")
    assert sec.post_form(f"/meetings/{mid}/minutes/adopt", {}).status_code in (302, 303)
    mails = [m for m in outbox(db) if m.subject.startswith("Adopted minutes")]
    to_states = [m for m in mails if head.email in m.to]
    to_observer = [m for m in mails if observer.email in m.to]
    assert len(to_states) == 1 and "BE reported its position." in to_states[0].body
    assert observer.email not in to_states[0].to
    if not released:
        assert to_observer == []
    else:
        assert len(to_observer) == 1
        body = to_observer[0].body
        assert "Agreed on the template." in body and "National positions" not in body
        assert "BE reported its position." not in body and body.startswith("LIMITE")


def test_the_secretariat_chooses_markings_from_its_list_and_releases_a_meeting(login_as, meeting, db):
    sec, _ = login_as("secretariat")
    mid = meeting["meeting"]
    form = sec.get(f"/meetings/{mid}/edit").get_data(as_text=True)
    assert '<option selected value="LIMITE">LIMITE</option>' in form or 'value="LIMITE" selected' in form
    data = {"title": "Heads of SPOC meeting", "start": "2030-03-05T09:00", "end": "2030-03-05T17:00",
            "timezone": "Europe/Brussels", "venue": "Brussels", "marking": "SECRET", "minutes_marking": "",
            "released_to_observers": "y", "presidency_code": "", "registration_deadline": "", "description": ""}
    r = sec.post_form(f"/meetings/{mid}/edit", data)
    assert r.status_code == 422 and "Choose a marking from the list the secretariat keeps." in r.get_data(as_text=True)
    r = sec.post_form(f"/meetings/{mid}/edit", {**data, "marking": "", "description": "Annex RESTREINT UE/EU RESTRICTED"})
    assert r.status_code == 422 and "Marked RESTREINT UE" in r.get_data(as_text=True)
    assert sec.post_form(f"/meetings/{mid}/edit", {**data, "marking": ""}).status_code in (302, 303)
    db.expire_all()
    m = db.get(Meeting, mid)
    assert (m.marking, m.released_to_observers) == ("", True)


def test_an_upload_marked_as_eu_classified_is_refused_with_the_reason(login_as, meeting, db):
    sec, _ = login_as("secretariat")
    mid = meeting["meeting"]
    r = sec.post_form(f"/meetings/{mid}/documents", {"title": "Threat picture", "agenda_item_id": "",
                                                     "file": (io.BytesIO(b"CONFIDENTIEL UE\nThe picture."), "a.txt")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "Marked CONFIDENTIEL UE: the portal holds unclassified and sensitive non-classified material only" in \
        r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(MeetingDocument).where(MeetingDocument.title == "Threat picture")) is None


def test_items_added_as_member_states_only_stay_hidden_from_observers(login_as, meeting, db):
    sec, _ = login_as("secretariat")
    mid = meeting["meeting"]
    r = sec.post_form(f"/meetings/{mid}/agenda", {"title": "Closed session", "topic": "obstacles",
                                                  "member_states_only": "y", "marking": "LIMITE"})
    assert r.status_code in (302, 303)
    db.rollback()
    item = db.scalar(select(AgendaItem).where(AgendaItem.title == "Closed session"))
    assert (item.member_states_only, item.marking) == (True, "LIMITE")
    observer, _ = login_as("observer", agency="EUROPOL")
    assert "Closed session" not in observer.get(f"/meetings/{mid}").get_data(as_text=True)


def test_observers_reach_nothing_of_an_item_for_member_states_only_by_other_ways(app, login_as, meeting, db, api,
                                                                                 secretariat):
    from portal.meetings.models import ActionPoint
    from portal.meetings.services import actions, register

    mid = meeting["meeting"]
    with app.extensions["spoc_db"].unit_of_work() as s:
        actor = s.merge(secretariat)
        m = s.get(Meeting, mid)
        ms_item, open_item = s.get(AgendaItem, meeting["ms_item"]), s.get(AgendaItem, meeting["open_item"])
        entry = register.raise_entry(s, actor, country_code="BE", title="BE's closed topic", description="",
                                     topic="obstacles")
        ms_item.register_entry = entry
        for title, item in (("Hidden action", ms_item), ("Open action", open_item)):
            actions.create_action(s, actor, title=title, owner="secretariat", due_on=None, meeting=m, agenda_item=item)
        entry_id = entry.id
    db.rollback()
    hidden = db.scalar(select(ActionPoint).where(ActionPoint.title == "Hidden action"))
    observer, user = login_as("observer", agency="EUROPOL")
    listing = observer.get("/meetings/actions").get_data(as_text=True)
    assert "Open action" in listing and "Hidden action" not in listing
    assert observer.get(f"/meetings/actions/{hidden.id}").status_code == 404
    assert observer.get(f"/meetings/register/{entry_id}").status_code == 404
    assert "BE's closed topic" not in observer.get("/meetings/register").get_data(as_text=True)
    body = api(user).get(f"/api/v1/meetings/{mid}").get_json()
    assert [i["title"] for i in body["agenda"]] == ["Item 1"] and body["marking"] == "LIMITE"
    head, _ = login_as("head_of_spoc", "BE")  # a Member State sees all of it
    assert head.get(f"/meetings/actions/{hidden.id}").status_code == 200
    assert head.get(f"/meetings/register/{entry_id}").status_code == 200
