"""Declared access of the meetings routes with object parameters (see tests/hardening/access.py).

The BE-owned object is a meeting to which Belgium (and no agency) is invited: its Head of SPOC may see it,
answer, comment on circulated minutes and update BE's action points; the same role of NL gets 404, and so
does everyone but the secretariat and admins for what only they manage.
"""

from __future__ import annotations

import datetime as dt

from tests.hardening.access import Access

STAFF = {"admin", "secretariat"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def matrix_meeting(app, make_user, *, circulated: bool = False) -> dict:
    """A meeting sent to BE with one of each thing a route loads (item, document, budget line, action,
    delegate): the ids of the authorisation matrix's URLs."""
    from portal.db import utcnow
    from portal.funding import services as funding
    from portal.meetings.models import Minutes
    from portal.meetings.services import actions, agenda, delegations, invitations
    from portal.meetings.services import meetings as service

    sec = make_user("secretariat")
    day = (utcnow() + dt.timedelta(days=30)).date()
    with app.extensions["spoc_db"].unit_of_work() as s:
        actor = s.merge(sec)
        m = service.create_meeting(s, actor, title="Matrix meeting", start=dt.datetime.combine(day, dt.time(9)),
                                   end=dt.datetime.combine(day, dt.time(17)), timezone="Europe/Brussels",
                                   deadline=day, venue="Brussels")
        item = agenda.add_item(s, m, actor, title="Item", topic="obstacles")
        s.add(Minutes(agenda_item=item, text="Minutes"))
        invitations.set_invitees(s, m, actor, ["BE"], {})
        invitations.send_invitations(s, m, actor, "http://portal.test", utcnow())
        if circulated:
            m.minutes_state = "circulated"
        version = agenda.upload_document(s, m, folder=app.config["UPLOAD_FOLDER"], data=PDF, filename="a.pdf",
                                         max_bytes=10**6, user=actor, title="Agenda")
        budget = funding.ensure_budget(s, "meeting", m.id, day.year)
        line = funding.add_cost(s, budget, actor, category="venue", kind="planned", amount="100")
        action = actions.create_action(s, actor, title="BE's action", owner="country:BE", due_on=day, meeting=m)
        delegate = delegations.add_delegate(s, m.invitations[0], actor, utcnow(), name="Anne Dubois",
                                            function="Head of SPOC", document_number="EF123456")
        s.flush()
        return {"meeting_id": m.id, "item_id": item.id, "document_id": version.document_id,
                "invitation_id": m.invitations[0].id,
                "number": version.number, "line_id": line.id, "action_id": action.id, "delegate_id": delegate.id,
                "fmt": "xlsx"}


def _args(*names, circulated=False):
    def make(app, make_user):
        ids = matrix_meeting(app, make_user, circulated=circulated)
        return {n: ids[n] for n in names}

    return make


def _entry(app, make_user):
    from portal.meetings.services import register

    with app.extensions["spoc_db"].unit_of_work() as s:
        return {"entry_id": register.raise_entry(s, None, country_code="BE", title="BE's obstacle",
                                                 description="", topic="obstacles").id}


M = _args("meeting_id")
MI = _args("meeting_id", "item_id")
INVITEE = dict(roles={"head_of_spoc"}, network=STAFF)

RULES = {
    # the invitee's pages
    "meetings.show": Access(M, **INVITEE),
    "meetings.ics": Access(M, **INVITEE),
    "meetings.answer": Access(M, **INVITEE),
    "meetings.download_document": Access(_args("meeting_id", "document_id", "number"), **INVITEE),
    "meetings.minutes": Access(_args("meeting_id", circulated=True), **INVITEE),
    "meetings.minutes_docx": Access(_args("meeting_id", circulated=True), **INVITEE),
    "meetings.comment_minutes": Access(_args("meeting_id", circulated=True), **INVITEE),
    "meetings.action": Access(_args("action_id"), **INVITEE),
    "meetings.register_entry": Access(_entry, **INVITEE),
    "api.api_meeting": Access(M, **INVITEE),
    # a delegation: its invitee and the secretariat read it (building access); only the invitee answers with it
    "api.api_delegation": Access(_args("meeting_id", "invitation_id"), **INVITEE),
    "api.api_put_delegation": Access(_args("meeting_id", "invitation_id"), roles={"head_of_spoc"}),
    "api.api_meeting_ics": Access(M, **INVITEE),
    # the secretariat's
    "meetings.edit": Access(M, network=STAFF),
    "meetings.set_status": Access(M, network=STAFF),
    "meetings.invitations": Access(M, network=STAFF),
    "meetings.remind": Access(M, network=STAFF),
    "meetings.attendance": Access(M, network=STAFF),
    "meetings.withdraw": Access(_args("meeting_id", "invitation_id"), network=STAFF),
    "meetings.add_item": Access(M, network=STAFF),
    "meetings.edit_item": Access(MI, network=STAFF),
    "meetings.move_item": Access(MI, network=STAFF),
    "meetings.delete_item": Access(MI, network=STAFF),
    "meetings.upload_document": Access(M, network=STAFF),
    "meetings.funding": Access(M, network=STAFF),
    "meetings.delete_cost": Access(_args("meeting_id", "line_id"), network=STAFF),
    "meetings.edit_minutes": Access(MI, network=STAFF),
    "meetings.circulate_minutes": Access(M, network=STAFF),
    "meetings.adopt_minutes": Access(M, network=STAFF),
    "meetings.participants": Access(_args("meeting_id", "fmt"), network=STAFF),
    "meetings.badges": Access(M, network=STAFF),
    "meetings.participant_attendance": Access(M, network=STAFF),
}

PUBLIC = {"meetings.feed": "a private calendar feed: the unguessable token in its URL is the credential"}
