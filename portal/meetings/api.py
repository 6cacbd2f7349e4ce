"""JSON API of the meetings domain (registered on portal.api.bp, described in the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from flask import current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field

from portal import policy
from portal.api import APIError, current_api_user, endpoint, nothing_done, parse_body
from portal.db import get_session, utcnow
from portal.files import download_response
from portal.meetings.models import ActionPoint, Invitation, Meeting
from portal.meetings.services import actions as action_service
from portal.meetings.services import calendar, delegations
from portal.meetings.services.invitations import answer_open


class MeetingSummary(BaseModel):
    id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    presidency: str | None
    status: str


class AgendaItemOut(BaseModel):
    position: int
    title: str
    topic: str
    topic_label: str
    presenter: str
    start: dt.datetime | None
    end: dt.datetime | None
    register_entry_id: int | None
    marking: str = ""


class InviteeAnswer(BaseModel):
    invitee: str
    kind: str  # country | agency
    reason: str
    invited_at: dt.datetime | None
    answer: str | None
    delegate: str
    answered_at: dt.datetime | None
    attendance: str | None


class MeetingDetail(MeetingSummary):
    timezone: str
    venue: str
    online_link: str
    registration_deadline: dt.datetime | None
    minutes_state: str
    marking: str = ""  # portal.markings ('' for none)
    agenda: list[AgendaItemOut]
    invitees: list[InviteeAnswer] | None = None  # the secretariat only
    my_answer: InviteeAnswer | None = None  # the token user's own invitation


class ActionOut(BaseModel):
    id: int
    title: str
    owner: str
    owner_kind: str
    due: dt.date | None
    status: str
    overdue: bool
    meeting_id: int | None


def _summary(m: Meeting) -> dict:
    return dict(id=m.id, title=m.title, start=m.starts_at, end=m.ends_at, presidency=m.presidency_code,
                status=m.status)


def _invitee(inv) -> InviteeAnswer:
    return InviteeAnswer(invitee=inv.invitee, kind="country" if inv.country_code else "agency", reason=inv.reason,
                         invited_at=inv.sent_at, answer=inv.answer, delegate=inv.delegate_name,
                         answered_at=inv.answered_at, attendance=inv.attendance)


def _load(meeting_id: int) -> Meeting:
    meeting = get_session().get(Meeting, meeting_id)
    if meeting is None or not policy.can_view_meeting(current_api_user(), meeting):
        raise APIError(404, "not_found", "No such meeting, or it is not visible to this user.")
    return meeting


@endpoint("/meetings", summary="The meetings the token's user may see", tag="meetings",
          response=list[MeetingSummary])
def api_meetings():
    user = current_api_user()
    found = get_session().scalars(policy.visible_meetings(user).order_by(Meeting.starts_at, Meeting.id))
    return jsonify([MeetingSummary(**_summary(m)).model_dump(mode="json") for m in found])


@endpoint("/meetings/<int:meeting_id>", summary="A meeting with its agenda; for the secretariat the answer "
          "of every invitee", tag="meetings", response=MeetingDetail)
def api_meeting(meeting_id: int):
    user = current_api_user()
    m = _load(meeting_id)
    own = policy.own_invitation(user, m)
    detail = MeetingDetail(
        **_summary(m), timezone=m.timezone, venue=m.venue, online_link=m.online_url,
        registration_deadline=m.registration_deadline, minutes_state=m.minutes_state,
        agenda=[AgendaItemOut(position=i.position, title=i.title, topic=i.topic, topic_label=i.topic_enum.label,
                              presenter=i.presenter, start=i.starts_at, end=i.ends_at,
                              register_entry_id=i.register_entry_id, marking=i.marking)
                for i in policy.visible_agenda_items(user, m)],
        marking=m.marking,
        invitees=[_invitee(i) for i in sorted(m.invitations, key=lambda i: (i.country_code is None, i.invitee))]
        if policy.can_view_answers(user) else None,
        my_answer=_invitee(own) if own is not None else None)
    return jsonify(detail.model_dump(mode="json"))


@endpoint("/meetings/<int:meeting_id>/ics", summary="The meeting as an iCalendar file", tag="meetings",
          response=str, media_type="text/calendar")
def api_meeting_ics(meeting_id: int):
    m = _load(meeting_id)
    return download_response(calendar.meeting_ics(m, current_app.config["BASE_URL"],
                                                 current_app.config["MAIL_SENDER"]), f"meeting-{m.id}.ics",
                             "text/calendar")


@endpoint("/actions", summary="Action points the token's user may see: open (not done, overdue included) or "
          "overdue (open and past due)", tag="meetings", response=list[ActionOut], statuses=(422,),
          params=[{"name": "status", "in": "query", "required": False,
                   "schema": {"type": "string", "enum": ["open", "overdue", "done", "all"]},
                   "description": "open: every action not done; overdue: open and past due; default all."}])
def api_actions():
    status = request.args.get("status", "all")
    if status not in ("open", "overdue", "done", "all"):
        raise APIError(422, "invalid", "Some fields are not valid.",
                       {"status": "Use open, overdue, done or all."})
    today = utcnow().date()
    query = action_service.filter_actions(policy.visible_actions(current_api_user()),
                                          None if status == "all" else status, today)
    found: list[ActionPoint] = list(get_session().scalars(query))
    return jsonify([ActionOut(id=a.id, title=a.title, owner=a.owner_label, owner_kind=a.owner_kind, due=a.due_on,
                              status=a.status, overdue=a.is_overdue(today), meeting_id=a.meeting_id)
                    .model_dump(mode="json") for a in found])


# delegations (issue 19, 3a) --------------------------------------------------------------------
class ParticipantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int | None = Field(None, ge=0, le=2**31 - 1,
                           description="A current participant's id to update them; leave it out for a new one.")
    name: str = Field(max_length=200, description="As on the identity document.")
    function: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    nationality: str = Field("", max_length=100, description="For building access; erased after the meeting.")
    birth_date: dt.date | None = Field(None, description="For building access; erased after the meeting.")
    document_number: str = Field("", max_length=60, description="Passport or identity card; erased after the "
                                                                 "meeting.")


class DelegationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Literal["attend", "delegate", "decline"] | None = Field(
        None, description="The answer to the invitation, with the delegation; leave it out to change the "
                          "participants only. Declining leaves no participant.")
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=delegations.MAX_DELEGATES,
                                              description="The whole delegation: participants not listed are "
                                                          "removed.")


class ParticipantOut(BaseModel):
    id: int
    name: str
    function: str
    email: str
    nationality: str
    birth_date: dt.date | None
    document_number: str
    identity_erased_at: dt.datetime | None
    attendance: str | None


class DelegationOut(BaseModel):
    meeting_id: int
    invitation_id: int
    invitee: str
    answer: str | None
    answered_at: dt.datetime | None
    answer_open: bool  # the answer may still change (registration deadline)
    delegation_open: bool  # the participants may still change (until the meeting is over)
    participants: list[ParticipantOut]


def _delegation(meeting_id: int, invitation_id: int, *, manage: bool) -> Invitation:
    user = current_api_user()
    meeting = _load(meeting_id)
    invitation = get_session().get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting.id or invitation.sent_at is None or not (
            policy.can_manage_delegation(user, invitation) if manage
            else policy.can_view_delegation(user, invitation)):
        raise APIError(404, "not_found", "No such invitation, or its delegation is not visible to this user.")
    return invitation


def _delegation_out(invitation: Invitation) -> dict:
    now = utcnow()
    return DelegationOut(
        meeting_id=invitation.meeting_id, invitation_id=invitation.id, invitee=invitation.invitee,
        answer=invitation.answer, answered_at=invitation.answered_at, answer_open=answer_open(invitation, now),
        delegation_open=not delegations.is_over(invitation.meeting, now),
        participants=[ParticipantOut(id=d.id, name=d.name, function=d.function, email=d.email,
                                     nationality=d.nationality, birth_date=d.birth_date,
                                     document_number=d.document_number, identity_erased_at=d.identity_erased_at,
                                     attendance=d.attendance) for d in invitation.delegates],
    ).model_dump(mode="json")


DELEGATION = "/meetings/<int:meeting_id>/invitations/<int:invitation_id>/delegation"


@endpoint(DELEGATION, summary="The delegation of an invitation: its participants with function and identity "
          "details (the invitee's own, and the secretariat's)", tag="meetings", response=DelegationOut)
def api_delegation(meeting_id: int, invitation_id: int):
    invitation = _delegation(meeting_id, invitation_id, manage=False)
    if not policy.can_manage_delegation(current_api_user(), invitation) and invitation.delegates:
        delegations.log_delegation_read(get_session(), invitation, current_api_user())
        get_session().commit()
    return jsonify(_delegation_out(invitation))


@endpoint(DELEGATION, methods=("PUT",), summary="Answer the invitation with its delegation (the invitee): the "
          "participants listed replace the delegation", tag="meetings", response=DelegationOut,
          request_model=DelegationIn,
          example={"answer": "attend", "participants": [{"name": "Anne Dubois", "function": "Head of SPOC",
                                                         "nationality": "Belgian", "birth_date": "1975-04-02",
                                                         "document_number": "EF123456"}]})
def api_put_delegation(meeting_id: int, invitation_id: int):
    invitation = _delegation(meeting_id, invitation_id, manage=True)
    body = parse_body(DelegationIn)
    entries = [p.model_dump() for p in body.participants]
    with nothing_done("The delegation was not saved.", field="participants"):
        delegations.set_delegation(get_session(), invitation, current_api_user(), utcnow(), entries,
                                   answer=body.answer)
    get_session().commit()
    return jsonify(_delegation_out(invitation))
