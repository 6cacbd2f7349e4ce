"""The enumerations of the meetings domain: stored as their value, shown with their label."""

from __future__ import annotations

from portal.enums import LabelledEnum, set_labels


class MeetingStatus(LabelledEnum):
    PLANNED = "planned"
    INVITATIONS_SENT = "invitations_sent"
    HELD = "held"
    CANCELLED = "cancelled"


class Topic(LabelledEnum):
    """The five standing topics of the network (Council conclusions, seed 001)."""

    COMMON_INTEREST = "common_interest"
    COOPERATION_EFFICIENCY = "cooperation_efficiency"
    BEST_PRACTICES = "best_practices"
    NATIONAL_SYSTEMS = "national_systems"
    OBSTACLES = "obstacles"


class Answer(LabelledEnum):
    ATTEND = "attend"
    DELEGATE = "delegate"
    DECLINE = "decline"


class Attendance(LabelledEnum):
    ATTENDED = "attended"
    ABSENT = "absent"
    EXCUSED = "excused"


class MinutesState(LabelledEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    ADOPTED = "adopted"


class ActionStatus(LabelledEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class OwnerKind(LabelledEnum):
    COUNTRY = "country"
    AGENCY = "agency"
    SECRETARIAT = "secretariat"


class EntryStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"


class RegisterEventKind(LabelledEnum):
    """What happened to a register entry (its history)."""

    RAISED = "raised"
    ON_AGENDA = "on_agenda"
    NOTE = "note"
    CLOSED = "closed"
    REOPENED = "reopened"


set_labels({
    MeetingStatus: {MeetingStatus.PLANNED: "Planned", MeetingStatus.INVITATIONS_SENT: "Invitations sent", MeetingStatus.HELD: "Held", MeetingStatus.CANCELLED: "Cancelled"},
    Topic: {Topic.COMMON_INTEREST: "Matters of common interest", Topic.COOPERATION_EFFICIENCY: "Efficiency of cooperation between services", Topic.BEST_PRACTICES: "Best practices on information exchange", Topic.NATIONAL_SYSTEMS: "Awareness of national law-enforcement systems", Topic.OBSTACLES: "Legal and practical obstacles to cross-border cooperation"},
    Answer: {Answer.ATTEND: "Attends", Answer.DELEGATE: "Sends a delegate", Answer.DECLINE: "Declines"},
    Attendance: {Attendance.ATTENDED: "Attended", Attendance.ABSENT: "Absent", Attendance.EXCUSED: "Excused"},
    MinutesState: {MinutesState.DRAFT: "Draft", MinutesState.CIRCULATED: "Circulated for comments", MinutesState.ADOPTED: "Adopted"},
    ActionStatus: {ActionStatus.OPEN: "Open", ActionStatus.IN_PROGRESS: "In progress", ActionStatus.DONE: "Done"},
    OwnerKind: {OwnerKind.COUNTRY: "Country", OwnerKind.AGENCY: "Agency", OwnerKind.SECRETARIAT: "Secretariat"},
    EntryStatus: {EntryStatus.OPEN: "Open", EntryStatus.CLOSED: "Closed"},
    RegisterEventKind: {RegisterEventKind.RAISED: "Raised", RegisterEventKind.ON_AGENDA: "Put on the agenda",
                        RegisterEventKind.NOTE: "Note", RegisterEventKind.CLOSED: "Closed",
                        RegisterEventKind.REOPENED: "Reopened"},
})
